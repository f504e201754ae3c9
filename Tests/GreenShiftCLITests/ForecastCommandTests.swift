import Foundation
import Testing

/// `greenshift forecast` and `backtest` as an analyst runs them: what they refuse, with which exit
/// code, and what they leave in the output folder.
@Suite struct ForecastCommandTests {
    typealias CLI = CommandLineTests

    /// A copy of the Borg history (28 days, one column), scaled by `factor`, in a fresh folder.
    static func borg(times factor: Double = 1) throws -> String {
        let dir = CLI.temporaryDirectory() + "/history"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let lines = try String(contentsOfFile: CLI.root + "/Data/histories/google-borg/demand_borg.csv", encoding: .utf8)
            .split(separator: "\n").map(String.init)
        let scaled = [lines[0]] + lines.dropFirst().map { line in
            let cells = line.split(separator: ",")
            return cells[0] + "," + String(Double(cells[1])! * factor)
        }
        try (scaled.joined(separator: "\n") + "\n").write(toFile: dir + "/demand_borg.csv", atomically: true, encoding: .utf8)
        return dir
    }

    static let from = "2019-05-29T00:00:00-07:00"

    static func column(_ path: String) throws -> [Double] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").dropFirst().map { Double($0.split(separator: ",")[1])! }
    }

    @Test func theHistoryFolderIsNoOutputFolder() throws {
        let history = try Self.borg()
        let before = try String(contentsOfFile: history + "/demand_borg.csv", encoding: .utf8)
        for out in [history, history + "/", history + "/../history"] {
            let r = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", out])
            #expect(r.status == 64 && r.stderr.contains("--out is the history folder"), "\(out): \(r.stderr)")
        }
        #expect(try String(contentsOfFile: history + "/demand_borg.csv", encoding: .utf8) == before)
    }

    @Test func tinyAndHugeValuesKeepTheirDigits() throws {
        // Six decimals would write 1e-9-scale demand as 0, and 1e19 overflowed a 64-bit integer.
        for factor in [1e-13, 1e15] {
            let history = try Self.borg(times: factor)
            let out = CLI.temporaryDirectory() + "/out"
            let r = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", out, "--method", "naive-day"])
            #expect(r.status == 0, "\(factor): \(r.stderr)")
            let written = try Self.column(out + "/demand_borg.csv")
            let lastDay = Array(try Self.column(history + "/demand_borg.csv")[(27 * 24) ..< (28 * 24)])
            // naive-day on 28 days, from the start of day 29: the forecast is day 28, to six digits.
            for (w, v) in zip(written, lastDay) { #expect(abs(w - v) <= 1e-5 * abs(v), "\(factor): \(w) vs \(v)") }
            // And the forecast reads back as a history (one day of it), to the same digits.
            let back = CLI.temporaryDirectory() + "/back"
            let again = try CLI.run(["forecast", out, "--from", "2019-05-30T00:00:00-07:00", "--periods", "24", "--out", back, "--method", "naive-day"])
            #expect(again.status == 0, "\(again.stderr)")
            #expect(try Self.column(back + "/demand_borg.csv") == written)
        }
    }

    @Test func badQuantileListsAreUsageErrors() throws {
        let history = try Self.borg()
        for (list, message) in [("0.5,0.5", "one level to four decimals"), ("0.1,0.10001", "one level to four decimals"), ("", "'' is no level"),
                                ("1.5", "'1.5' is no level"), ("0.1,,0.9", "'' is no level"), ("abc", "'abc' is no level")] {
            for command in [["forecast", history, "--from", Self.from, "--periods", "24"], ["backtest", history, "--horizon", "24", "--windows", "1"]] {
                let r = try CLI.run(command + ["--out", CLI.temporaryDirectory() + "/out", "--quantiles", list])
                #expect(r.status == 64 && r.stderr.contains(message), "\(command[0]) --quantiles '\(list)': \(r.status) \(r.stderr)")
            }
        }
    }

    @Test func aRerunLeavesNoQuantileOfTheLastOne() throws {
        let history = try Self.borg()
        let out = CLI.temporaryDirectory() + "/out"
        let first = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", out, "--quantiles", "0.1,0.9"])
        #expect(first.status == 0, "\(first.stderr)")
        // Files of the user's beside them, some close to the quantiles' names.
        for name in ["cooling_notes.csv", "demand_borg.quarterly.csv", "demand_borgx.q10.csv", "demand_borg.q10.csv.bak"] {
            try "timestamp,a\n".write(toFile: out + "/" + name, atomically: true, encoding: .utf8)
        }
        let second = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", out, "--quantiles", "0.5"])
        #expect(second.status == 0, "\(second.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted()
        // Only this run's quantiles; a file greenshift did not write stays.
        #expect(files == ["cooling_notes.csv", "demand_borg.csv", "demand_borg.q10.csv.bak", "demand_borg.q50.csv", "demand_borg.quarterly.csv",
                          "demand_borgx.q10.csv"], "\(files)")
    }

    @Test func misnamedHistoryFilesAreReported() throws {
        let history = try Self.borg()
        try "timestamp,cell\n".write(toFile: history + "/temperature_c.cvs", atomically: true, encoding: .utf8)
        for backup in ["demand_borg.csv.bak", "demand_borg.csv~", "demand_borg.csv.1"] {
            try "a backup\n".write(toFile: history + "/" + backup, atomically: true, encoding: .utf8)
        }
        try "timestamp,cell\n".write(toFile: history + "/price.CSV", atomically: true, encoding: .utf8)
        let r = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", CLI.temporaryDirectory() + "/out"])
        #expect(r.status == 2 && r.stderr.contains("temperature_c.cvs is not read: time series are .csv files (did you mean temperature_c.csv?)"), "\(r.stderr)")
        #expect(r.stderr.contains("price.CSV is not read"), "\(r.stderr)")
        #expect(!r.stderr.contains(".bak") && !r.stderr.contains("csv~") && !r.stderr.contains(".csv.1"), "\(r.stderr)")
        try FileManager.default.removeItem(atPath: history + "/price.CSV")
        try FileManager.default.removeItem(atPath: history + "/temperature_c.cvs")

        try FileManager.default.copyItem(atPath: history + "/demand_borg.csv", toPath: history + "/demand_.csv")
        let unnamed = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", CLI.temporaryDirectory() + "/out"])
        #expect(unnamed.status == 2 && unnamed.stderr.contains("demand_.csv names no class"), "\(unnamed.stderr)")
        try FileManager.default.removeItem(atPath: history + "/demand_.csv")

        let text = try String(contentsOfFile: history + "/demand_borg.csv", encoding: .utf8)
        try text.replacingOccurrences(of: "timestamp,cell\n", with: "timestamp,\n").write(toFile: history + "/demand_borg.csv", atomically: true, encoding: .utf8)
        let blank = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", CLI.temporaryDirectory() + "/out"])
        #expect(blank.status == 2 && blank.stderr.contains("column 2 of the header has no name"), "\(blank.stderr)")

        try "timestamp,cell\n".write(toFile: history + "/demand_borg.csv", atomically: true, encoding: .utf8)
        let empty = try CLI.run(["forecast", history, "--from", Self.from, "--periods", "24", "--out", CLI.temporaryDirectory() + "/out"])
        #expect(empty.status == 2 && empty.stderr.contains("demand_borg.csv:2:1: no data rows; a history needs at least one day")
                && !empty.stderr.contains("expected 1"), "\(empty.stderr)")
    }
}
