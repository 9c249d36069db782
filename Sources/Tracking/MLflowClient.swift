import Foundation
import Support

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A plain client of MLflow's tracking REST API (`/api/2.0/mlflow/...`, as MLflow 2.x and 3.x serve it): the few
/// calls an export needs. No Python: the request and response bodies are the JSON the API
/// documents (mlflow.org/docs/latest/rest-api.html).
package struct MLflowClient: Sendable {
    /// Why a call failed: the endpoint, the HTTP status and MLflow's message.
    package struct Failure: ReportableError {
        package let description: String
        /// 70: the contract has no status of its own for an unreachable service.
        package var exitStatus: Int32 { ExitStatus.internalFailure }
    }

    package let trackingURI: URL
    /// Seconds a call may take.
    package let timeout: TimeInterval

    package init(trackingURI: URL, timeout: TimeInterval = 30) {
        self.trackingURI = trackingURI
        self.timeout = timeout
    }

    /// Calls `path` (under `/api/2.0/`) with `body` (POST) or `query` (GET); the decoded JSON
    /// object, or nil for MLflow's `RESOURCE_DOES_NOT_EXIST` (404).
    package func call(_ path: String, body: JSONValue? = nil, query: [String: String] = [:], method: String? = nil)
        throws(Failure)
        -> [String: JSONValue]?
    {
        var components = URLComponents(
            url: trackingURI.appendingPathComponent("api/2.0/" + path), resolvingAgainstBaseURL: false)!
        if !query.isEmpty {
            components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        }
        var request = URLRequest(url: components.url!, timeoutInterval: timeout)
        request.httpMethod = method ?? (body == nil ? "GET" : "POST")
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = try? CanonicalJSON.encode(body)
        }
        let (data, status) = try send(request, path: path)
        if status == 404 { return nil }
        guard (200..<300).contains(status) else {
            throw Failure(
                description: "MLflow \(path): HTTP \(status): \(String(decoding: data.prefix(500), as: UTF8.self))")
        }
        guard !data.isEmpty else { return [:] }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: data) else {
            throw Failure(description: "MLflow \(path): the answer is not a JSON object")
        }
        return object
    }

    /// Uploads `data` as the artifact `name` (a relative path, e.g. `model/manifest.json`) of
    /// the run whose artifacts are at `artifactURI`, through the artifact proxy of `mlflow
    /// server` (`mlflow-artifacts:/...`, its default with `--artifacts-destination`).
    package func upload(_ data: Data, artifactURI: String, name: String) throws(Failure) {
        let scheme = "mlflow-artifacts:"
        guard artifactURI.hasPrefix(scheme) else {
            throw Failure(
                description:
                    "MLflow artifact upload: the run's artifacts are at \(artifactURI), not behind the server's artifact proxy (mlflow-artifacts:); start mlflow server with --artifacts-destination"
            )
        }
        let path = artifactURI.dropFirst(scheme.count).drop { $0 == "/" }
        let url = trackingURI.appendingPathComponent("api/2.0/mlflow-artifacts/artifacts/\(path)/\(name)")
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "PUT"
        request.httpBody = data
        let (answer, status) = try send(request, path: "mlflow-artifacts")
        guard (200..<300).contains(status) else {
            throw Failure(
                description: "MLflow artifact upload: HTTP \(status): \(String(decoding: answer.prefix(500), as: UTF8.self))")
        }
    }

    /// Sends `request` and waits for the answer: its body and HTTP status.
    private func send(_ request: URLRequest, path: String) throws(Failure) -> (Data, Int) {
        final class Box: @unchecked Sendable { var result: (Data?, URLResponse?, (any Error)?) = (nil, nil, nil) }
        let box = Box()
        let done = DispatchSemaphore(value: 0)
        URLSession.shared.dataTask(with: request) { data, response, error in
            box.result = (data, response, error)
            done.signal()
        }.resume()
        done.wait()
        if let error = box.result.2 {
            throw Failure(description: "MLflow \(path): cannot reach \(trackingURI): \(error.localizedDescription)")
        }
        return (box.result.0 ?? Data(), (box.result.1 as? HTTPURLResponse)?.statusCode ?? 0)
    }
}
