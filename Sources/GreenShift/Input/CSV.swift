/// An RFC 4180 reader that keeps the line and column of every field: comma-separated, fields
/// optionally in double quotes (`""` for a quote), LF or CRLF line ends, an optional empty last
/// line. The byte-order mark is removed before (see `TextFile`).
struct CSVTable {
    struct Field {
        let text: String
        let position: SourcePosition
        let quoted: Bool
    }

    /// Every record, the header first.
    let records: [[Field]]

    init(parsing text: String) throws(TOMLSyntaxError) {
        var records: [[Field]] = []
        var record: [Field] = []
        var field = String.UnicodeScalarView()
        var quoted = false
        var fieldStart = SourcePosition(line: 1, column: 1)
        var line = 1, column = 1
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var inQuotes = false
        var afterClosingQuote = false
        var lineHasContent = false
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    column += 1
                    if let d = next() {
                        if d == "\"" { field.append("\""); column += 1; continue }
                        pending = d
                    }
                    inQuotes = false
                    afterClosingQuote = true
                } else {
                    field.append(c)
                    if c == "\n" { line += 1; column = 1 } else { column += 1 }
                }
                continue
            }
            switch c {
            case ",":
                record.append(Field(text: String(field), position: fieldStart, quoted: quoted))
                field = String.UnicodeScalarView(); quoted = false; afterClosingQuote = false
                column += 1
                fieldStart = SourcePosition(line: line, column: column)
                lineHasContent = true
            case "\r", "\n":
                if c == "\r" {
                    let d = next()
                    guard d == "\n" else {
                        throw TOMLSyntaxError(position: SourcePosition(line: line, column: column),
                                              message: "a carriage return not followed by a line feed")
                    }
                }
                record.append(Field(text: String(field), position: fieldStart, quoted: quoted))
                records.append(record)
                record = []; field = String.UnicodeScalarView(); quoted = false; afterClosingQuote = false
                line += 1; column = 1
                fieldStart = SourcePosition(line: line, column: column)
                lineHasContent = false
            case "\"" where field.isEmpty && !afterClosingQuote:
                inQuotes = true; quoted = true; column += 1; lineHasContent = true
            default:
                if afterClosingQuote || c == "\"" {
                    throw TOMLSyntaxError(position: SourcePosition(line: line, column: column),
                                          message: c == "\"" ? "a quote inside an unquoted field (quote the whole field and double the quote)"
                                                             : "text after a closing quote")
                }
                field.append(c); column += 1; lineHasContent = true
            }
        }
        if inQuotes {
            throw TOMLSyntaxError(position: fieldStart, message: "a quoted field is never closed")
        }
        // The optional empty last line: a file ending in a line break adds no record.
        if lineHasContent || !record.isEmpty {
            record.append(Field(text: String(field), position: fieldStart, quoted: quoted))
            records.append(record)
        }
        self.records = records
    }
}
