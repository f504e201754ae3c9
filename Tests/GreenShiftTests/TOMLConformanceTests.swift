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

    private func read(_ file: String) -> Result<TOMLDocument, Error> {
        switch TextFile.read(suite + "/" + file, displayName: file) {
        case .failure(let d): return .failure(d)
        case .success(let text): return Result { try TOMLDocument(parsing: text) }
        }
    }

    @Test func readsEveryValidFileToItsValues() throws {
        let files = try files("valid")
        var failures: [String] = []
        for file in files {
            switch read(file) {
            case .failure(let error): failures.append("\(file): \(error)")
            case .success(let doc):
                let json = try Data(contentsOf: URL(fileURLWithPath: suite + "/" + file.dropLast(5) + ".json"))
                let expected = try JSONSerialization.jsonObject(with: json, options: [.fragmentsAllowed])
                if let difference = Self.difference(.table(doc.root), expected, at: "") { failures.append("\(file): \(difference)") }
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

    /// toml-test's tagged JSON: a table is an object, an array an array, a scalar {type, value}.
    static func difference(_ value: TOMLValue, _ expected: Any, at path: String) -> String? {
        switch value {
        case .table(let table):
            guard let object = expected as? [String: Any] else { return "\(path): a table where the suite has \(expected)" }
            if Set(table.keys) != Set(object.keys) { return "\(path): keys \(table.keys.sorted()) where the suite has \(object.keys.sorted())" }
            for key in table.keys {
                if let d = difference(table[key]!.value, object[key]!, at: path + "." + key) { return d }
            }
            return nil
        case .array(let elements):
            guard let array = expected as? [Any], array.count == elements.count else { return "\(path): an array of \(elements.count) where the suite has \(expected)" }
            for (k, (element, e)) in zip(elements, array).enumerated() {
                if let d = difference(element.value, e, at: "\(path)[\(k)]") { return d }
            }
            return nil
        default:
            guard let tagged = expected as? [String: String], let type = tagged["type"], let text = tagged["value"] else {
                return "\(path): a scalar where the suite has \(expected)"
            }
            let same: Bool
            switch value {
            case .string(let s): same = type == "string" && s == text
            case .integer(let i): same = type == "integer" && Int(text) == i
            case .float(let f):
                same = type == "float" && (f.isNaN ? text == "nan" : Double(text.replacingOccurrences(of: "inf", with: "infinity")) == f)
            case .boolean(let b): same = type == "bool" && text == String(b)
            case .dateTime(let d):
                let kind = d.hasOffset ? "datetime" : d.hasDate && d.hasTime ? "datetime-local" : d.hasDate ? "date-local" : "time-local"
                same = type == kind
            case .array, .table: same = false
            }
            return same ? nil : "\(path): \(value) where the suite has \(type) \(text)"
        }
    }
}
