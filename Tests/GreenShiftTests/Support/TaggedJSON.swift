import Foundation
@testable import GreenShift

/// toml-test's tagged JSON, the form both the official suite and the differential test give a
/// document's values in: a table is an object, an array an array, a scalar {type, value}.
enum TaggedJSON {
    /// A TOML file read the way a scenario's are: TextFile (UTF-8, size), then TOMLDocument.
    static func read(_ path: String) -> Result<TOMLDocument, Error> {
        switch TextFile.read(path, displayName: path) {
        case .failure(let d): return .failure(d)
        case .success(let text): return Result { try TOMLDocument(parsing: text) }
        }
    }

    static func load(_ path: String) throws -> Any {
        try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: path)), options: [.fragmentsAllowed])
    }

    /// The first place where `value` differs from `expected`, or nil. Date-times are compared by
    /// kind only: the reader keeps their text, the suite writes them normalized.
    static func difference(_ value: TOMLValue, _ expected: Any, at path: String = "") -> String? {
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
