import Foundation

/// A JSON value with ordered object members, written in a stable, diff-friendly layout:
/// objects one member per line, except that an object or array holding only scalars is
/// written on one line (so each placement or node period is one line, as in plan.md).
public indirect enum JSON: Sendable {
    case number(Double)
    case string(String)
    case bool(Bool)
    case null
    case array([JSON])
    case object([(String, JSON)])

    public static func optional(_ value: Double?) -> JSON { value.map(JSON.number) ?? .null }

    public func rendered() -> String {
        var out = ""
        write(to: &out, indent: 0)
        out += "\n"
        return out
    }

    private var isScalar: Bool {
        switch self {
        case .array, .object: return false
        default: return true
        }
    }

    private var isFlat: Bool {
        switch self {
        case .array(let a): return a.allSatisfy(\.isScalar)
        case .object(let o): return o.allSatisfy { $0.1.isScalar }
        default: return true
        }
    }

    private func write(to out: inout String, indent: Int) {
        switch self {
        case .number(let v): out += Self.format(v)
        case .string(let s): Self.quote(s, into: &out)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .array(let elements):
            if elements.isEmpty { out += "[]"; return }
            if isFlat {
                out += "["
                for (k, e) in elements.enumerated() { if k > 0 { out += ", " }; e.write(to: &out, indent: indent) }
                out += "]"
                return
            }
            out += "[\n"
            let pad = String(repeating: " ", count: indent + 2)
            for (k, e) in elements.enumerated() {
                out += pad
                e.write(to: &out, indent: indent + 2)
                out += k + 1 < elements.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            if isFlat {
                out += "{"
                for (k, (key, value)) in members.enumerated() {
                    if k > 0 { out += ", " }
                    Self.quote(key, into: &out); out += ": "
                    value.write(to: &out, indent: indent)
                }
                out += "}"
                return
            }
            out += "{\n"
            let pad = String(repeating: " ", count: indent + 2)
            for (k, (key, value)) in members.enumerated() {
                out += pad
                Self.quote(key, into: &out); out += ": "
                value.write(to: &out, indent: indent + 2)
                out += k + 1 < members.count ? ",\n" : "\n"
            }
            out += String(repeating: " ", count: indent) + "}"
        }
    }

    /// Twelve significant digits: enough for any physical quantity here, and free of binary noise
    /// such as 0.30000000000000004. Non-finite numbers are not JSON; they are written as null.
    public static func format(_ v: Double) -> String {
        guard v.isFinite else { return "null" }
        if v == 0 { return "0" }
        if v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBufferPointer { b in
            withVaList([v]) { vsnprintf(UnsafeMutableRawPointer(b.baseAddress!).assumingMemoryBound(to: CChar.self), 32, "%.12g", $0) }
        }
        return String(decoding: buffer.prefix(Int(count)), as: UTF8.self)
    }

    private static func quote(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case let c where c.value < 0x20:
                out += "\\u" + String(repeating: "0", count: 4 - String(c.value, radix: 16).count) + String(c.value, radix: 16)
            default: out.unicodeScalars.append(scalar)
            }
        }
        out += "\""
    }
}
