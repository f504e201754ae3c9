import Foundation
import Testing

/// `greenshift evaluate` as a planner runs it the morning after: exit codes, messages and files.
@Suite struct EvaluateCommandTests {
    typealias CLI = CommandLineTests

    /// The spec's example optimized into a fresh folder, with an actuals folder holding `actuals`.
    static func prepare(actuals: [String: String]) throws -> (scenario: String, plan: String, actuals: String) {
        let scenario = try CLI.example()
        let out = CLI.temporaryDirectory() + "/plan"
        let r = try CLI.run(["optimize", scenario, "--out", out, "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let folder = CLI.temporaryDirectory() + "/actuals"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (name, text) in actuals { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return (scenario, out + "/plan.json", folder)
    }

    /// West's wind 1 MW instead of 2: the plan's batch hour draws 0.25 MW from the grid at 500 kg/MWh.
    static let weakerWind = """
        timestamp,east,west
        2026-11-27T00:00:00+08:00,0,0
        2026-11-27T01:00:00+08:00,0,1
        2026-11-27T02:00:00+08:00,0,1

        """

    @Test func evaluateWritesTheEvaluationAndPrintsASummary() throws {
        let p = try Self.prepare(actuals: ["renewable_mw.csv": Self.weakerWind])
        let out = CLI.temporaryDirectory() + "/evaluation"
        let r = try CLI.run(["evaluate", p.scenario, "--plan", p.plan, "--actuals", p.actuals, "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1.800 t CO2") && r.stdout.contains("1.925 t CO2") && r.stdout.contains("regret          0.125 t"), "\(r.stdout)")
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/evaluation.json"))) as! [String: Any]
        let summary = json["summary"] as! [String: Any]
        #expect((summary["realized_carbon_kg"] as? NSNumber)?.doubleValue == 1925)
        let html = try String(contentsOfFile: out + "/evaluation.html", encoding: .utf8)
        #expect(html.contains("data-key=\"regret_kg\" data-value=\"125\""))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { !$0.hasPrefix(".") }.sorted() == ["evaluation.html", "evaluation.json", "state.json"])
        // Every period committed: nothing is left to carry, and no node has a battery.
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/state.json"))) as! [String: Any]
        #expect(state["schema"] as? String == "greenshift.state/1" && state["at"] as? String == "2026-11-27T03:00:00+08:00")
        #expect((state["backlog"] as? [Any])?.isEmpty == true && (state["batteries"] as? [Any])?.isEmpty == true)
    }

    @Test func badActualsExitTwoNamingFileLineAndColumnAndWriteNothing() throws {
        let p = try Self.prepare(actuals: ["renewable_mw.csv": Self.weakerWind.replacingOccurrences(of: "00+08:00,0,1\n2026", with: "00+08:00,0,-1\n2026")])
        let out = CLI.temporaryDirectory() + "/evaluation"
        let r = try CLI.run(["evaluate", p.scenario, "--plan", p.plan, "--actuals", p.actuals, "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("actuals/renewable_mw.csv:3:29: value -1 is negative"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func aPlanOfAnotherScenarioExitsTwo() throws {
        let p = try Self.prepare(actuals: [:])
        let toml = p.scenario + "/scenario.toml"
        try (try String(contentsOfFile: toml, encoding: .utf8)).replacingOccurrences(of: "name = \"two-nodes\"", with: "name = \"other\"")
            .write(toFile: toml, atomically: true, encoding: .utf8)
        let out = CLI.temporaryDirectory() + "/evaluation"
        let r = try CLI.run(["evaluate", p.scenario, "--plan", p.plan, "--actuals", p.actuals, "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("plan.json") && r.stderr.contains("\"other\""), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
