import Foundation
import Testing

/// The scripts in Data/tools write the shipped folders byte for byte (Data/README.md: "the same
/// script always writes the same bytes"): each runs into a temporary folder, and every file it
/// writes must equal the shipped one, with none missing and none extra. A script that drifts from
/// the module it imports (make_history.py after the default scenario's AI pools) fails here.
@Suite(.enabled(if: python3OnPath, "python3 is not installed"))
struct DataToolsTests {
    static let tools = ScenarioFixture.repositoryRoot + "/Data/tools/"

    /// Runs `python3 Data/tools/<script> <arguments>`; the exit status and standard error.
    static func python(_ script: String, _ arguments: [String]) throws -> (status: Int32, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", tools + script] + arguments
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        let stderr = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, stderr)
    }

    /// Every regular file under `directory`: its path relative to `directory`, and its bytes.
    static func files(_ directory: String) throws -> [String: Data] {
        var out: [String: Data] = [:]
        for path in try FileManager.default.subpathsOfDirectory(atPath: directory) {
            var isDirectory: ObjCBool = false
            let full = directory + "/" + path
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[path] = try Data(contentsOf: URL(fileURLWithPath: full))
            }
        }
        return out
    }

    /// What differs between the written and the shipped folder, one line per file.
    static func differences(written: String, shipped: String) throws -> [String] {
        let ours = try files(written), theirs = try files(shipped)
        return Set(ours.keys).union(theirs.keys).sorted().compactMap { path in
            switch (ours[path], theirs[path]) {
            case (nil, _): "not written: \(path)"
            case (_, nil): "not shipped: \(path)"
            case let (a?, b?): a == b ? nil : "differs: \(path)"
            }
        }
    }

    static func temporaryDirectory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-data-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// The 30-day history for simulate: 219 files, about 2 s.
    @Test func makeHistoryWritesTheShippedHistory() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let r = try Self.python("make_history.py", ["--out", dir + "/history"])
        try #require(r.status == 0, "make_history.py failed: \(r.stderr)")
        let shipped = ScenarioFixture.repositoryRoot + "/Data/histories/east-west-hubs-30d"
        let differences = try Self.differences(written: dir + "/history", shipped: shipped)
        #expect(differences.isEmpty, "\(differences.count) files: \(differences.prefix(5).joined(separator: "; "))")
        #expect(try Self.files(shipped).count == 219, "Data/README.md: the folder holds 219 files")
    }

    /// The default scenario (scenario.toml, timeseries/) and its example actuals (actuals/).
    @Test func makeDefaultScenarioAndActualsWriteTheShippedScenario() throws {
        let dir = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let scenario = dir + "/east-west-hubs"
        let made = try Self.python("make_default_scenario.py", ["--out", scenario])
        try #require(made.status == 0, "make_default_scenario.py failed: \(made.stderr)")
        let actuals = try Self.python("make_actuals.py", ["--scenario", scenario])
        try #require(actuals.status == 0, "make_actuals.py failed: \(actuals.stderr)")
        let differences = try Self.differences(written: scenario, shipped: ScenarioFixture.defaultScenario)
        #expect(differences.isEmpty, "\(differences.count) files: \(differences.prefix(5).joined(separator: "; "))")
    }
}
