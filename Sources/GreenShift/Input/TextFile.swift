import Foundation

/// Reads a text input file: bounded size, UTF-8 checked (with the place of the first bad byte),
/// byte-order mark removed.
enum TextFile {
    /// Larger inputs are refused before they are read: the largest real scenarios are a few MB.
    static let maximumBytes = 256 * 1024 * 1024

    static func read(_ path: String, displayName: String) -> Result<String, Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(Diagnostic(file: displayName, "file not found"))
        }
        if isDirectory.boolValue { return .failure(Diagnostic(file: displayName, "is a directory, expected a file")) }
        if let size = (try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? Int, size > maximumBytes {
            return .failure(Diagnostic(file: displayName,
                                       "file is \(size) bytes; the limit is \(maximumBytes) bytes"))
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            return .failure(Diagnostic(file: displayName, "cannot be read (permission denied or not a regular file)"))
        }
        defer { try? handle.close() }
        let data: Data
        do {
            data = try handle.readToEnd() ?? Data()
        } catch {
            return .failure(Diagnostic(file: displayName, "cannot be read: \(error.localizedDescription)"))
        }
        if data.count > maximumBytes {
            return .failure(Diagnostic(file: displayName, "file is larger than \(maximumBytes) bytes"))
        }
        var bytes = [UInt8](data)
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
