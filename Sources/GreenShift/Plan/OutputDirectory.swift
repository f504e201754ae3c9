import Foundation

/// Writes a run's files so that readers never see half a file and a failed run leaves the last
/// good files as they were: every file goes to a temporary name in the same folder, is flushed
/// to disk, and only when all are written are they renamed into place (rename is atomic).
///
/// Two runs writing to one folder take turns (an exclusive `flock` on `.greenshift.lock`), so
/// their files never mix; the second waits, saying so. Termination signals are held back while
/// the files are renamed, so a set is never left half renamed; a signal before that removes the
/// temporary files (TemporaryFiles), and a `kill -9` can only leave them, for the next run to
/// remove. A first write that fails removes the folders it created, lock included.
///
/// A name may have one level of subfolder ("report-data/system.csv"): the subfolder is created
/// under the lock and its files join the same set of renames. A subfolder the set owns
/// (`OwnedFiles`) keeps only the set's files of its kind: the others, left by an earlier run,
/// are removed once the set is in place.
public struct OutputDirectory {
    public let path: String

    public init(path: String) { self.path = path }

    public struct WriteError: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The files named `prefix`...`suffix` in `folder` (a subfolder of the output folder, or ""
    /// for the folder itself) that every set writes afresh, with only digits between when
    /// `digitsBetween`: report-data/*.csv, so that a chart the last render drew and this one does
    /// not leaves no stale data beside the report; a forecast's `<series>.q<digits>.csv`, so that
    /// no quantile of an earlier run stays beside this one's.
    public struct OwnedFiles: Sendable {
        public let folder: String
        public let prefix: String
        public let suffix: String
        public let digitsBetween: Bool
        public init(folder: String, prefix: String = "", suffix: String, digitsBetween: Bool = false) {
            (self.folder, self.prefix, self.suffix, self.digitsBetween) = (folder, prefix, suffix, digitsBetween)
        }

        func owns(_ name: String) -> Bool {
            guard !name.hasPrefix("."), name.count > prefix.count + suffix.count || !digitsBetween,
                  name.hasPrefix(prefix), name.hasSuffix(suffix) else { return false }
            return !digitsBetween || name.dropFirst(prefix.count).dropLast(suffix.count).allSatisfy { $0.isASCII && $0.isNumber }
        }
    }

    private static let lockName = ".greenshift.lock"

    /// Writes `files` as one set; in each of `owning`, the files of its kind that the set does not
    /// write are removed after it is in place (a failed write removes nothing).
    public func write(_ files: [(name: String, contents: String)], owning: [OwnedFiles] = []) throws(WriteError) {
        let (created, lock) = try lockedFolder()
        var succeeded = false
        defer {
            if !succeeded, !created.isEmpty { unlink(lockPath) }
            close(lock)
            if !succeeded { for folder in created.reversed() { rmdir(folder) } }
            TemporaryFiles.remove(file: lockPath)
            for folder in created { TemporaryFiles.remove(folder: folder) }
        }
        let subfolders = try createSubfolders(files.map(\.name))
        defer { if !succeeded { for folder in subfolders { rmdir(folder) } } }
        removeStaleTemporaries(files.map(\.name))
        var written: [(temporary: String, final: String)] = []
        defer { for w in written { unlink(w.temporary); TemporaryFiles.remove(file: w.temporary) } }
        for file in files {
            let final = (path as NSString).appendingPathComponent(file.name)
            let temporary = Self.temporaryPath(for: final)
            TemporaryFiles.add(file: temporary)
            written.append((temporary, final))
            try Self.writeFile(temporary, Array(file.contents.utf8))
        }
        try TemporaryFiles.holdingTerminationSignals { () throws(WriteError) in
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
            for w in written { TemporaryFiles.remove(file: w.temporary) }
            written.removeAll()
        }
        let names = Set(files.map(\.name))
        for owned in owning { removeOthers(owned, keeping: names) }
        for folder in Set(files.map { Self.split((path as NSString).appendingPathComponent($0.name)).folder }) { Self.syncFolder(folder) }
        succeeded = true
    }

    /// Creates the subfolders `names` use that are missing, returning those it created.
    private func createSubfolders(_ names: [String]) throws(WriteError) -> [String] {
        var created: [String] = []
        for sub in Set(names.map { Self.split($0).folder }).filter({ !$0.isEmpty }).sorted() {
            let folder = (path as NSString).appendingPathComponent(sub)
            if mkdir(folder, 0o755) == 0 { created.append(folder); continue }
            if errno == EEXIST, Self.folderProblem(folder) == nil { continue }
            let reason = errno == EEXIST ? Self.folderProblem(folder) ?? "" : String(cString: strerror(errno))
            for done in created.reversed() { rmdir(done) }
            throw WriteError(description: "cannot create \(folder): \(reason)")
        }
        return created
    }

    /// Replaces the single file at `path` the same way: `produce` writes the new contents at a
    /// temporary path in the same folder (for writers that want a path, such as GLPK's MPS
    /// writer), which is flushed and renamed over `path`. A failure leaves the previous file.
    public static func replaceFile(at path: String, producing produce: (String) throws -> Void) throws {
        guard !path.isEmpty else { throw WriteError(description: "the output file's path is empty") }
        let folder = Self.split(path).folder
        if let problem = folderProblem(folder.isEmpty ? "." : folder) {
            throw WriteError(description: "cannot write \(path): \(problem)")
        }
        let temporary = temporaryPath(for: path)
        TemporaryFiles.add(file: temporary)
        defer { unlink(temporary); TemporaryFiles.remove(file: temporary) }
        do {
            try produce(temporary)
            try sync(temporary)
            try holdingRename(temporary, path)
        } catch {
            throw WriteError(description: "cannot write \(path) (\(error)); a previous \(Self.split(path).name) is kept")
        }
        syncFolder(folder.isEmpty ? "." : folder)
    }

    /// `replaceFile` for text.
    public static func replaceFile(at path: String, contents: String) throws {
        try replaceFile(at: path) { temporary in try writeFile(temporary, Array(contents.utf8)) }
    }

    // MARK: Steps

    private var lockPath: String { (path as NSString).appendingPathComponent(Self.lockName) }

    private static func temporaryPath(for final: String) -> String {
        let (folder, name) = split(final)
        return (folder.isEmpty ? "" : folder + "/") + ".\(name).\(getpid()).tmp"
    }

    /// A path's folder ("" for a bare name, "/" at the root) and last part. By hand: NSString's
    /// deletingLastPathComponent traps on a one-character name in swift-corelibs-foundation.
    private static func split(_ path: String) -> (folder: String, name: String) {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return ("", String(p)) }
        let folder = p[..<slash]
        return (folder.isEmpty ? "/" : String(folder), String(p[p.index(after: slash)...]))
    }

    private static func writeFile(_ path: String, _ bytes: [UInt8]) throws(WriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        guard fd >= 0 else { throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let start = offset
            let n = bytes.withUnsafeBytes { Foundation.write(fd, $0.baseAddress! + start, $0.count - start) }
            if n < 0, errno == EINTR { continue }
            if n <= 0 {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw WriteError(description: "cannot write \(path): \(reason)")
            }
            offset += n
        }
        if fsync(fd) != 0 || close(fd) != 0 {
            throw WriteError(description: "cannot flush \(path): \(String(cString: strerror(errno)))")
        }
    }

    /// Flushes a file another writer (GLPK) has closed.
    private static func sync(_ path: String) throws(WriteError) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            if fd >= 0 { close(fd) }
            throw WriteError(description: "cannot flush \(path): \(reason)")
        }
        close(fd)
    }

    private static func holdingRename(_ temporary: String, _ final: String) throws(WriteError) {
        try TemporaryFiles.holdingTerminationSignals { () throws(WriteError) in
            guard rename(temporary, final) == 0 else {
                throw WriteError(description: "cannot move \(temporary) to \(final): \(String(cString: strerror(errno))); the previous file is kept")
            }
            TemporaryFiles.remove(file: temporary)
        }
    }

    /// Makes the renames themselves durable.
    private static func syncFolder(_ path: String) {
        let dir = open(path, O_RDONLY)
        if dir >= 0 { fsync(dir); close(dir) }
    }

    /// The folder, created with any missing parents (returned, outermost first), and its lock.
    private func lockedFolder() throws(WriteError) -> (created: [String], lock: Int32) {
        guard !path.isEmpty else { throw WriteError(description: "the output folder's path is empty") }
        while true {
            let created = try createFolder()
            if !created.isEmpty { TemporaryFiles.add(file: lockPath) }
            if let lock = try acquireLock() { return (created, lock) }
            // The lock file was removed while this run waited (a failed first write cleaned up): again.
        }
    }

    /// Why `path` cannot hold output files, or nil when it is a folder.
    private static func folderProblem(_ path: String) -> String? {
        var info = stat()
        if stat(path, &info) == 0 {
            return info.st_mode & S_IFMT == S_IFDIR ? nil : "\(path) is a file, not a folder"
        }
        if errno == ENOENT, lstat(path, &info) == 0 {
            var target = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(path, &target, target.count - 1)
            let to = n > 0 ? String(decoding: target[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self) : "?"
            return "\(path) is a symbolic link to \(to), which does not exist"
        }
        if errno == ENOTDIR {
            var ancestor = path
            while !ancestor.isEmpty, ancestor != "/" {
                ancestor = Self.split(ancestor).folder
                if stat(ancestor, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { return "\(ancestor) is a file, not a folder" }
            }
        }
        return "\(path): \(String(cString: strerror(errno)))"
    }

    private func createFolder() throws(WriteError) -> [String] {
        var missing: [String] = []
        var p = path
        var info = stat()
        while !p.isEmpty, lstat(p, &info) != 0, errno == ENOENT {
            missing.append(p)
            p = Self.split(p).folder
        }
        if missing.isEmpty || !p.isEmpty, let problem = Self.folderProblem(p.isEmpty ? "." : p) {
            throw WriteError(description: missing.isEmpty ? "cannot write to \(path): \(problem)" : "cannot create \(path): \(problem)")
        }
        var created: [String] = []
        for folder in missing.reversed() {
            TemporaryFiles.add(folder: folder)
            guard mkdir(folder, 0o755) == 0 || errno == EEXIST else {
                let reason = String(cString: strerror(errno))
                TemporaryFiles.remove(folder: folder)
                for done in created.reversed() { rmdir(done); TemporaryFiles.remove(folder: done) }
                throw WriteError(description: "cannot create \(folder): \(reason)")
            }
            created.append(folder)
        }
        return created
    }

    /// The lock's descriptor, or nil when the lock file was removed while this run waited for it.
    private func acquireLock() throws(WriteError) -> Int32? {
        let path = lockPath
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
        var held = stat(), current = stat()
        guard fstat(fd, &held) == 0, stat(path, &current) == 0, held.st_ino == current.st_ino, held.st_dev == current.st_dev else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Removes the files of `owned`'s kind in its folder whose names (relative to `path`) are not in `keeping`.
    private func removeOthers(_ owned: OwnedFiles, keeping: Set<String>) {
        let folder = owned.folder.isEmpty ? path : (path as NSString).appendingPathComponent(owned.folder)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        where owned.owns(entry) && !keeping.contains(owned.folder.isEmpty ? entry : owned.folder + "/" + entry) {
            unlink((folder as NSString).appendingPathComponent(entry))
        }
    }

    /// Temporary files of runs killed while writing (`.NAME.PID.tmp`, beside NAME in its folder);
    /// under the lock no live run owns one.
    private func removeStaleTemporaries(_ names: [String]) {
        for (sub, group) in Dictionary(grouping: names.map { Self.split($0) }, by: \.folder) {
            let folder = sub.isEmpty ? path : (path as NSString).appendingPathComponent(sub)
            let entries = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            for entry in entries where (entry.hasSuffix(".tmp") || entry.hasSuffix(".tmp.bak")) && group.contains(where: { entry.hasPrefix(".\($0.name).") }) {
                unlink((folder as NSString).appendingPathComponent(entry))
            }
        }
    }
}
