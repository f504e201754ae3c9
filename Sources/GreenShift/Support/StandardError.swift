import Foundation

/// Messages for standard error, whatever it is: closed, a full disk, a pipe nobody reads. A
/// message that cannot be shown must not change how the run ends, so write(2) is called
/// directly and its failures ignored (FileHandle.write traps on them: exit 132, not 2).
public enum StandardError {
    public static func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Foundation.write(2, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { return }
            bytes = bytes.dropFirst(n)
        }
    }
}
