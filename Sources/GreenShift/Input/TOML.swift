/// A TOML 1.0 reader that keeps the line and column of every key and value, so that a
/// scenario's problems can be reported where they are. It rejects duplicate keys and
/// redefined tables, as the TOML specification requires, and passes the official test suite
/// (toml-lang/toml-test, `make toml-test`).
struct TOMLDocument {
    let root: TOMLTable

    /// Arrays, tables and dotted keys nest at most this deep: the parser recurses, so without a
    /// limit hostile input overflows the stack. toml-test suggests real files need far less.
    static let maximumNesting = 128

    init(parsing text: String) throws(TOMLSyntaxError) {
        var parser = TOMLParser(text)
        root = try parser.parseDocument()
    }
}

struct TOMLSyntaxError: Error, Equatable {
    let position: SourcePosition
    let message: String
}

/// A date-time value as written; TOML's four kinds are told apart by `hasOffset` and `hasTime`.
struct TOMLDateTime: Equatable {
    let text: String
    let hasDate: Bool
    let hasTime: Bool
    let hasOffset: Bool
}

indirect enum TOMLValue {
    case string(String)
    case integer(Int)
    case float(Double)
    case boolean(Bool)
    case dateTime(TOMLDateTime)
    case array([TOMLNode])
    case table(TOMLTable)

    var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a decimal number"
        case .boolean: return "a boolean"
        case .dateTime: return "a date-time"
        case .array: return "an array"
        case .table: return "a table"
        }
    }
}

struct TOMLNode {
    var value: TOMLValue
    /// Where the value starts.
    let position: SourcePosition
}

/// A table keeps its keys in file order with the position of each key.
final class TOMLTable {
    enum Origin { case header, arrayElement, implicit, dotted, inline }

    private(set) var keys: [String] = []
    private(set) var entries: [String: TOMLNode] = [:]
    private(set) var keyPositions: [String: SourcePosition] = [:]
    /// Keys made by `[[key]]` headers: only these arrays take more elements from a header.
    var arraysOfTables: Set<String> = []
    var origin: Origin
    let position: SourcePosition
    /// Tables and arrays around this table; the root's is 0.
    let depth: Int

    init(origin: Origin, position: SourcePosition, depth: Int) {
        self.origin = origin
        self.position = position
        self.depth = depth
    }

    subscript(key: String) -> TOMLNode? { entries[key] }

    func keyPosition(_ key: String) -> SourcePosition? { keyPositions[key] }

    func set(_ key: String, _ node: TOMLNode, at position: SourcePosition) {
        if entries[key] == nil { keys.append(key); keyPositions[key] = position }
        entries[key] = node
    }
}

private struct TOMLParser {
    private let s: [Unicode.Scalar]
    private var i = 0
    private var line = 1
    private var lineStart = 0

    init(_ text: String) { s = Array(text.unicodeScalars) }

    private var position: SourcePosition { SourcePosition(line: line, column: i - lineStart + 1) }
    private var atEnd: Bool { i >= s.count }
    private func peek(_ offset: Int = 0) -> Unicode.Scalar? { i + offset < s.count ? s[i + offset] : nil }

    private mutating func advance() {
        if s[i] == "\n" { line += 1; lineStart = i + 1 }
        i += 1
    }

    private func fail(_ message: String, at position: SourcePosition? = nil) -> TOMLSyntaxError {
        TOMLSyntaxError(position: position ?? self.position, message: message)
    }

    private func lookingAt(_ text: String) -> Bool {
        var k = i
        for c in text.unicodeScalars {
            guard k < s.count, s[k] == c else { return false }
            k += 1
        }
        return true
    }

    // MARK: Document structure

    mutating func parseDocument() throws(TOMLSyntaxError) -> TOMLTable {
        let root = TOMLTable(origin: .header, position: SourcePosition(line: 1, column: 1), depth: 0)
        var current = root
        while true {
            try skipWhitespaceAndNewlines()
            guard let c = peek() else { return root }
            if c == "[" {
                current = try parseTableHeader(root)
            } else {
                try parseKeyValue(into: current)
            }
            try expectEndOfLine()
        }
    }

    private mutating func parseTableHeader(_ root: TOMLTable) throws(TOMLSyntaxError) -> TOMLTable {
        let start = position
        let isArray = peek(1) == "["
        advance(); if isArray { advance() }
        skipBlanks()
        let path = try parseKey()
        try checkNesting(path.count, at: start)
        skipBlanks()
        guard peek() == "]" else { throw fail("expected ']' to close the table header") }
        advance()
        if isArray {
            guard peek() == "]" else { throw fail("expected ']]' to close the array-of-tables header") }
            advance()
        }
        let parent = try walk(root, path.dropLast(), at: start, creatingWith: .implicit)
        let last = path.last!
        if isArray {
            let table = TOMLTable(origin: .arrayElement, position: start, depth: parent.depth + 1)
            if let existing = parent[last] {
                // `a = []` is a static array: a later `[[a]]` may not extend it.
                guard case .array(var elements) = existing.value, parent.arraysOfTables.contains(last)
                else { throw fail("'\(last)' is already defined as \(existing.value.typeName)", at: start) }
                elements.append(TOMLNode(value: .table(table), position: start))
                parent.set(last, TOMLNode(value: .array(elements), position: existing.position), at: start)
            } else {
                parent.set(last, TOMLNode(value: .array([TOMLNode(value: .table(table), position: start)]),
                                          position: start), at: start)
                parent.arraysOfTables.insert(last)
            }
            return table
        }
        if let existing = parent[last] {
            guard case .table(let table) = existing.value else {
                throw fail("'\(last)' is already defined as \(existing.value.typeName)", at: start)
            }
            guard table.origin == .implicit else {
                throw fail("table [\(path.joined(separator: "."))] is defined twice", at: start)
            }
            table.origin = .header
            return table
        }
        let table = TOMLTable(origin: .header, position: start, depth: parent.depth + 1)
        parent.set(last, TOMLNode(value: .table(table), position: start), at: start)
        return table
    }

    /// Follows `path` from `table`, creating tables that do not exist yet.
    /// An array of tables resolves to its last element.
    private func walk(_ table: TOMLTable, _ path: ArraySlice<String>, at position: SourcePosition,
                      creatingWith origin: TOMLTable.Origin) throws(TOMLSyntaxError) -> TOMLTable {
        var current = table
        for key in path {
            if let existing = current[key] {
                switch existing.value {
                case .table(let t):
                    if t.origin == .inline || (origin == .dotted && t.origin != .dotted && t.origin != .implicit) {
                        throw fail("cannot add keys to table '\(key)' here", at: position)
                    }
                    current = t
                case .array(let elements):
                    guard origin != .dotted, case .table(let t)? = elements.last?.value, t.origin == .arrayElement else {
                        throw fail("'\(key)' is an array, not a table", at: position)
                    }
                    current = t
                default:
                    throw fail("'\(key)' is already defined as \(existing.value.typeName)", at: position)
                }
            } else {
                let t = TOMLTable(origin: origin, position: position, depth: current.depth + 1)
                current.set(key, TOMLNode(value: .table(t), position: position), at: position)
                current = t
            }
        }
        return current
    }

    private mutating func parseKeyValue(into table: TOMLTable) throws(TOMLSyntaxError) {
        let keyStart = position
        let path = try parseKey()
        try checkNesting(table.depth + path.count, at: keyStart)
        skipBlanks()
        guard peek() == "=" else { throw fail("expected '=' after the key '\(path.joined(separator: "."))'") }
        advance()
        skipBlanks()
        let value = try parseValue(depth: table.depth + path.count)
        let target = try walk(table, path.dropLast(), at: keyStart, creatingWith: .dotted)
        let last = path.last!
        if target[last] != nil {
            throw fail("duplicate key '\(path.joined(separator: "."))'", at: keyStart)
        }
        target.set(last, value, at: keyStart)
    }

    private mutating func parseKey() throws(TOMLSyntaxError) -> [String] {
        var parts: [String] = []
        while true {
            skipBlanks()
            guard let c = peek() else { throw fail("expected a key") }
            if c == "\"" {
                parts.append(try parseBasicString())
            } else if c == "'" {
                parts.append(try parseLiteralString())
            } else if Self.isBareKeyScalar(c) {
                var key = ""
                while let c = peek(), Self.isBareKeyScalar(c) { key.unicodeScalars.append(c); advance() }
                parts.append(key)
            } else {
                throw fail("expected a key, found '\(c.escaped(asASCII: true))'")
            }
            skipBlanks()
            guard peek() == "." else { return parts }
            advance()
        }
    }

    private func checkNesting(_ depth: Int, at position: SourcePosition) throws(TOMLSyntaxError) {
        if depth > TOMLDocument.maximumNesting {
            throw fail("nested more than \(TOMLDocument.maximumNesting) levels deep (arrays, tables and dotted keys together)", at: position)
        }
    }

    private static func isBareKeyScalar(_ c: Unicode.Scalar) -> Bool {
        (c >= "A" && c <= "Z") || (c >= "a" && c <= "z") || (c >= "0" && c <= "9") || c == "_" || c == "-"
    }

    // MARK: Values

    /// A value with `depth` tables and arrays around it.
    private mutating func parseValue(depth: Int) throws(TOMLSyntaxError) -> TOMLNode {
        let start = position
        guard let c = peek() else { throw fail("expected a value") }
        if c == "[" || c == "{" { try checkNesting(depth + 1, at: start) }
        let value: TOMLValue
        switch c {
        case "\"":
            value = .string(lookingAt("\"\"\"") ? try parseMultilineBasicString() : try parseBasicString())
        case "'":
            value = .string(lookingAt("'''") ? try parseMultilineLiteralString() : try parseLiteralString())
        case "[":
            value = .array(try parseArray(depth: depth))
        case "{":
            value = .table(try parseInlineTable(start, depth: depth))
        case "t" where lookingAt("true"):
            i += 4; value = .boolean(true)
        case "f" where lookingAt("false"):
            i += 5; value = .boolean(false)
        default:
            value = try parseNumberOrDate(start)
        }
        return TOMLNode(value: value, position: start)
    }

    private mutating func parseArray(depth: Int) throws(TOMLSyntaxError) -> [TOMLNode] {
        advance()
        var elements: [TOMLNode] = []
        while true {
            try skipWhitespaceAndNewlines()
            if peek() == "]" { advance(); return elements }
            elements.append(try parseValue(depth: depth + 1))
            try skipWhitespaceAndNewlines()
            if peek() == "," { advance(); continue }
            guard peek() == "]" else { throw fail("expected ',' or ']' in the array") }
            advance()
            return elements
        }
    }

    private mutating func parseInlineTable(_ start: SourcePosition, depth: Int) throws(TOMLSyntaxError) -> TOMLTable {
        advance()
        let table = TOMLTable(origin: .implicit, position: start, depth: depth)
        skipBlanks()
        if peek() == "}" { advance(); table.origin = .inline; return table }
        while true {
            skipBlanks()
            try parseKeyValue(into: table)
            skipBlanks()
            if peek() == "," { advance(); continue }
            guard peek() == "}" else { throw fail("expected ',' or '}' in the inline table") }
            advance()
            table.origin = .inline
            return table
        }
    }

    private mutating func parseBasicString() throws(TOMLSyntaxError) -> String {
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else { throw fail("unterminated string") }
            try refuseControlCharacter(c, in: "a string")
            advance()
            if c == "\"" { return String(out) }
            if c == "\\" { out.append(try parseEscape()) } else { out.append(c) }
        }
    }

    private mutating func parseMultilineBasicString() throws(TOMLSyntaxError) -> String {
        i += 3
        if peek() == "\n" { advance() } else if peek() == "\r", peek(1) == "\n" { advance(); advance() }
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw fail("unterminated multi-line string") }
            try refuseControlCharacterInMultilineString(c)
            if lookingAt("\"\"\"") {
                i += 3
                // Up to two quotes may end the content right before the closing delimiter.
                var extra = 0
                while peek() == "\"", extra < 2 { out.append("\""); i += 1; extra += 1 }
                return String(out)
            }
            advance()
            if c == "\\" {
                // A line-ending backslash trims the newline and following whitespace.
                var k = i
                while k < s.count, s[k] == " " || s[k] == "\t" { k += 1 }
                if k < s.count, s[k] == "\n" || (s[k] == "\r" && k + 1 < s.count && s[k + 1] == "\n") {
                    while let d = peek(), d == " " || d == "\t" || d == "\n" || d == "\r" { advance() }
                } else {
                    out.append(try parseEscape())
                }
            } else {
                out.append(c)
            }
        }
    }

    /// TOML allows no control character but tab in strings and comments (U+0000-U+001F, U+007F):
    /// they would reach terminals and files raw. Escapes (`\\u0000`) are the way to write them.
    private func refuseControlCharacter(_ c: Unicode.Scalar, in place: String) throws(TOMLSyntaxError) {
        if (c.value < 0x20 && c != "\t") || c.value == 0x7F {
            throw fail("control character U+\(String(format: "%04X", c.value)) in \(place) (not allowed in TOML\(place == "a comment" ? "" : "; write it as an escape such as \\u0000 in a \"string\""))")
        }
    }

    /// A multi-line string may also hold line breaks: LF, or CR directly followed by LF.
    private func refuseControlCharacterInMultilineString(_ c: Unicode.Scalar) throws(TOMLSyntaxError) {
        if c == "\n" || (c == "\r" && peek(1) == "\n") { return }
        try refuseControlCharacter(c, in: "a multi-line string")
    }

    private mutating func parseEscape() throws(TOMLSyntaxError) -> Unicode.Scalar {
        guard let e = peek() else { throw fail("unterminated escape sequence") }
        advance()
        switch e {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u", "U":
            let digits = e == "u" ? 4 : 8
            var hex = ""
            for _ in 0 ..< digits {
                guard let h = peek(), h.properties.isASCIIHexDigit else { throw fail("expected \(digits) hex digits after \\\(e)") }
                hex.unicodeScalars.append(h); advance()
            }
            guard let v = UInt32(hex, radix: 16), let scalar = Unicode.Scalar(v) else {
                throw fail("\\\(e)\(hex) is not a Unicode scalar value")
            }
            return scalar
        default:
            throw fail("invalid escape sequence '\\\(e)'")
        }
    }

    private mutating func parseLiteralString() throws(TOMLSyntaxError) -> String {
        advance()
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek(), c != "\n" else { throw fail("unterminated string") }
            try refuseControlCharacter(c, in: "a string")
            advance()
            if c == "'" { return String(out) }
            out.append(c)
        }
    }

    private mutating func parseMultilineLiteralString() throws(TOMLSyntaxError) -> String {
        i += 3
        if peek() == "\n" { advance() } else if peek() == "\r", peek(1) == "\n" { advance(); advance() }
        var out = String.UnicodeScalarView()
        while true {
            guard let c = peek() else { throw fail("unterminated multi-line string") }
            try refuseControlCharacterInMultilineString(c)
            if lookingAt("'''") {
                i += 3
                var extra = 0
                while peek() == "'", extra < 2 { out.append("'"); i += 1; extra += 1 }
                return String(out)
            }
            advance()
            out.append(c)
        }
    }

    private mutating func parseNumberOrDate(_ start: SourcePosition) throws(TOMLSyntaxError) -> TOMLValue {
        var token = ""
        while let c = peek(), !(c == "," || c == "]" || c == "}" || c == "#" || c == "\n" || c == "\r" || c == "\t") {
            // A space separates date and time in a TOML date-time; elsewhere it ends the value.
            if c == " " {
                guard token.count == 10, token.unicodeScalars.allSatisfy({ $0 == "-" || $0.properties.numericType != nil }),
                      let d = peek(1), d >= "0" && d <= "9" else { break }
            }
            token.unicodeScalars.append(c)
            advance()
        }
        guard !token.isEmpty else { throw fail("expected a value", at: start) }
        switch Self.dateTime(token) {
        case .dateTime(let dateTime): return .dateTime(dateTime)
        case .impossible(let reason): throw fail("'\(token)' is not a valid date-time: \(reason)", at: start)
        case .notADateTime: break
        }
        if let value = Self.integer(token) { return .integer(value) }
        switch token {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if Self.isFloatSyntax(token) {
            guard let value = Double(token.replacingOccurrences(of: "_", with: "")) else {
                throw fail("'\(token)' is not a number", at: start)
            }
            return .float(value)
        }
        if token.first.map({ $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }) == true {
            throw fail("'\(token)' is not a valid TOML number", at: start)
        }
        throw fail("'\(token)' is not a value (strings need quotes)", at: start)
    }

    private static func integer(_ token: String) -> Int? {
        var body = Substring(token)
        var sign = ""
        if body.first == "+" || body.first == "-" {
            if body.first == "-" { sign = "-" }
            body = body.dropFirst()
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where body.hasPrefix(prefix) {
            let digits = body.dropFirst(2)
            // No sign before the prefix nor after it (Int(_:radix:) would take one).
            guard token.first != "+", token.first != "-",
                  digits.allSatisfy({ $0 == "_" || $0.isHexDigit && Int(String($0), radix: radix) != nil }),
                  underscoresBetweenDigits(digits, hex: true) else { return nil }
            return Int(digits.replacingOccurrences(of: "_", with: ""), radix: radix)
        }
        guard body.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }), underscoresBetweenDigits(body),
              !(body.count > 1 && body.first == "0") else { return nil }
        // The sign goes with the digits: -9223372036854775808 is an Int, its magnitude is not.
        return Int(sign + body.replacingOccurrences(of: "_", with: ""))
    }

    /// Every `_` in a number stands between two digits (`1_000`, never `_1`, `1_`, `1__0`, `1_e2`).
    private static func underscoresBetweenDigits(_ s: Substring, hex: Bool = false) -> Bool {
        let c = Array(s)
        func isDigit(_ k: Int) -> Bool { k >= 0 && k < c.count && (hex ? c[k].isHexDigit : c[k].isASCII && c[k].isNumber) }
        return !c.isEmpty && c.indices.allSatisfy { k in c[k] != "_" || (isDigit(k - 1) && isDigit(k + 1)) }
    }

    private static func isFloatSyntax(_ token: String) -> Bool {
        // [+-] int ( frac exp? | exp ), with digits around every '.' and '_'.
        guard underscoresBetweenDigits(token.first == "+" || token.first == "-" ? token.dropFirst() : Substring(token)) else { return false }
        let chars = Array(token.replacingOccurrences(of: "_", with: ""))
        var k = 0
        if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
        let intStart = k
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
        guard k > intStart, !(k - intStart > 1 && chars[intStart] == "0") else { return false }
        var hasFraction = false, hasExponent = false
        if k < chars.count, chars[k] == "." {
            k += 1
            let fracStart = k
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
            guard k > fracStart else { return false }
            hasFraction = true
        }
        if k < chars.count, chars[k] == "e" || chars[k] == "E" {
            k += 1
            if k < chars.count, chars[k] == "+" || chars[k] == "-" { k += 1 }
            let expStart = k
            while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
            guard k > expStart else { return false }
            hasExponent = true
        }
        return k == chars.count && (hasFraction || hasExponent)
    }

    private enum DateTimeReading {
        case notADateTime
        case impossible(String)
        case dateTime(TOMLDateTime)
    }

    /// RFC 3339 as TOML takes it: the syntax, then the calendar (month 1-12, the month's days,
    /// hours 0-23, minutes 0-59, seconds 0-60 for a leap second, offsets up to 23:59).
    private static func dateTime(_ token: String) -> DateTimeReading {
        let c = Array(token.utf8)
        func digits(_ range: Range<Int>) -> Bool { range.upperBound <= c.count && c[range].allSatisfy { $0 >= 48 && $0 <= 57 } }
        func number(_ range: Range<Int>) -> Int { c[range].reduce(0) { $0 * 10 + Int($1 - 48) } }
        let hasDate = c.count >= 10 && digits(0 ..< 4) && c[4] == 45 && digits(5 ..< 7) && c[7] == 45 && digits(8 ..< 10)
        if hasDate {
            let year = number(0 ..< 4), month = number(5 ..< 7), day = number(8 ..< 10)
            guard (1 ... 12).contains(month) else { return .impossible("month \(month) does not exist") }
            guard day >= 1, day <= Timestamp.daysIn(month: month, year: year) else {
                return .impossible("\(token.prefix(10)) is not a calendar date")
            }
        }
        var k = hasDate ? 10 : 0
        if hasDate, k == c.count { return .dateTime(TOMLDateTime(text: token, hasDate: true, hasTime: false, hasOffset: false)) }
        if hasDate {
            guard c[k] == UInt8(ascii: "T") || c[k] == UInt8(ascii: "t") || c[k] == UInt8(ascii: " ") else { return .notADateTime }
            k += 1
        }
        guard digits(k ..< k + 2), k + 2 < c.count, c[k + 2] == 58, digits(k + 3 ..< k + 5),
              k + 5 < c.count, c[k + 5] == 58, digits(k + 6 ..< k + 8) else { return .notADateTime }
        guard number(k ..< k + 2) <= 23, number(k + 3 ..< k + 5) <= 59, number(k + 6 ..< k + 8) <= 60 else {
            return .impossible("\(String(decoding: c[k ..< k + 8], as: UTF8.self)) is not a time of day")
        }
        k += 8
        if k < c.count, c[k] == 46 {
            k += 1
            let start = k
            while k < c.count, c[k] >= 48 && c[k] <= 57 { k += 1 }
            guard k > start else { return .notADateTime }
        }
        if k == c.count { return .dateTime(TOMLDateTime(text: token, hasDate: hasDate, hasTime: true, hasOffset: false)) }
        guard hasDate else { return .notADateTime }
        if (c[k] == UInt8(ascii: "Z") || c[k] == UInt8(ascii: "z")) && k + 1 == c.count {
            return .dateTime(TOMLDateTime(text: token, hasDate: true, hasTime: true, hasOffset: true))
        }
        guard c[k] == 43 || c[k] == 45, k + 6 == c.count, digits(k + 1 ..< k + 3), c[k + 3] == 58, digits(k + 4 ..< k + 6)
        else { return .notADateTime }
        guard number(k + 1 ..< k + 3) <= 23, number(k + 4 ..< k + 6) <= 59 else {
            return .impossible("the UTC offset \(String(decoding: c[k...], as: UTF8.self)) is beyond +-23:59")
        }
        return .dateTime(TOMLDateTime(text: token, hasDate: true, hasTime: true, hasOffset: true))
    }

    // MARK: Whitespace and comments

    private mutating func skipBlanks() {
        while let c = peek(), c == " " || c == "\t" { advance() }
    }

    private mutating func skipComment() throws(TOMLSyntaxError) {
        guard peek() == "#" else { return }
        while let c = peek(), c != "\n", !(c == "\r" && peek(1) == "\n") {
            try refuseControlCharacter(c, in: "a comment")
            advance()
        }
    }

    private mutating func skipWhitespaceAndNewlines() throws(TOMLSyntaxError) {
        while let c = peek() {
            if c == " " || c == "\t" || c == "\n" || (c == "\r" && peek(1) == "\n") {
                advance()
            } else if c == "\r" {
                throw fail("a carriage return not followed by a line feed")
            } else if c == "#" {
                try skipComment()
            } else {
                return
            }
        }
    }

    private mutating func expectEndOfLine() throws(TOMLSyntaxError) {
        skipBlanks()
        try skipComment()
        if atEnd { return }
        if peek() == "\r" {
            guard peek(1) == "\n" else { throw fail("a carriage return not followed by a line feed") }
            advance()
        }
        guard peek() == "\n" else { throw fail("expected the end of the line after a value") }
        advance()
    }
}
