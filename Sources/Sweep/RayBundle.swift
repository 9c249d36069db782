import Foundation
import Market

/// Everything a sweep's runs read, gathered in one temporary folder that Ray ships to the
/// workers: `regimen` (this binary), `spec.yaml` (the spec with its config inlined and
/// `data: data`, from `SweepSpec.portableDocument`) and `data/` (the dataset's files, those
/// `DatasetReader.fileNames` lists). No shared file system is assumed: a worker reads only
/// this folder's copy.
///
/// The folder travels as the Ray job's runtime environment `working_dir`, not as `ray.put` of
/// the files' bytes: `ray.init` uploads a `working_dir` once to the cluster (zipped, named by
/// its content hash, so a rerun with the same inputs uploads nothing), and each node downloads
/// and unpacks it once before its first task, which then starts in it. With `ray.put`, every
/// task would be handed the bytes and write the binary and the data out again (or the driver
/// would need a per-node cache of its own, with locking). Ray bounds a `working_dir` at
/// 512 MiB zipped (`RAY_max_grpc_message_size`): a release binary (about 90 MB) and a daily
/// dataset fit well within it.
package struct RayBundle {
    /// The folder (under the temporary directory).
    package let folder: URL

    /// Gathers the inputs of the spec at `specPath` (whose dataset is `dataFolder`) and the
    /// binary at `executable` into a new temporary folder.
    /// - Throws: `RayExecutor.Failure` (70) when a file cannot be copied or written; the
    ///   spec's own problems as `SweepSpec.read` throws them.
    package static func make(specPath: String, dataFolder: String, executable: URL) throws -> RayBundle {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-ray-inputs-\(UUID().uuidString)")
        let bundle = RayBundle(folder: folder)
        let spec = try SweepSpec.portableDocument(specPath, dataFolder: "data")
        do {
            let data = folder.appendingPathComponent("data")
            try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: executable, to: folder.appendingPathComponent("regimen"))
            try spec.write(to: folder.appendingPathComponent("spec.yaml"))
            for name in DatasetReader.fileNames {
                let source = URL(fileURLWithPath: dataFolder).appendingPathComponent(name)
                guard FileManager.default.fileExists(atPath: source.path) else { continue }
                try FileManager.default.copyItem(at: source, to: data.appendingPathComponent(name))
            }
        } catch {
            bundle.remove()
            throw RayExecutor.Failure(
                description: "cannot gather the Ray runs' inputs in \(folder.path): \(error.localizedDescription)")
        }
        return bundle
    }

    /// Deletes the folder (once Ray holds its upload, or when the sweep ends).
    package func remove() {
        try? FileManager.default.removeItem(at: folder)
    }
}
