/// Reads typed values out of a TOML table against a schema, recording a diagnostic with file,
/// line and column for every missing, unknown or ill-typed key instead of stopping at the first.
final class TOMLSchemaReader {
    let file: String
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String) { self.file = file }

    func report(_ position: SourcePosition?, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: position?.line, column: position?.column, message))
    }

    /// Reports every key of `table` that is not in `allowed`, suggesting the nearest allowed key.
    func rejectUnknownKeys(_ table: TOMLTable, allowed: [String], context: String) {
        for key in table.keys where !allowed.contains(key) {
            var message = "unknown key '\(key)' in \(context)"
            if let near = allowed.min(by: { editDistance($0, key) < editDistance($1, key) }),
               editDistance(near, key) <= max(2, key.count / 3) {
                message += " (did you mean '\(near)'?)"
            } else {
                message += " (allowed: \(allowed.joined(separator: ", ")))"
            }
            report(table.keyPosition(key), message)
        }
    }

    private func missing(_ table: TOMLTable, _ key: String, _ context: String) {
        report(table.position, "\(context) has no '\(key)' (required)")
    }

    func string(_ table: TOMLTable, _ key: String, context: String, required: Bool = true) -> String? {
        guard let node = table[key] else {
            if required { missing(table, key, context) }
            return nil
        }
        guard case .string(let s) = node.value else {
            report(node.position, "'\(key)' in \(context) must be a string, found \(node.value.typeName)")
            return nil
        }
        return s
    }

    /// A finite number (integer or decimal) within `range`; `rangeText` says the rule in words.
    func number(_ table: TOMLTable, _ key: String, context: String, required: Bool = true,
                isValid: (Double) -> Bool = { $0 >= 0 }, rule: String = ">= 0") -> Double? {
        guard let node = table[key] else {
            if required { missing(table, key, context) }
            return nil
        }
        let value: Double
        switch node.value {
        case .integer(let i): value = Double(i)
        case .float(let f): value = f
        default:
            report(node.position, "'\(key)' in \(context) must be a number, found \(node.value.typeName)")
            return nil
        }
        guard value.isFinite else {
            report(node.position, "'\(key)' in \(context) must be a finite number, found \(value)")
            return nil
        }
        guard isValid(value) else {
            report(node.position, "'\(key)' in \(context) must be \(rule), found \(formatNumber(value))")
            return nil
        }
        return value
    }

    func integer(_ table: TOMLTable, _ key: String, context: String, range: ClosedRange<Int>) -> Int? {
        guard let node = table[key] else {
            missing(table, key, context)
            return nil
        }
        guard case .integer(let i) = node.value else {
            report(node.position, "'\(key)' in \(context) must be an integer, found \(node.value.typeName)")
            return nil
        }
        guard range.contains(i) else {
            let rule = range.upperBound == Int.max ? ">= \(range.lowerBound)" : "in \(range.lowerBound)..\(range.upperBound)"
            report(node.position, "'\(key)' in \(context) must be an integer \(rule), found \(i)")
            return nil
        }
        return i
    }

    func boolean(_ table: TOMLTable, _ key: String, context: String) -> Bool? {
        guard let node = table[key] else { return nil }
        guard case .boolean(let b) = node.value else {
            report(node.position, "'\(key)' in \(context) must be true or false, found \(node.value.typeName)")
            return nil
        }
        return b
    }

    func table(_ parent: TOMLTable, _ key: String, context: String) -> TOMLTable? {
        guard let node = parent[key] else { return nil }
        guard case .table(let t) = node.value else {
            report(node.position, "'\(key)' in \(context) must be a table, found \(node.value.typeName)")
            return nil
        }
        return t
    }

    /// An array of tables (`[[key]]`, or an array of inline tables).
    func tables(_ parent: TOMLTable, _ key: String) -> [TOMLTable]? {
        guard let node = parent[key] else { return nil }
        guard case .array(let elements) = node.value else {
            report(node.position, "'\(key)' must be an array of tables ([[\(key)]]), found \(node.value.typeName)")
            return nil
        }
        var result: [TOMLTable] = []
        for element in elements {
            guard case .table(let t) = element.value else {
                report(element.position, "every element of '\(key)' must be a table, found \(element.value.typeName)")
                continue
            }
            result.append(t)
        }
        return result
    }
}

/// Numbers in messages: integers without a trailing ".0".
func formatNumber(_ v: Double) -> String {
    if v == v.rounded(), abs(v) < 1e15 { return String(Int(v)) }
    return String(v)
}

/// Levenshtein distance, for "did you mean" hints.
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a), b = Array(b)
    if a.isEmpty { return b.count }
    var previous = Array(0 ... b.count)
    for i in 1 ... a.count {
        var current = [i] + [Int](repeating: 0, count: b.count)
        for j in stride(from: 1, through: b.count, by: 1) {
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
        }
        previous = current
    }
    return previous[b.count]
}
