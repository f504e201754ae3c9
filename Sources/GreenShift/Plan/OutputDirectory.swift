import Foundation

/// Writes a run's files so that readers never see half a file and a failed run leaves the last
/// good files as they were: every file goes to a temporary name in the same folder, is flushed
/// to disk, and only when all are written are they renamed into place (rename is atomic).
///
/// Two runs writing to one folder take turns (an exclusive `flock` on `.greenshift.lock`), so
/// their files never mix; the second waits, saying so. Termination signals are held back while
/// the files are renamed, so a set is never left half renamed; a `kill -9` can only leave
/// temporary files, which the next run removes.
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
        let lock = try acquireLock()
        defer { close(lock) }
        removeStaleTemporaries(files.map(\.name))
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
        var signals = sigset_t(), previous = sigset_t()
        sigemptyset(&signals)
        for signal in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        // Hard links keep the last good files reachable until every rename has succeeded, so a
        // failed rename can put back the set as it was.
        let backups = written.map { w -> String? in
            let backup = w.temporary + ".bak"
            return link(w.final, backup) == 0 ? backup : nil
        }
        defer { for case let backup? in backups { unlink(backup) } }
        for (k, w) in written.enumerated() where rename(w.temporary, w.final) != 0 {
            let reason = String(cString: strerror(errno))
            for (done, backup) in zip(written[..<k], backups) {
                if let backup { rename(backup, done.final) } else { unlink(done.final) }
            }
            throw WriteError(description: "cannot move \(w.temporary) to \(w.final): \(reason); the previous files are kept")
        }
        written.removeAll()
        // Make the renames themselves durable.
        let dir = open(path, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    private func acquireLock() throws(WriteError) -> Int32 {
        let path = (self.path as NSString).appendingPathComponent(".greenshift.lock")
        let fd = open(path, O_RDWR | O_CREAT, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            StandardError.write("greenshift: another run is writing to \(self.path); waiting for it to finish\n")
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    close(fd)
                    throw WriteError(description: "cannot lock \(path): \(String(cString: strerror(errno)))")
                }
            }
        }
        return fd
    }

    /// Temporary files of runs killed while writing (`.NAME.PID.tmp`); under the lock no live run owns one.
    private func removeStaleTemporaries(_ names: [String]) {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        for entry in entries where (entry.hasSuffix(".tmp") || entry.hasSuffix(".tmp.bak")) && names.contains(where: { entry.hasPrefix(".\($0).") }) {
            unlink((path as NSString).appendingPathComponent(entry))
        }
    }
}
