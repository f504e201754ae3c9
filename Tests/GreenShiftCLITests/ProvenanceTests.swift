import Foundation
import Testing

/// plan.json's `inputs` and `verify`'s check of them: the scenario a plan is verified against
/// must be the one it was made from, file by file (SHA-256).
@Suite struct ProvenanceTests {
    typealias CLI = CommandLineTests

    /// A fresh copy of the example and a plan optimized from it.
    static func optimized() throws -> (scenario: String, plan: String) {
        let scenario = try CLI.example()
        let out = CLI.temporaryDirectory() + "/plan"
        let r = try CLI.run(["optimize", scenario, "--out", out, "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        return (scenario, out + "/plan.json")
    }

    /// coreutils' digests of `paths`, in their order, computed by one `sha256sum` run.
    static func sha256sums(_ paths: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = ["--"] + paths
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && lines.count == paths.count)
        return lines.map { String($0.prefix(64)) }
    }

    static func sha256sum(_ path: String) throws -> String { try sha256sums([path])[0] }

    static func inputs(_ plan: String) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as! [String: Any]
        return try #require(json["inputs"] as? [String: Any])
    }

    @Test func thePlanRecordsEveryFileReadWithTheHashSha256sumGives() throws {
        let (scenario, plan) = try Self.optimized()
        let inputs = try Self.inputs(plan)
        #expect(inputs["greenshift_version"] as? String == (try CLI.run(["--version"])).stdout.trimmingCharacters(in: .whitespacesAndNewlines))
        let files = try #require(inputs["files"] as? [[String: String]])
        #expect(files.map { $0["path"]! } == ["scenario.toml", "timeseries/renewable_mw.csv", "timeseries/carbon_intensity.csv",
                                              "timeseries/temperature_c.csv", "timeseries/demand_batch.csv", "timeseries/demand_web.csv"])
        #expect(files.map { $0["sha256"]! } == (try Self.sha256sums(files.map { scenario + "/" + $0["path"]! })))
        // Both nodes' models are the scenario's own, east's first.
        let models = try #require(inputs["cooling_models"] as? [[String: String]])
        #expect(models.map { [$0["name"]!, $0["origin"]!, $0["path"]!] } == [["flat-1.5", "scenario", "cooling/flat-1.5.toml"],
                                                                               ["flat-1.25", "scenario", "cooling/flat-1.25.toml"]])
        #expect(models[0]["sha256"] == (try Self.sha256sum(scenario + "/cooling/flat-1.5.toml")))
    }

    @Test func aLibraryModelAndStateJSONAreRecordedToo() throws {
        let scenario = try CLI.example()
        let toml = scenario + "/scenario.toml"
        let text = try String(contentsOfFile: toml, encoding: .utf8)
        try text.replacingOccurrences(of: "cooling_model = \"flat-1.25\"", with: "cooling_model = \"air-economizer\"")
            .write(toFile: toml, atomically: true, encoding: .utf8)
        try #"{"schema": "greenshift.state/1", "at": "2026-11-27T00:00:00+08:00", "backlog": [], "batteries": []}"#
            .write(toFile: scenario + "/state.json", atomically: true, encoding: .utf8)
        let out = CLI.temporaryDirectory() + "/plan"
        let r = try CLI.run(["optimize", scenario, "--out", out, "-q"])
        #expect(r.status == 0, "\(r.stderr)")
        let inputs = try Self.inputs(out + "/plan.json")
        let files = try #require(inputs["files"] as? [[String: String]])
        #expect(files.last == ["path": "state.json", "sha256": try Self.sha256sum(scenario + "/state.json")])
        let models = try #require(inputs["cooling_models"] as? [[String: String]])
        #expect(models.last == ["name": "air-economizer", "origin": "library", "path": "air-economizer.toml",
                                "sha256": try Self.sha256sum(CLI.root + "/Models/cooling/air-economizer.toml")])
    }

    @Test func verifyOnTheSameFilesSaysNothingMore() throws {
        let (scenario, plan) = try Self.optimized()
        for arguments in [["verify", scenario, plan], ["verify", "--strict", scenario, plan]] {
            let r = try CLI.run(arguments)
            #expect(r.status == 0 && r.stderr.isEmpty, "\(r.stderr)")
            #expect(r.stdout.contains("plan ok") && r.stdout.contains("made from these very files (SHA-256)"), "\(r.stdout)")
        }
    }

    @Test func aChangedCSVIsNamedAndStrictRefusesThePlan() throws {
        let (scenario, plan) = try Self.optimized()
        // Same values, other bytes: the files differ although the plan still satisfies every constraint.
        let csv = scenario + "/timeseries/carbon_intensity.csv"
        let text = try String(contentsOfFile: csv, encoding: .utf8)
        #expect(text.contains(",800,500\n"))
        try text.replacingOccurrences(of: ",800,500\n", with: ",800,500.0\n").write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try CLI.run(["verify", scenario, plan])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("plan ok") && !r.stdout.contains("very files"))
        #expect(r.stderr == "warning: \(scenario) is not the scenario \(plan) was made from (SHA-256 of its files):\n"
                + "warning:   timeseries/carbon_intensity.csv changed\n", "\(r.stderr)")
        let strict = try CLI.run(["verify", "--strict", scenario, plan])
        #expect(strict.status == 1 && strict.stdout.isEmpty)
        #expect(strict.stderr.contains("timeseries/carbon_intensity.csv changed")
                && strict.stderr.hasSuffix("--strict: \(plan) satisfies every constraint, but was made from other inputs: do not act on it.\n"),
                "\(strict.stderr)")
    }

    @Test func addedAndMissingFilesAndAnotherCoolingModelAreNamed() throws {
        let (scenario, plan) = try Self.optimized()
        try "timestamp,east,west\n2026-11-27T00:00:00+08:00,50,50\n2026-11-27T01:00:00+08:00,50,50\n2026-11-27T02:00:00+08:00,50,50\n"
            .write(toFile: scenario + "/timeseries/price.csv", atomically: true, encoding: .utf8)
        try #"{"schema": "greenshift.state/1", "at": "2026-11-27T00:00:00+08:00", "backlog": [], "batteries": []}"#
            .write(toFile: scenario + "/state.json", atomically: true, encoding: .utf8)
        let model = scenario + "/cooling/flat-1.25.toml"
        try (try String(contentsOfFile: model, encoding: .utf8) + "# edited\n").write(toFile: model, atomically: true, encoding: .utf8)
        let r = try CLI.run(["verify", "--strict", scenario, plan])
        #expect(r.status == 1, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:   ") }.map { $0.dropFirst("warning:   ".count) }
        #expect(warnings == ["timeseries/price.csv added (the plan was made without it)",
                             "state.json added (the plan was made without it)",
                             "cooling model 'flat-1.25' (scenario cooling/flat-1.25.toml) changed"], "\(r.stderr)")

        // The other way round: the plan was made with price.csv, which is gone now.
        let out = CLI.temporaryDirectory() + "/plan"
        #expect(try CLI.run(["optimize", scenario, "--out", out, "-q"]).status == 0)
        try FileManager.default.removeItem(atPath: scenario + "/timeseries/price.csv")
        let gone = try CLI.run(["verify", scenario, out + "/plan.json"])
        #expect(gone.stderr.contains("warning:   timeseries/price.csv missing (the plan was made with it)\n"), "\(gone.stderr)")
    }

    /// Plans written before `inputs` was recorded (plan/1, early plan/2) still verify: a note says
    /// that their inputs are not checked, and --strict does not refuse them.
    @Test func aPlanWithoutInputsStillVerifies() throws {
        let (scenario, plan) = try Self.optimized()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as! [String: Any]
        json["inputs"] = nil
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: plan))
        for arguments in [["verify", scenario, plan], ["verify", "--strict", scenario, plan]] {
            let r = try CLI.run(arguments)
            #expect(r.status == 0 && r.stdout.hasPrefix("plan ok") && !r.stdout.contains("very files"), "\(r.stderr)")
            #expect(r.stderr == "note: \(plan) records no inputs (a plan/1 file, or one written before they were recorded): whether it was made from these files of \(scenario) is not checked\n")
        }
    }

    /// A plan/1 file (no plan/2 keys, no inputs) is read, as Plan.readableSchemas says; it was
    /// refused as "not greenshift.plan/2". A schema no version wrote is still refused.
    @Test func aPlan1FileVerifiesAndAnUnknownSchemaIsRefused() throws {
        let (scenario, plan) = try Self.optimized()
        var json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: plan))) as! [String: Any]
        json["schema"] = "greenshift.plan/1"
        for key in ["commit_periods", "carbon_signal", "inputs", "capacity", "routing", "settlement"] { json[key] = nil }
        var summary = json["summary"] as! [String: Any]
        for key in ["backlog_in_cu_h", "backlog_out_cu_h", "average_carbon_kg", "baseline_average_carbon_kg"] { summary[key] = nil }
        json["summary"] = summary
        json["placements"] = (json["placements"] as! [[String: Any]]).map { var p = $0; p["pool"] = nil; return p }
        json["nodes"] = (json["nodes"] as! [[String: Any]]).map { node in
            var n = node
            n["periods"] = (node["periods"] as! [[String: Any]]).map { var p = $0; p["pools"] = nil; return p }
            return n
        }
        let old = CLI.temporaryDirectory() + "/plan.json"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: old))
        let r = try CLI.run(["verify", "--strict", scenario, old])
        #expect(r.status == 0 && r.stdout.hasPrefix("plan ok: \(old) satisfies every constraint"), "\(r.stderr)")
        #expect(r.stderr.hasPrefix("note: \(old) records no inputs"))

        json["schema"] = "greenshift.plan/9"
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: old))
        let unknown = try CLI.run(["verify", scenario, old])
        #expect(unknown.status == 2 && unknown.stderr.hasPrefix(
            "error: \(old): schema 'greenshift.plan/9' is not one this program reads (greenshift.plan/1, greenshift.plan/2)"), "\(unknown.stderr)")
    }
}
