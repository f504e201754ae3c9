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

    @Test func generateWritesAHistoryThatSimulates() throws {
        let history = CLI.temporaryDirectory() + "/history"
        let g = try CLI.run(["generate", "--nodes", "2", "--classes", "2", "--history-days", "2", "--out", history])
        #expect(g.status == 0 && g.stdout.contains("a history of 2 days"), "\(g.stderr)")
        let r = try CLI.run(["simulate", history, "--out", CLI.temporaryDirectory() + "/sim", "--policies", "no-shift,hindsight", "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 3, "\(r.stderr)")
    }
}
