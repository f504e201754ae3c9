import Foundation
import Testing

/// A nightly run is killed, interrupted, limited in time or started twice: the output folder
/// must always hold a complete plan, never a half-written one.
@Suite(.serialized) struct FaultTests {
    typealias CLI = CommandLineTests

    /// A scenario big enough that GLPK works for minutes (50 nodes, 96 quarter hours).
    static let large: String = {
        let dir = CLI.temporaryDirectory() + "/large"
        let r = try! CLI.run(["generate", "--nodes", "50", "--periods", "96", "--period-minutes", "15", "--classes", "3", "--out", dir])
        precondition(r.status == 0, r.stderr)
        return dir
    }()

    static func start(_ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLI.binary)
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        environment["GREENSHIFT_COOLING_LIBRARY"] = CLI.root + "/Models/cooling"
        process.environment = environment
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return (process, err)
    }

    /// A folder holding a finished plan of the small example, to see that it survives.
    static func previousPlan() throws -> (out: String, plan: Data) {
        let out = CLI.temporaryDirectory() + "/plan"
        #expect(try CLI.run(["optimize", try CLI.example(), "--out", out]).status == 0)
        return (out, try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")))
    }

    @Test func timeLimitExitsFourAndWritesNothing() throws {
        let (out, before) = try Self.previousPlan()
        let r = try CLI.run(["optimize", Self.large, "--out", out, "--time-limit", "1"])
        #expect(r.status == 4, "\(r.stderr)")
        #expect(r.stderr.contains("time limit"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")) == before)
    }

    @Test(arguments: [(SIGTERM, "SIGTERM"), (SIGINT, "SIGINT")])
    func signalsEndTheRunCleanly(signal: Int32, name: String) throws {
        let (out, before) = try Self.previousPlan()
        let (process, err) = try Self.start(["optimize", Self.large, "--out", out])
        Thread.sleep(forTimeInterval: 1.5)
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 128 + signal, "\(name): \(message)")
        #expect(message.contains("stopped by a signal"))
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).allSatisfy { !$0.hasSuffix(".tmp") })
    }

    /// `kill -9` cannot be caught: a run killed while writing leaves at most temporary files,
    /// which the next run removes; the plan itself is the old one or the new one, whole.
    @Test func killedWhileWritingLeavesAWholePlan() throws {
        let (out, before) = try Self.previousPlan()
        let stale = out + "/.plan.json.99999.tmp"
        try "{\"half\": ".write(toFile: stale, atomically: false, encoding: .utf8)
        let (process, _) = try Self.start(["optimize", Self.large, "--out", out])
        Thread.sleep(forTimeInterval: 0.5)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")) == before)
        #expect(try CLI.run(["optimize", try CLI.example(), "--out", out]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: stale))
    }

    /// Two runs on one folder: the second waits for the first's lock, and the files are one run's.
    @Test func concurrentRunsTakeTurns() throws {
        let out = CLI.temporaryDirectory() + "/plan"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let lockPath = out + "/.greenshift.lock"
        let fd = open(lockPath, O_RDWR | O_CREAT, 0o644)
        #expect(flock(fd, LOCK_EX) == 0)
        let (process, err) = try Self.start(["optimize", try CLI.example(), "--out", out])
        Thread.sleep(forTimeInterval: 1)
        #expect(process.isRunning)
        #expect(!FileManager.default.fileExists(atPath: out + "/plan.json"))
        close(fd)  // releases the lock
        process.waitUntilExit()
        let message = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(message.contains("another run is writing"))
        #expect(FileManager.default.fileExists(atPath: out + "/plan.json"))
    }
}
