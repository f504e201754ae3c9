import Foundation

/// Reads a text input file: regular files only (a pipe or device would block or never end),
/// bounded size, UTF-8 checked (with the place of the first bad byte), byte-order mark removed.
enum TextFile {
    /// Larger inputs are refused before they are read: the largest real scenarios are a few MB.
    static let maximumBytes = 256 * 1024 * 1024

    /// Whether anything, even a broken symbolic link, is at `path`: then reading it says what is wrong.
    static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    /// Why a path cannot be read as a file, or nil when it can. Follows symbolic links.
    static func problem(with path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            switch errno {
            case ENOENT:
                var link = stat()
                return lstat(path, &link) == 0 ? "is a symbolic link to nothing" : "file not found"
            case ELOOP: return "is a symbolic link loop"
            case EACCES: return "cannot be read: permission denied"
            case ENOTDIR: return "file not found (a folder on its path is a file)"
            default: return "cannot be read: \(String(cString: strerror(errno)))"
            }
        }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "is a folder, expected a file"
        default: return "is not a regular file (a pipe, socket or device)"
        }
    }

    static func read(_ path: String, displayName: String) -> Result<String, Diagnostic> {
        if let problem = problem(with: path) { return .failure(Diagnostic(file: displayName, problem)) }
        var info = stat()
        if stat(path, &info) == 0, info.st_size > maximumBytes {
            return .failure(Diagnostic(file: displayName, "file is \(info.st_size) bytes, larger than \(maximumBytes) bytes, the limit for an input file"))
        }
        let fd = open(path, O_RDONLY | O_NONBLOCK)
        guard fd >= 0 else {
            return .failure(Diagnostic(file: displayName, "cannot be read: \(String(cString: strerror(errno)))"))
        }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Foundation.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(Diagnostic(file: displayName, "cannot be read: \(String(cString: strerror(errno)))"))
            }
            if n == 0 { break }
            bytes += chunk[0 ..< n]
            if bytes.count > maximumBytes {
                return .failure(Diagnostic(file: displayName, "file is larger than \(maximumBytes) bytes, the limit for an input file"))
            }
        }
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        if let bad = firstInvalidUTF8(bytes) {
            return .failure(Diagnostic(file: displayName, line: bad.line, column: bad.column,
                                       "not valid UTF-8 text (save the file as UTF-8)"))
        }
        return .success(String(decoding: bytes, as: UTF8.self))
    }

    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> SourcePosition? {
        var iterator = bytes.makeIterator()
        var decoder = UTF8()
        var position = SourcePosition(line: 1, column: 1)
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                if scalar == "\n" { position.line += 1; position.column = 1 } else { position.column += 1 }
            case .emptyInput: return nil
            case .error: return position
            }
        }
    }
}
