import Foundation

/// Writes a run's files so that readers never see half a file and a failed run leaves the last
/// good files as they were: every file goes to a temporary name in the same folder, is flushed
/// to disk, and only when all are written are they renamed into place (rename is atomic).
public struct OutputDirectory {
    public let path: String

    public init(path: String) { self.path = path }

    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
    }

    public func write(_ files: [(name: String, contents: String)]) throws(WriteError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw WriteError(description: "\(path) exists and is not a folder") }
        } else {
            do {
                try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            } catch {
                throw WriteError(description: "cannot create \(path): \(error.localizedDescription)")
            }
        }
        var written: [(temporary: String, final: String)] = []
        defer { for w in written { unlink(w.temporary) } }
        for file in files {
            let final = (path as NSString).appendingPathComponent(file.name)
            let temporary = (path as NSString).appendingPathComponent(".\(file.name).\(getpid()).tmp")
            let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            guard fd >= 0 else { throw WriteError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))") }
            written.append((temporary, final))
            let bytes = Array(file.contents.utf8)
            var offset = 0
            while offset < bytes.count {
                let start = offset
                let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + start, $0.count - start) }
                if n <= 0 {
                    close(fd)
                    throw WriteError(description: "cannot write \(temporary): \(String(cString: strerror(errno)))")
                }
                offset += n
            }
            if fsync(fd) != 0 || close(fd) != 0 {
                throw WriteError(description: "cannot flush \(temporary): \(String(cString: strerror(errno)))")
            }
        }
        for w in written where rename(w.temporary, w.final) != 0 {
            throw WriteError(description: "cannot move \(w.temporary) to \(w.final): \(String(cString: strerror(errno)))")
        }
        written.removeAll()
        // Make the renames themselves durable.
        let dir = open(path, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }
}
