import Foundation
import Testing
@testable import GreenShift

/// The official TOML 1.0 test suite (toml-lang/toml-test), run locally and never copied into the
/// repository: `make toml-test TOML_TEST=/path/to/toml-test` sets TOML_TEST_SUITE to its tests/
/// folder. Every valid file must read through the same path as a scenario (TextFile, then
/// TOMLDocument) to the values of its .json twin; every invalid file must be refused.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["TOML_TEST_SUITE"] != nil, "TOML_TEST_SUITE is not set"))
struct TOMLConformanceTests {
    let suite = ProcessInfo.processInfo.environment["TOML_TEST_SUITE"] ?? ""

    private func files(_ kind: String) throws -> [String] {
        let list = try String(contentsOfFile: suite + "/files-toml-1.0.0", encoding: .utf8)
        return list.split(separator: "\n").map(String.init).filter { $0.hasPrefix(kind + "/") && $0.hasSuffix(".toml") }
    }

    private func read(_ file: String) -> Result<TOMLDocument, Error> { TaggedJSON.read(suite + "/" + file) }

    @Test func readsEveryValidFileToItsValues() throws {
        let files = try files("valid")
        var failures: [String] = []
        for file in files {
            switch read(file) {
            case .failure(let error): failures.append("\(file): \(error)")
            case .success(let doc):
                let expected = try TaggedJSON.load(suite + "/" + file.dropLast(5) + ".json")
                if let difference = TaggedJSON.difference(.table(doc.root), expected) { failures.append("\(file): \(difference)") }
            }
        }
        print("toml-test valid: \(files.count - failures.count)/\(files.count) read to their values")
        #expect(failures.isEmpty, "\(failures.joined(separator: "\n"))")
    }

    @Test func refusesEveryInvalidFile() throws {
        let files = try files("invalid")
        let accepted = files.filter { if case .success = read($0) { true } else { false } }
        print("toml-test invalid: \(files.count - accepted.count)/\(files.count) refused")
        #expect(accepted.isEmpty, "accepted: \(accepted.joined(separator: "\n"))")
    }
}
