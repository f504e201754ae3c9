import Foundation

/// What this process is writing and would leave behind if stopped: temporary files, and
/// folders it created for its output. A termination signal's handler calls `removeAll()`, which
/// uses only unlink(2) and rmdir(2), both async-signal-safe, on a list kept in memory allocated
/// before any handler runs. Termination signals are held while the list changes, so the handler
/// never sees it half-changed. A `kill -9` still leaves temporaries: the next run removes them.
public enum TemporaryFiles {
    public static let terminationSignals: [Int32] = [SIGINT, SIGTERM, SIGHUP]

    /// This process's list, the one the signal handler empties.
    nonisolated(unsafe) public static let shared = List()

    /// Allocates the list; call before installing a handler that calls `removeAll()`.
    public static func prepare() { _ = shared }

    public static func add(file path: String) { shared.add(path, to: shared.files) }
    public static func add(folder path: String) { shared.add(path, to: shared.folders) }
    public static func remove(file path: String) { shared.remove(path, from: shared.files) }
    public static func remove(folder path: String) { shared.remove(path, from: shared.folders) }
    /// For a signal handler: async-signal-safe calls only.
    public static func removeAll() { shared.removeAll() }

    /// Runs `body` with SIGINT, SIGTERM and SIGHUP held back; one arriving meanwhile is delivered after.
    public static func holdingTerminationSignals<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        var signals = sigset_t(), previous = sigset_t()
        sigemptyset(&signals)
        for signal in terminationSignals { sigaddset(&signals, signal) }
        pthread_sigmask(SIG_BLOCK, &signals, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }

    /// Fixed slots of C strings, allocated once: the handler neither allocates nor locks.
    public final class List {
        private let capacity = 64
        fileprivate let files: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>
        /// Newest folder last (removed first, since it is the deepest).
        fileprivate let folders: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>

        public init() {
            files = .allocate(capacity: capacity)
            files.initialize(repeating: nil, count: capacity)
            folders = .allocate(capacity: capacity)
            folders.initialize(repeating: nil, count: capacity)
        }

        public func add(file path: String) { add(path, to: files) }
        public func add(folder path: String) { add(path, to: folders) }

        /// Beyond the list's capacity a path is not tracked, and only the next run removes it.
        fileprivate func add(_ path: String, to list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) {
            holdingTerminationSignals {
                if let free = (0 ..< capacity).first(where: { list[$0] == nil }) { list[free] = strdup(path) }
            }
        }

        fileprivate func remove(_ path: String, from list: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) {
            holdingTerminationSignals {
                for k in 0 ..< capacity {
                    if let p = list[k], strcmp(p, path) == 0 { free(p); list[k] = nil }
                }
            }
        }

        public func removeAll() {
            for k in 0 ..< capacity { if let p = files[k] { unlink(p) } }
            // rmdir removes only empty folders, so nothing the user put there is lost.
            for k in (0 ..< capacity).reversed() { if let p = folders[k] { rmdir(p) } }
        }
    }
}
