extension JSON {
    /// The value as block-style YAML, for Kubernetes manifests people read. Strings are always
    /// double-quoted (JSON's escapes are YAML's), so no value is ever read as a number or a
    /// boolean; strings holding lines become literal blocks.
    public func yaml() -> String {
        var out = ""
        writeYAML(to: &out, indent: 0)
        return out
    }

    private func writeYAML(to out: inout String, indent: Int) {
        let pad = String(repeating: " ", count: indent)
        switch self {
        case .object(let members) where !members.isEmpty:
            for (key, value) in members {
                out += pad + JSON.yamlKey(key) + ":"
                value.writeValue(to: &out, indent: indent, inSequence: false)
            }
        case .array(let elements) where !elements.isEmpty:
            for e in elements {
                out += pad + "-"
                e.writeValue(to: &out, indent: indent, inSequence: true)
            }
        default:
            out += pad + inline() + "\n"
        }
    }

    /// After `key:` or `-`: a scalar on the same line, a block below.
    private func writeValue(to out: inout String, indent: Int, inSequence: Bool) {
        switch self {
        case .object(let members) where !members.isEmpty:
            if inSequence {
                // The first member on the dash's line, the others aligned with it.
                var rest = ""
                JSON.object(members).writeYAML(to: &rest, indent: indent + 2)
                out += " " + rest.dropFirst(indent + 2)
            } else {
                out += "\n"
                writeYAML(to: &out, indent: indent + 2)
            }
        case .array(let elements) where !elements.isEmpty:
            out += "\n"
            // Kubernetes style: a sequence under a key is not indented further.
            writeYAML(to: &out, indent: inSequence ? indent + 2 : indent)
        case .string(let s) where s.contains("\n"):
            out += " |" + (s.hasSuffix("\n") ? "" : "-") + "\n"
            let pad = String(repeating: " ", count: indent + 2)
            for line in s.split(separator: "\n", omittingEmptySubsequences: false).dropLast(s.hasSuffix("\n") ? 1 : 0) {
                out += (line.isEmpty ? "" : pad + line) + "\n"
            }
        default:
            out += " " + inline() + "\n"
        }
    }

    private func inline() -> String {
        switch self {
        case .array: return "[]"
        case .object: return "{}"
        default: return rendered().dropLast().description
        }
    }

    private static func yamlKey(_ key: String) -> String {
        // A key starting with a digit could read as a number or a date; quoted, it is a string.
        let letter: (Unicode.Scalar) -> Bool = { $0.isASCII && $0.properties.isAlphabetic }
        let plain = key.unicodeScalars.first.map(letter) == true
            && key.unicodeScalars.allSatisfy { letter($0) || ("0" ... "9").contains($0) || "-_./".unicodeScalars.contains($0) }
        return plain ? key : JSON.string(key).rendered().dropLast().description
    }
}
