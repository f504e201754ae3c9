import Foundation
import Testing
@testable import GreenShift

/// Error output stays bounded and safe for a terminal whatever the input holds.
@Suite struct DiagnosticOutputTests {
    @Test func problemsAreCappedPerFileWithHowManyMore() {
        let all = (1 ... 1000).map { (k: Int) in Diagnostic(file: "a.csv", line: 1, column: k, "bad \(k)") }
            + (1 ... 3).map { Diagnostic(file: "b.csv", line: $0, "bad") }
        let error = InputError(all)
        #expect(error.problemCount == 1003)
        #expect(error.diagnostics.count == 20 + 1 + 3)
        #expect(error.diagnostics[19].description == "a.csv:1:20: bad 20")
        #expect(error.diagnostics[20].description == "a.csv: 980 more problems in this file not shown")
        #expect(error.diagnostics[21].file == "b.csv")
        #expect(InputError(Array(all.prefix(21))).diagnostics.last?.message == "1 more problem in this file not shown")
        #expect(InputError(Array(all.prefix(20))).diagnostics == Array(all.prefix(20)))
    }

    @Test func controlCharactersAreEscaped() {
        let d = Diagnostic(file: "x\u{1B}.csv", line: 1, "'\u{0}\u{1B}[31mred\u{7F}\u{9B}\ttab\nline' is not a number")
        #expect(d.description == "x\\u{1B}.csv:1: '\\u{0}\\u{1B}[31mred\\u{7F}\\u{9B}\\u{9}tab\\u{A}line' is not a number")
        #expect(Diagnostic(file: "é.csv", "déjà vu 日本").description == "é.csv: déjà vu 日本")
    }

    @Test func longValuesAreCutKeepingBothEnds() {
        let d = Diagnostic(file: "f.csv", "'" + String(repeating: "9", count: 1_000_000) + "' is not a number")
        #expect(d.message.count < Diagnostic.maximumCharacters + 50)
        #expect(d.message.hasPrefix("'999") && d.message.hasSuffix("999' is not a number"))
        #expect(d.message.contains(" ... (\(1_000_018 - Diagnostic.maximumCharacters) characters left out) ... "))
    }

    /// A 30,000-column header printed 30,001 problems; now 20 and how many more.
    @Test func aVeryWideHeaderGivesBoundedOutput() throws {
        var fixture = ScenarioFixture.twoNodes
        let path = "timeseries/renewable_mw.csv"
        let rows = fixture.files[path]!.split(separator: "\n")
        fixture.files[path] = "timestamp," + (0 ..< 30_000).map { "n\($0)" }.joined(separator: ",") + "\n"
            + rows.dropFirst().map { $0.split(separator: ",")[0] }.joined(separator: "\n") + "\n"
        let error = try #require(throws: InputError.self) { try fixture.load() }
        let inFile = error.diagnostics.filter { $0.file.hasSuffix("renewable_mw.csv") }
        #expect(error.problemCount > 30_000)
        #expect(inFile.count == InputError.maximumPerFile + 1)
        #expect(inFile.last!.message.hasSuffix("more problems in this file not shown"))
        #expect(error.description.utf8.count < 5_000)
    }

    /// A 10 MB number was echoed whole.
    @Test func aHugeValueIsNotEchoedWhole() throws {
        var fixture = ScenarioFixture.twoNodes
        let path = "timeseries/renewable_mw.csv"
        let lines = fixture.files[path]!.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var cells = lines[1].split(separator: ",").map(String.init)
        cells[1] = String(repeating: "1", count: 10_000_000) + "x"
        fixture.files[path] = ([lines[0], cells.joined(separator: ",")] + lines.dropFirst(2)).joined(separator: "\n")
        let error = try #require(throws: InputError.self) { try fixture.load() }
        let d = try #require(error.diagnostics.first { $0.file.hasSuffix("renewable_mw.csv") })
        #expect(d.line == 2 && d.description.utf8.count < 600, "\(d.description.prefix(600))")
        #expect(d.message.contains("characters left out"))
    }
}
