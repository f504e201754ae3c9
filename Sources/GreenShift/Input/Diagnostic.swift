/// One problem found in the input: where it is and what is wrong.
public struct Diagnostic: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?
    public let message: String

    public init(file: String, line: Int? = nil, column: Int? = nil, _ message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form compilers use and editors can jump to.
    public var description: String {
        var s = file
        if let line { s += ":\(line)" }
        if let column { s += ":\(column)" }
        return s + ": " + message
    }
}

/// Bad input: every problem found, in file order.
public struct InputError: Error, Sendable, CustomStringConvertible {
    public let diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

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
