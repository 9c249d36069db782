import Foundation
import Support

#if canImport(Glibc)
    import Glibc
#endif

/// The Ray cluster address of `--address`, checked before the driver starts: `ray.init` on an
/// address where nothing listens retries without end, so a `HOST:PORT` (or
/// `ray://HOST:PORT`) that refuses or does not answer a TCP connection within a few seconds is
/// refused with a message instead of a hang. `auto` (the cluster this machine's `ray start`
/// recorded) is left to Ray.
package enum RayAddress {
    /// Why the cluster cannot be reached (66: the input the sweep needs is not there).
    package struct Unreachable: ReportableError {
        package let description: String
        package var exitStatus: Int32 { ExitStatus.missingInput }
    }

    /// Seconds a connection may take.
    static let timeout: Int32 = 5

    /// Checks that something accepts TCP connections at `address`.
    /// - Throws: `Unreachable` naming the address and what happened.
    package static func check(_ address: String) throws(Unreachable) {
        guard address != "auto", let (host, port) = hostAndPort(address) else { return }
        if let problem = connectProblem(host: host, port: port) {
            throw Unreachable(
                description:
                    "--address \(address): \(problem); start the Ray head there (ray start --head --port \(port)) or give the address it printed"
            )
        }
    }

    /// `HOST` and `PORT` of `HOST:PORT` or `ray://HOST:PORT`; nil for another form.
    static func hostAndPort(_ address: String) -> (String, UInt16)? {
        let bare = address.hasPrefix("ray://") ? String(address.dropFirst(6)) : address
        guard let colon = bare.lastIndex(of: ":"), let port = UInt16(bare[bare.index(after: colon)...]), port > 0 else {
            return nil
        }
        let host = String(bare[..<colon])
        return host.isEmpty ? nil : (host, port)
    }

    /// Why a TCP connection to `host:port` fails within `timeout` seconds, or nil when it succeeds.
    static func connectProblem(host: String, port: UInt16) -> String? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var found: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &found) == 0, let first = found else { return "the host is not known" }
        defer { freeaddrinfo(found) }
        let descriptor = socket(first.pointee.ai_family, first.pointee.ai_socktype, first.pointee.ai_protocol)
        guard descriptor >= 0 else { return "no socket: \(String(cString: strerror(errno)))" }
        defer { close(descriptor) }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
        if connect(descriptor, first.pointee.ai_addr, first.pointee.ai_addrlen) == 0 { return nil }
        guard errno == EINPROGRESS else { return "connection failed: \(String(cString: strerror(errno)))" }
        var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
        guard poll(&poller, 1, timeout * 1000) == 1 else { return "no answer within \(timeout) s" }
        var error: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        getsockopt(descriptor, SOL_SOCKET, SO_ERROR, &error, &length)
        return error == 0 ? nil : "connection failed: \(String(cString: strerror(error)))"
    }
}
