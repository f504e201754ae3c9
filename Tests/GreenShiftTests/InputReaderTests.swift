import Testing
@testable import GreenShift

@Suite struct TOMLTests {
    @Test func readsTheValuesScenariosUse() throws {
        let doc = try TOMLDocument(parsing: """
            # comment
            title = "a \\"quoted\\" \\u00e9"   # trailing comment
            literal = 'C:\\path'
            int = +1_000
            hex = 0x10
            float = -3.5e2
            bool = true
            when = 2026-11-27T00:00:00+08:00
            local = 2026-11-27 00:00:00
            list = [[1, 2.5], [3, 4],]
            inline = { a = 1, b.c = "x" }
            multi = \"\"\"
            line one
            line two\"\"\"
            [table.sub]
            key = 1
            [[array]]
            n = 1
            [array.child]
            m = 2
            [[array]]
            n = 2
            """)
        let root = doc.root
        guard case .string(let title) = root["title"]!.value, case .integer(let int) = root["int"]!.value,
              case .integer(let hex) = root["hex"]!.value, case .float(let float) = root["float"]!.value,
              case .dateTime(let when) = root["when"]!.value, case .dateTime(let local) = root["local"]!.value,
              case .array(let list) = root["list"]!.value, case .table(let inline) = root["inline"]!.value,
              case .string(let multi) = root["multi"]!.value, case .array(let array) = root["array"]!.value,
              case .string(let literal) = root["literal"]!.value
        else { Issue.record("wrong types"); return }
        #expect(title == "a \"quoted\" é" && literal == "C:\\path")
        #expect(int == 1000 && hex == 16 && float == -350)
        #expect(when.hasOffset && !local.hasOffset)
        #expect(list.count == 2 && inline.keys == ["a", "b"])
        #expect(multi == "line one\nline two")
        #expect(array.count == 2)
        #expect(root["title"]!.position == SourcePosition(line: 2, column: 9))
        #expect(root.keyPosition("int") == SourcePosition(line: 4, column: 1))
    }

    @Test(arguments: [
        ("a = 1\na = 2", "duplicate key 'a'", 2),
        ("[t]\n[t]", "defined twice", 2),
        ("a = ", "expected a value", 1),
        ("a = \"open", "unterminated string", 1),
        ("a = 1 b = 2", "end of the line", 1),
        ("a = 01", "not a valid TOML number", 1),
        ("a = [1, 2", "expected ',' or ']'", 1),
        ("a = 1\n[a]", "already defined", 2),
        ("a = bare", "strings need quotes", 1),
        ("a = \"\\q\"", "invalid escape", 1),
    ])
    func rejectsBrokenTOML(text: String, message: String, line: Int) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("parsed: \(text)")
        } catch {
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.position.line == line)
        }
    }

    /// TOML 1.0's rules that toml-test checks and the parser once missed, each with where it is reported.
    @Test(arguments: [
        ("s = \"a\u{10}b\"", "control character U+0010 in a string", 1, 7),
        ("s = 'a\u{0}b'", "control character U+0000", 1, 7),
        ("s = \"a\u{7F}\"", "control character U+007F", 1, 7),
        ("s = \"\"\"a\u{1F}\"\"\"", "U+001F in a multi-line string", 1, 9),
        ("s = '''\na\rb'''", "U+000D in a multi-line string", 2, 2),
        ("a = 1 # bell \u{7}", "U+0007 in a comment", 1, 14),
        ("a = 1\r\rb = 2", "carriage return not followed by a line feed", 1, 6),
        ("\rb = 2", "carriage return not followed by a line feed", 1, 1),
        ("d = 2026-13-01", "month 13 does not exist", 1, 5),
        ("d = 2026-02-30T00:00:00Z", "2026-02-30 is not a calendar date", 1, 5),
        ("d = 2100-02-29", "not a calendar date", 1, 5),
        ("d = 2026-01-01T24:00:00Z", "24:00:00 is not a time of day", 1, 5),
        ("d = 12:60:00", "not a time of day", 1, 5),
        ("d = 2026-01-01T00:00:00+25:00", "offset +25:00 is beyond", 1, 5),
        ("d = 2026-01-01T00:00:00+12:60", "offset +12:60 is beyond", 1, 5),
        ("f = 1_e2", "not a valid TOML number", 1, 5),
        ("f = 1.5_e2", "not a valid TOML number", 1, 5),
        ("f = _1.2", "strings need quotes", 1, 5),
        ("f = -_1", "not a valid TOML number", 1, 5),
        ("i = 0x-1", "not a valid TOML number", 1, 5),
        ("i = 0x+1", "not a valid TOML number", 1, 5),
        ("i = -0x1", "not a valid TOML number", 1, 5),
        ("i = 0o8", "not a valid TOML number", 1, 5),
        ("i = 9223372036854775808", "not a valid TOML number", 1, 5),
        ("a = []\n[[a]]", "'a' is already defined as an array", 2, 1),
        ("a = [{ b = 1 }]\n[[a]]", "'a' is already defined as an array", 2, 1),
    ])
    func refusesWhatTOMLForbids(text: String, message: String, line: Int, column: Int) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("parsed: \(text.debugDescription)")
        } catch {
            #expect(error.message.contains(message), "\(text.debugDescription): \(error.message)")
            #expect(error.position == SourcePosition(line: line, column: column), "\(text.debugDescription)")
        }
    }

    @Test func readsWhatTOMLAllows() throws {
        let root = try TOMLDocument(parsing: """
            min = -9223372036854775808\r
            max = 9223372036854775807
            hex = 0xdead_BEEF
            leap = 2024-02-29
            second = 23:59:60
            offset = 2026-01-01T00:00:00-23:59
            tab = "a\tb" # a comment with a tab:\t.
            crlf = \"\"\"a\r
            b\"\"\"
            [[t]]
            [[t]]
            """).root
        guard case .integer(let min) = root["min"]!.value, case .integer(let max) = root["max"]!.value,
              case .integer(let hex) = root["hex"]!.value, case .string(let crlf) = root["crlf"]!.value,
              case .array(let t) = root["t"]!.value, case .dateTime = root["leap"]!.value,
              case .dateTime = root["second"]!.value, case .dateTime = root["offset"]!.value
        else { Issue.record("wrong types"); return }
        #expect(min == Int.min && max == Int.max && hex == 0xdead_beef)
        #expect(crlf == "a\r\nb" && t.count == 2)
        #expect(root["max"]!.position == SourcePosition(line: 2, column: 7))
    }

    /// Hostile nesting: each of these overflowed the stack (SIGSEGV) before the limit.
    @Test(arguments: [
        ("x = " + String(repeating: "[", count: 40_000), 1, 4 + TOMLDocument.maximumNesting),
        ("x = " + String(repeating: "{ a = ", count: 100_000), 1, 5 + 6 * (TOMLDocument.maximumNesting - 1)),
        ("\n[" + Array(repeating: "a", count: 30_000).joined(separator: ".") + "]", 2, 1),
        ("x = " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300), 1, 4 + TOMLDocument.maximumNesting),
        ("[a]\n" + Array(repeating: "b", count: 128).joined(separator: ".") + " = 1", 2, 1),
    ])
    func refusesNestingDeeperThanTheLimit(text: String, line: Int, column: Int) {
        do {
            _ = try TOMLDocument(parsing: text)
            Issue.record("parsed")
        } catch {
            #expect(error.message.contains("nested more than 128 levels deep"), "\(error.message)")
            #expect(error.position == SourcePosition(line: line, column: column))
        }
    }

    @Test func nestingUpToTheLimitIsRead() throws {
        // The key x is the first level, its arrays the rest.
        let depth = TOMLDocument.maximumNesting
        let text = "x = " + String(repeating: "[", count: depth - 1) + String(repeating: "]", count: depth - 1)
            + "\n[" + Array(repeating: "a", count: depth).joined(separator: ".") + "]"
        #expect(try TOMLDocument(parsing: text).root["a"] != nil)
    }
}

@Suite struct CSVAndTimestampTests {
    @Test func csvKeepsPositionsQuotesAndLineEnds() throws {
        let table = try CSVTable(parsing: "a,\"b,c\",\"d\"\"e\"\r\n1,2,3\n")
        #expect(table.records.count == 2)
        #expect(table.records[0].map(\.text) == ["a", "b,c", "d\"e"])
        #expect(table.records[1][2].position == SourcePosition(line: 2, column: 5))
        #expect(try CSVTable(parsing: "x\n\n").records.count == 2)  // a blank line inside is a record
        #expect(try CSVTable(parsing: "x").records.count == 1)
        #expect(throws: TOMLSyntaxError.self) { try CSVTable(parsing: "\"open\n") }
        #expect(throws: TOMLSyntaxError.self) { try CSVTable(parsing: "\"a\"b\n") }
    }

    @Test func timestampsAreInstants() throws {
        let a = try Timestamp(parsing: "2026-11-27T00:00:00+08:00")
        let b = try Timestamp(parsing: "2026-11-26T16:00Z")
        let c = try Timestamp(parsing: "2026-11-26T11:00:00.000-05:00")
        #expect(a == b && b == c)
        #expect(a.adding(minutes: 90).description == "2026-11-27T01:30:00+08:00")
        #expect(try Timestamp(parsing: "2024-02-29T23:59:59.25Z").description == "2024-02-29T23:59:59.25+00:00")
        #expect(try Timestamp(parsing: "1969-12-31T23:00:00Z").epochSeconds == -3600)
        #expect(throws: Timestamp.ParseError.missingOffset) { try Timestamp(parsing: "2026-11-27T00:00:00") }
        for bad in ["2026-13-01T00:00Z", "2026-02-29T00:00Z", "2026-11-27T24:00Z", "2026-11-27", "2026-11-27T00:00+8:00", "x"] {
            #expect(throws: Timestamp.ParseError.self) { try Timestamp(parsing: bad) }
        }
    }

    @Test func valuesFollowTheSpecGrammar() {
        for good in ["12", "-3.5", "1e3", ".5", "+2", "5.", "1E-2"] {
            #expect((try? SeriesReader.parseValue(good).get()) != nil, "\(good)")
        }
        for bad in ["", "NaN", "inf", "1,000", "0x10", " 1", "1e400", "1e", "--1", "."] {
            #expect((try? SeriesReader.parseValue(bad).get()) == nil, "\(bad)")
        }
    }
}

@Suite struct CoolingModelTests {
    @Test func pueIsPiecewiseLinearAndFlatOutside() {
        let m = CoolingModel(name: "m", curve: [.init(temperatureC: 0, pue: 1.1), .init(temperatureC: 10, pue: 1.3),
                                                .init(temperatureC: 20, pue: 1.5)], source: "")
        #expect(m.pue(atTemperature: -40) == 1.1 && m.pue(atTemperature: 99) == 1.5)
        #expect(abs(m.pue(atTemperature: 5) - 1.2) < 1e-12 && abs(m.pue(atTemperature: 15) - 1.4) < 1e-12)
        #expect(m.pue(atTemperature: 10) == 1.3)
    }

    @Test func shippedLibraryLoadsAndIsPhysical() throws {
        let names = CoolingModelLoader.modelNames(in: ScenarioFixture.coolingLibrary)
        #expect(Set(["air-economizer", "water-economizer", "chiller-only", "liquid-cooling"]).isSubset(of: names))
        for name in names {
            let path = ScenarioFixture.coolingLibrary + "/\(name).toml"
            let model = try CoolingModelLoader.load(path: path, displayName: path, name: name).get()
            #expect(model.description != nil)
            // PUE never falls as it gets hotter.
            #expect(zip(model.curve, model.curve.dropFirst()).allSatisfy { $0.pue <= $1.pue })
        }
    }
}
