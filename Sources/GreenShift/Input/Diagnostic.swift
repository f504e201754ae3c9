/// One problem found in the input: where it is and what is wrong.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = Self.printable(file)
        self.line = line
        self.column = column
        self.message = Self.printable(message)
    }

    /// Longer messages keep their start and end: a value echoed from the input (a 100 MB
    /// number) cannot flood the terminal, and what is wrong with it still shows.
    static let maximumCharacters = 400

    /// Text safe for a terminal: control characters (C0, DEL, C1) escaped as `\u{1B}`, and the
    /// middle of an overlong text left out.
    static func printable(_ text: String) -> String {
        // The usual case, checked on the bytes: short, and no C0, DEL or C1 (UTF-8 C2 80 ... C2 9F).
        let utf8 = text.utf8
        if utf8.count <= maximumCharacters, !utf8.contains(where: { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }) { return text }
        var escaped = String.UnicodeScalarView()
        var omitted = 0
        let scalars = text.unicodeScalars
        let total = scalars.count
        let tailStart = total > maximumCharacters ? total - maximumCharacters / 4 : total
        for (k, c) in scalars.enumerated() {
            if k >= maximumCharacters * 3 / 4 && k < tailStart { omitted += 1; continue }
            if omitted > 0, k == tailStart { escaped.append(contentsOf: " ... (\(omitted) characters left out) ... ".unicodeScalars) }
            if c.value < 0x20 || (0x7F ... 0x9F).contains(c.value) {
                escaped.append(contentsOf: "\\u{\(String(c.value, radix: 16, uppercase: true))}".unicodeScalars)
            } else {
                escaped.append(c)
            }
        }
        return String(escaped)
    }

    /// `file:line:column: message`, the form compilers use and editors can jump to.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}

/// Bad input: every problem found, in file order, at most `maximumPerFile` of them for each
/// file followed by how many more there are (a 1,000,000-column header has 1,000,001).
public struct InputError: Error, Sendable, CustomStringConvertible {
    public static let maximumPerFile = 20

    public let diagnostics: [Diagnostic]
    /// Every problem found, those left out included.
    public let problemCount: Int

    public init(_ all: [Diagnostic]) {
        problemCount = all.count
        var perFile: [String: Int] = [:]
        for d in all { perFile[d.file, default: 0] += 1 }
        var shown: [String: Int] = [:]
        var kept: [Diagnostic] = []
        for d in all {
            let n = shown[d.file, default: 0] + 1
            shown[d.file] = n
            if n <= Self.maximumPerFile { kept.append(d) }
            let total = perFile[d.file]!
            if total > Self.maximumPerFile, n == min(total, Self.maximumPerFile) {
                let more = total - Self.maximumPerFile
                kept.append(Diagnostic(file: d.file, "\(more) more problem\(more == 1 ? "" : "s") in this file not shown"))
            }
        }
        diagnostics = kept
    }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// A place in a text file, 1-based.
public struct SourcePosition: Sendable, Equatable {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) { self.line = line; self.column = column }
}

/// Collects diagnostics while a whole scenario is read, so that every problem is reported at once.
struct DiagnosticCollector {
    private(set) var diagnostics: [Diagnostic] = []

    mutating func report(_ file: String, _ position: SourcePosition?, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: position?.line, column: position?.column, message))
    }

    mutating func append(contentsOf other: [Diagnostic]) { diagnostics += other }

    var isEmpty: Bool { diagnostics.isEmpty }
}
