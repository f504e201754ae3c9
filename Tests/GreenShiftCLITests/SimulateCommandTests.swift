import Foundation
import Testing

/// `greenshift simulate` as a planner runs it: the table, the progress lines, the files and the
/// exit codes. The history is the hand-computed one of GreenShiftTests' SimulationTests.
@Suite struct SimulateCommandTests {
    typealias CLI = CommandLineTests
    static let history = CLI.root + "/Tests/GreenShiftTests/Fixtures/simulate-two-nodes"

    @Test func simulateWritesTheResultsAndPrintsTheTable() throws {
        let out = CLI.temporaryDirectory() + "/sim"
        let r = try CLI.run(["simulate", Self.history, "--out", out, "--policies", "greenshift,no-shift,hindsight"])
        #expect(r.status == 0, "\(r.stderr)")
        let progress = r.stderr.split(separator: "\n")
        #expect(progress.count == 7 && progress[0].hasPrefix("simulate greenshift day 1/3 2026-11-27: 0.0 t CO2"), "\(r.stderr)")
        #expect(r.stdout.contains("no-shift") && r.stdout.contains("1.4") && r.stdout.contains("100.0"), "\(r.stdout)")
        for file in ["simulation.json", "simulation.html", "settings.json", "greenshift/2026-11-29/day.json", "greenshift/2026-11-29/state.json",
                     "hindsight/2026-11-27/day.json"] {
            #expect(FileManager.default.fileExists(atPath: out + "/" + file), "\(file)")
        }
        let again = try CLI.run(["simulate", Self.history, "--out", out, "--policies", "greenshift,no-shift,hindsight", "-q"])
        #expect(again.status == 0 && again.stderr.isEmpty && again.stdout.isEmpty, "\(again.stderr)")
    }

    @Test func aBadHistoryExitsTwoAndAnUnknownPolicyIsAUsageError() throws {
        let missing = try CLI.run(["simulate", CLI.temporaryDirectory() + "/nothing", "--out", CLI.temporaryDirectory() + "/sim"])
        #expect(missing.status == 2 && missing.stderr.contains("history folder not found"), "\(missing.stderr)")
        let policy = try CLI.run(["simulate", Self.history, "--out", CLI.temporaryDirectory() + "/sim", "--policies", "greenshift,lucky"])
        #expect(policy.status == 64 && policy.stderr.contains("unknown policy 'lucky'"), "\(policy.stderr)")
    }

    /// `--forecasts greenshift`: one progress line per night greenshift forecasts (nights 2 and 3;
    /// night 1 has no actuals before it), the source in the table and in simulation.json;
    /// `--perfect-forecasts` is `--forecasts perfect`; contradictions are usage errors.
    @Test func greenshiftsOwnForecastsAndTheirUsageErrors() throws {
        let out = CLI.temporaryDirectory() + "/sim"
        let r = try CLI.run(["simulate", Self.history, "--out", out, "--policies", "greenshift", "--forecasts", "greenshift"])
        #expect(r.status == 0, "\(r.stderr)")
        let forecasts = r.stderr.split(separator: "\n").filter { $0.hasPrefix("simulate forecasts") }
        #expect(forecasts.count == 2 && forecasts[0].hasPrefix("simulate forecasts 2/3 2026-11-28: greenshift's own (auto) from 1 days of actuals, 8 periods"), "\(r.stderr)")
        #expect(r.stdout.contains("planned on greenshift's own forecasts (auto)"), "\(r.stdout)")
        let json = try String(contentsOfFile: out + "/simulation.json", encoding: .utf8)
        #expect(json.contains("\"forecasts\": \"greenshift\"") && json.contains("\"forecast_method\": \"auto\""))
        let perfectOut = CLI.temporaryDirectory() + "/sim"
        let perfect = try CLI.run(["simulate", Self.history, "--out", perfectOut, "--policies", "greenshift", "--perfect-forecasts", "-q"])
        #expect(perfect.status == 0, "\(perfect.stderr)")
        #expect(try String(contentsOfFile: perfectOut + "/settings.json", encoding: .utf8).contains("\"forecasts\": \"perfect\""))
        for (args, message) in [(["--forecasts", "oracle"], "unknown --forecasts 'oracle'"),
                                (["--forecasts", "files", "--perfect-forecasts"], "contradict each other"),
                                (["--forecast-method", "mstl"], "--forecast-method goes with --forecasts greenshift"),
                                (["--forecasts", "greenshift", "--forecast-method", "prophet"], "unknown forecast method 'prophet'")] {
            let bad = try CLI.run(["simulate", Self.history, "--out", CLI.temporaryDirectory() + "/sim"] + args)
            #expect(bad.status == 64 && bad.stderr.contains(message), "\(args): \(bad.stderr)")
        }
    }

    @Test func generateWritesAHistoryThatSimulates() throws {
        let history = CLI.temporaryDirectory() + "/history"
        let g = try CLI.run(["generate", "--nodes", "2", "--classes", "2", "--history-days", "2", "--out", history])
        #expect(g.status == 0 && g.stdout.contains("a history of 2 days"), "\(g.stderr)")
        let r = try CLI.run(["simulate", history, "--out", CLI.temporaryDirectory() + "/sim", "--policies", "no-shift,hindsight", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 3, "\(r.stderr)")
    }
}
