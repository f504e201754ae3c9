import Foundation
import Testing
@testable import GreenShift

/// python3 is on PATH (the tests that run Python scripts skip themselves without it).
let python3OnPath = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
    .contains { FileManager.default.isExecutableFile(atPath: "\($0)/python3") }

/// Documents written by two TOML writers (tomli-w, tomlkit), read by Python's tomllib and by
/// greenshift's reader: the values must agree. Tests/Python/toml_documents.py makes them; it
/// runs in the venv that `make test-venv` creates (.venv-tests). Skipped only where python3 is
/// absent: with python3 but without the venv, the test fails and says how to make it.
@Suite(.enabled(if: python3OnPath, "python3 is not installed"))
struct TOMLDifferentialTests {
    static let venvPython = ScenarioFixture.repositoryRoot + "/.venv-tests/bin/python3"

    @Test(arguments: [1, 2, 3])
    func readsWhatTomllibReads(seed: Int) throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.venvPython),
                     "no \(Self.venvPython): run `make test-venv` (python3 -m venv with Tests/Python/requirements.txt)")
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-toml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let count = 200
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.venvPython)
        process.arguments = [ScenarioFixture.repositoryRoot + "/Tests/Python/toml_documents.py", directory, String(count), String(seed)]
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "toml_documents.py failed")
        var failures: [String] = []
        for n in 0 ..< count {
            let name = directory + "/" + String(format: "%04d", n)
            switch TaggedJSON.read(name + ".toml") {
            case .failure(let error): failures.append("\(n): \(error)")
            case .success(let doc):
                if let d = TaggedJSON.difference(.table(doc.root), try TaggedJSON.load(name + ".json")) { failures.append("\(n): \(d)") }
            }
        }
        #expect(failures.isEmpty, "seed \(seed): \(failures.prefix(5).joined(separator: "\n"))")
    }
}
