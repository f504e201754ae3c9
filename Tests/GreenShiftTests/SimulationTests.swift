import Foundation
import Testing
@testable import GreenShift

/// `greenshift simulate` (docs/simulate.md) on Fixtures/simulate-two-nodes: three days of four
/// 6-hour periods, east (PUE 1.5, 800 kg/MWh) and west (PUE 1.25, 500 kg/MWh), 1 kW per CU.
/// 1200 CU*h of batch arrive at east in day 1's last period (18:00), due within 12 h; west has
/// 1 MW of wind in day 2's first period only. Forecasts equal the actuals unless a test changes them.
///
/// - greenshift (24 h look-ahead) sees the wind: runs nothing on day 1, carries the 1200 CU*h
///   (due 2026-11-28T12:00, the end of day 2's second period) and runs them on wind: 0 kg.
/// - no-shift: at east on arrival: 1200 x 1.5 kWh x 0.8 kg/kWh = 1440 kg.
/// - greedy-intensity: the lowest factor in the window is west's, earliest at day 1 18:00, without
///   wind: 1200 x 1.25 kWh x 0.5 kg/kWh = 750 kg.
/// - greedy-renewable: west's marginal emissions are 0 while the wind lasts: day 2, 0 kg.
/// - hindsight: 0 kg.
@Suite struct SimulationTests {
    static let fixture = ScenarioFixture.repositoryRoot + "/Tests/GreenShiftTests/Fixtures/simulate-two-nodes"

    /// A copy of the fixture, with `changes` (relative path: new contents) applied.
    static func history(_ changes: [String: String] = [:]) throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-history-\(UUID().uuidString)").path
        try FileManager.default.copyItem(atPath: fixture, toPath: root)
        for (path, text) in changes { try text.write(toFile: root + "/" + path, atomically: true, encoding: .utf8) }
        return root
    }

    static func outFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-sim-\(UUID().uuidString)").path
    }

    final class Lines: @unchecked Sendable {
        var all: [String] = []
        let lock = NSLock()
        func append(_ s: String) { lock.lock(); all.append(s); lock.unlock() }
    }

    static func simulate(_ history: String, out: String, policies: [SimulationPolicy] = SimulationPolicy.allCases,
                         lookAheadHours: Int = 24, forecasts: SimulationForecasts = .files, lines: Lines = Lines()) throws -> [String: [SimulatedDay]] {
        let h = try SimulationHistory.load(history, coolingLibrary: ScenarioFixture.coolingLibrary)
        let options = SimulationOptions(lookAheadHours: lookAheadHours, policies: policies, forecasts: forecasts)
        let results = try Simulator(history: h, directory: out, options: options,
                                    progress: { lines.append($0) }).run()
        return Dictionary(uniqueKeysWithValues: results.map { ($0.policy.rawValue, $0.days) })
    }

    static func total(_ days: [SimulatedDay]?, _ f: (SimulatedDay) -> Double = \.objectiveKg) -> Double {
        (days ?? []).reduce(0) { $0 + f($1) }
    }

    @Test func everyPolicyOnTheHandComputedHistory() throws {
        let r = try Self.simulate(try Self.history(), out: Self.outFolder())
        #expect(isClose(Self.total(r["greenshift"]), 0) && isClose(Self.total(r["hindsight"]), 0))
        #expect(isClose(Self.total(r["no-shift"]), 1440))
        #expect(isClose(Self.total(r["greedy-intensity"]), 750))
        #expect(isClose(Self.total(r["greedy-renewable"]), 0))
        for (name, days) in r {
            #expect(days.count == 3 && Self.total(days, \.unservedCUh) == 0, "\(name)")
            #expect(isClose(Self.total(days, \.servedCUh), 1200), "\(name)")
        }
    }

    /// The chain: day 1's realized state is day 2's start. greenshift leaves the 1200 CU*h for
    /// day 2 with their due; day 2 starts with them and runs them; the last night plans only its
    /// own day (as hindsight does), so nothing is left at the end.
    @Test func theRealizedStateChainsTheDays() throws {
        let out = Self.outFolder()
        let days = try #require(try Self.simulate(try Self.history(), out: out, policies: [.greenshift])["greenshift"])
        #expect(days.map(\.plannedPeriods) == [8, 8, 4])
        #expect(days[0].backlogInCUh == 0 && isClose(days[0].backlogOutCUh, 1200) && days[0].servedCUh == 0)
        #expect(isClose(days[1].backlogInCUh, 1200) && days[1].backlogOutCUh == 0 && isClose(days[1].servedCUh, 1200))
        let state = try PlanState.read(from: out + "/greenshift/2026-11-27/state.json")
        #expect(state.at == "2026-11-28T00:00:00+08:00" && state.batteries.isEmpty)
        #expect(state.backlog.count == 1)
        let entry = try #require(state.backlog.first)
        #expect(entry.classID == "batch" && entry.origin == "east" && entry.due == "2026-11-28T12:00:00+08:00" && isClose(entry.cuH, 1200))
        #expect(try PlanState.read(from: out + "/greenshift/2026-11-29/state.json").at == "2026-11-30T00:00:00+08:00")
    }

    /// Without look-ahead the night of day 1 cannot see day 2's wind: the batch runs on day 1
    /// where it is cheapest, at west on the grid (750 kg), and the regret against hindsight shows it.
    @Test func withoutLookAheadTheWindOfTheNextDayIsMissed() throws {
        let r = try Self.simulate(try Self.history(), out: Self.outFolder(), policies: [.greenshift], lookAheadHours: 0)
        #expect(isClose(Self.total(r["greenshift"]), 750))
        #expect(r["greenshift"]?.map(\.plannedPeriods) == [4, 4, 4])
    }

    /// Day 1's night forecasts no wind for day 2 (the actual wind comes): greenshift runs the batch
    /// on day 1 at west on the grid (750 kg). With perfect forecasts it waits for the wind (0 kg).
    @Test func perfectForecastsShowWhatTheForecastErrorCost() throws {
        let calm = "timestamp,east,west\n" + (0 ..< 8).map { k in
            "\(try! Timestamp(parsing: "2026-11-27T00:00:00+08:00").adding(minutes: k * 360)),0,0\n"
        }.joined()
        let history = try Self.history(["forecasts/2026-11-27/renewable_mw.csv": calm])
        #expect(isClose(Self.total(try Self.simulate(history, out: Self.outFolder(), policies: [.greenshift])["greenshift"]), 750))
        let perfect = try Self.simulate(history, out: Self.outFolder(), policies: [.greenshift], forecasts: .perfect)
        #expect(isClose(Self.total(perfect["greenshift"]), 0))
    }

    /// greenshift's own forecasts of a night use the actuals before its 00:00 only. Night 1 has
    /// none and plans on its files. Night 2 has day 1 (one day, no backtest window: auto takes
    /// naive-day): no wind (day 1 had none) and the 1200 CU*h at east at 18:00 of both days
    /// ahead. Night 3 has two days (still no window): day 2 again, west's wind at 00:00 and no
    /// work. More wind at west on day 2 06:00 in the actuals changes night 3 and nothing before.
    @Test func greenshiftsOwnForecastsUseNoRowAfterTheNightsStart() throws {
        func nights(_ history: String) throws -> [(scenario: Scenario, source: String)] {
            let h = try SimulationHistory.load(history, coolingLibrary: ScenarioFixture.coolingLibrary)
            let simulator = Simulator(history: h, directory: Self.outFolder(), options: SimulationOptions(forecasts: .greenshift(.auto)))
            return try (0 ..< 3).map { try simulator.nightForecast($0) }
        }
        let plain = try nights(try Self.history())
        #expect(plain.map(\.source) == ["files", "greenshift", "greenshift"])
        #expect(plain.map(\.scenario.periodCount) == [8, 8, 4])
        #expect(plain[1].scenario.renewableMW == [[Double]](repeating: Array(repeating: 0, count: 8), count: 2))
        #expect(plain[1].scenario.demandCUh == [[[0, 0, 0, 1200, 0, 0, 0, 1200], Array(repeating: 0, count: 8)]])
        #expect(plain[1].scenario.averageKgPerMWh == [Array(repeating: 800, count: 8), Array(repeating: 500, count: 8)])
        #expect(plain[2].scenario.renewableMW == [[0, 0, 0, 0], [1, 0, 0, 0]])
        #expect(plain[2].scenario.demandCUh == [[[0, 0, 0, 0], [0, 0, 0, 0]]])

        let stamps = (0 ..< 16).map { try! Timestamp(parsing: "2026-11-27T00:00:00+08:00").adding(minutes: $0 * 360) }
        let windier = "timestamp,east,west\n" + stamps.enumerated().map { k, t in "\(t),0,\(k == 4 ? 1 : k == 5 ? 5 : 0)\n" }.joined()
        let changed = try nights(try Self.history(["actuals/renewable_mw.csv": windier]))
        for d in 0 ..< 2 {
            #expect(changed[d].scenario.seriesNames == plain[d].scenario.seriesNames)
            for name in plain[d].scenario.seriesNames {
                #expect(changed[d].scenario.series(named: name) == plain[d].scenario.series(named: name), "night \(d + 1) \(name)")
            }
        }
        #expect(changed[2].scenario.renewableMW == [[0, 0, 0, 0], [1, 5, 0, 0]])
    }

    /// End to end with greenshift's own forecasts. Night 1 plans on its files (which show day 2's
    /// wind) and carries the batch to day 2, as in everyPolicyOnTheHandComputedHistory. Night 2's
    /// own forecast has no wind: the batch, due at 12:00, goes to west (PUE 1.25 x 500 kg/MWh
    /// against east's 1.5 x 800) in 00:00-06:00, where the actual wind runs it (0 kg), or in
    /// 06:00-12:00 on the grid (750 kg). The run records the source per day, writes the nights' forecasts, and refuses a
    /// rerun with another source into the same folder.
    @Test func aSimulationOnGreenshiftsOwnForecasts() throws {
        let history = try Self.history(), out = Self.outFolder()
        let r = try Self.simulate(history, out: out, forecasts: .greenshift(.auto))
        for (name, days) in r where name != "hindsight" {
            #expect(days.map(\.forecasts) == ["files", "greenshift", "greenshift"], "\(name)")
            #expect(Self.total(days, \.unservedCUh) == 0 && isClose(Self.total(days, \.servedCUh), 1200), "\(name)")
            #expect(Self.total(days) >= Self.total(r["hindsight"]) - 1e-6, "\(name)")
        }
        #expect(r["hindsight"]?.allSatisfy { $0.forecasts == nil } == true)
        #expect(isClose(Self.total(r["no-shift"]), 1440))
        let greenshift = try #require(r["greenshift"])
        #expect(isClose(greenshift[0].backlogOutCUh, 1200) && greenshift[0].carbonKg == 0)
        // West's two periods before the due are equal on the forecast; which one the LP takes is its own.
        #expect([0.0, 750].contains { isClose(greenshift[1].carbonKg, $0) } && greenshift[2].carbonKg == 0, "\(greenshift.map(\.carbonKg))")
        let written = try String(contentsOfFile: out + "/forecasts/2026-11-29/renewable_mw.csv", encoding: .utf8)
        #expect(written == "timestamp,east,west\n2026-11-29T00:00:00+08:00,0,1\n2026-11-29T06:00:00+08:00,0,0\n2026-11-29T12:00:00+08:00,0,0\n2026-11-29T18:00:00+08:00,0,0\n")
        #expect(!FileManager.default.fileExists(atPath: out + "/forecasts/2026-11-27"))
        let settings = try String(contentsOfFile: out + "/settings.json", encoding: .utf8)
        #expect(settings.contains("\"forecasts\": \"greenshift\"") && settings.contains("\"forecast_method\": \"auto\""), "\(settings)")
        for other: SimulationForecasts in [.files, .perfect, .greenshift(.decomposition)] {
            let error = #expect(throws: InputError.self) { try Self.simulate(history, out: out, forecasts: other) }
            #expect(error?.diagnostics.first?.message.contains("other settings") == true, "\(other)")
        }
        let again = try Self.simulate(history, out: out, forecasts: .greenshift(.auto))
        #expect(again["greenshift"]?.map(\.objectiveKg) == greenshift.map(\.objectiveKg))
    }

    /// A rerun after the last day was lost simulates that day only and gets the same result;
    /// after a day in the middle was lost, that day and the days after it; a rerun with other
    /// settings is refused.
    @Test func aRerunContinuesAfterTheLastFinishedDay() throws {
        let history = try Self.history(), out = Self.outFolder()
        let first = try Self.simulate(history, out: out, policies: [.greenshift, .noShift])
        try FileManager.default.removeItem(atPath: out + "/greenshift/2026-11-29")
        try FileManager.default.removeItem(atPath: out + "/no-shift/2026-11-29/day.json")
        let lines = Lines()
        let second = try Self.simulate(history, out: out, policies: [.greenshift, .noShift], lines: lines)
        #expect(lines.all.count == 2 && lines.all.allSatisfy { $0.contains("day 3/3 2026-11-29") }, "\(lines.all)")
        for name in ["greenshift", "no-shift"] {
            #expect(second[name]?.map(\.objectiveKg) == first[name]?.map(\.objectiveKg))
            #expect(second[name]?.map(\.backlogOutCUh) == first[name]?.map(\.backlogOutCUh))
        }
        // A day lost in the middle: it and every day after it are simulated again.
        try FileManager.default.removeItem(atPath: out + "/greenshift/2026-11-28/day.json")
        let middle = Lines()
        let third = try Self.simulate(history, out: out, policies: [.greenshift], lines: middle)
        #expect(middle.all.count == 2 && middle.all[0].contains("day 2/3") && middle.all[1].contains("day 3/3"), "\(middle.all)")
        #expect(third["greenshift"]?.map(\.objectiveKg) == first["greenshift"]?.map(\.objectiveKg))
        let error = #expect(throws: InputError.self) {
            try Self.simulate(history, out: out, policies: [.greenshift], lookAheadHours: 12)
        }
        #expect(error?.diagnostics.first?.message.contains("other settings") == true)
    }

    /// Day 2's forecast says west has no wind in its second period while its idle load (0.1 MW at
    /// PUE 1.25) exceeds its 0.05 MW grid connection: no plan can be made that night. The day
    /// falls back to no-shift, is counted, and the run goes on. The actual wind never fails.
    @Test func aNightWithoutAPlanFallsBackToNoShift() throws {
        let toml = try String(contentsOfFile: Self.fixture + "/scenario.toml", encoding: .utf8)
            .replacingOccurrences(of: "idle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"",
                                  with: "idle_it_mw = 0.1\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"\ngrid_import_mw = 0.05")
        func wind(_ day: Int, _ rows: Int, calmAt calm: Int? = nil) -> String {
            let start = try! Timestamp(parsing: "2026-11-27T00:00:00+08:00")
            return "timestamp,east,west\n" + (0 ..< rows).map { k in
                "\(start.adding(minutes: (day * 4 + k) * 360)),0,\(k == calm ? 0 : (day * 4 + k == 4 ? 1 : 0.2))\n"
            }.joined()
        }
        let history = try Self.history([
            "scenario.toml": toml, "actuals/renewable_mw.csv": wind(0, 16),
            "forecasts/2026-11-27/renewable_mw.csv": wind(0, 8), "forecasts/2026-11-28/renewable_mw.csv": wind(1, 8, calmAt: 1),
            "forecasts/2026-11-29/renewable_mw.csv": wind(2, 8),
        ])
        let lines = Lines()
        let days = try #require(try Self.simulate(history, out: Self.outFolder(), policies: [.greenshift], lines: lines)["greenshift"])
        #expect(days.count == 3)
        #expect(days[0].fallback == nil && days[2].fallback == nil)
        let reason = try #require(days[1].fallback)
        #expect(reason.contains("infeasible") && reason.contains("west"), "\(reason)")
        #expect(lines.all[1].contains("fell back to no-shift"))
        let h = try SimulationHistory.load(history, coolingLibrary: ScenarioFixture.coolingLibrary)
        let report = SimulationReport(history: h, options: SimulationOptions(policies: [.greenshift]), results: [(.greenshift, days)])
        #expect(report.policies[0].total.fallbackDays == 1)
        #expect(SimulationPage.html(report).contains("fell back to no-shift"))
    }

    /// No policy beats hindsight: histories with random weather, grid factors and work, and
    /// forecasts off by up to 40 %, every policy's objective is at least the hindsight LP's.
    @Test func noPolicyBeatsHindsight() throws {
        var random = SplitMix64(seed: 12)
        let start = try Timestamp(parsing: "2026-11-27T00:00:00+08:00")
        for round in 0 ..< 3 {
            func csv(_ rows: Range<Int>, _ columns: [String], _ values: [[Double]]) -> String {
                "timestamp," + columns.joined(separator: ",") + "\n" + rows.map { k in
                    "\(start.adding(minutes: k * 360)),\(values.map { JSON.format($0[k]) }.joined(separator: ","))\n"
                }.joined()
            }
            let actual: [String: ([String], [[Double]])] = [
                "renewable_mw": (["east", "west"], [(0 ..< 16).map { _ in random.uniform(0, 0.3) }, (0 ..< 16).map { _ in random.uniform(0, 1.5) }]),
                "carbon_intensity": (["east", "west"], [(0 ..< 16).map { _ in random.uniform(600, 900) }, (0 ..< 16).map { _ in random.uniform(300, 700) }]),
                "temperature_c": (["east", "west"], [(0 ..< 16).map { _ in random.uniform(0, 30) }, (0 ..< 16).map { _ in random.uniform(-10, 20) }]),
                "demand_batch": (["east"], [(0 ..< 16).map { _ in random.uniform(0, 2500) }]),
            ]
            var changes: [String: String] = [:]
            for (name, (columns, values)) in actual {
                changes["actuals/\(name).csv"] = csv(0 ..< 16, columns, values)
                for d in 0 ..< 3 {
                    let noisy = values.map { $0.map { $0 * (1 + 0.4 * (2 * random.uniform(0, 1) - 1)) } }
                    changes["forecasts/2026-11-\(27 + d)/\(name).csv"] = csv(4 * d ..< 4 * d + 8, columns, noisy)
                }
            }
            let r = try Self.simulate(try Self.history(changes), out: Self.outFolder())
            let hindsight = Self.total(r["hindsight"])
            for (name, days) in r {
                #expect(Self.total(days) >= hindsight * (1 - 1e-6) - 1e-6, "round \(round): \(name) \(Self.total(days)) < hindsight \(hindsight)")
            }
        }
    }

    /// The same property on histories `generate --history-days` writes (three nodes, two days,
    /// hourly, day-to-day weather, forecast errors growing with lead), with the nightly forecasts
    /// with perfect ones and with greenshift's own; and the generator writes the same bytes twice.
    @Test func noPolicyBeatsHindsightOnGeneratedHistories() throws {
        for seed: UInt64 in [3, 8] {
            let generator = ScenarioGenerator(nodes: 3, periods: 24, classes: 3, seed: seed)
            let files = generator.historyFiles(days: 2)
            #expect(files.map(\.contents) == generator.historyFiles(days: 2).map(\.contents))
            #expect(files.filter { $0.path.hasPrefix("forecasts/") }.count == 2 * 6 && files.contains { $0.path == "forecasts/2026-11-28/renewable_mw.csv" })
            let history = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-generated-\(UUID().uuidString)").path
            try generator.writeHistory(days: 2, to: history)
            for forecasts: SimulationForecasts in [.files, .perfect, .greenshift(.auto)] {
                let r = try Self.simulate(history, out: Self.outFolder(), forecasts: forecasts)
                let hindsight = Self.total(r["hindsight"])
                #expect(hindsight > 0)
                for (name, days) in r {
                    #expect(Self.total(days) >= hindsight * (1 - 1e-6), "seed \(seed), \(forecasts): \(name) \(Self.total(days)) < hindsight \(hindsight)")
                }
            }
        }
    }

    @Test func simulationJSONHasTheKeysOfTheIssue() throws {
        let history = try Self.history(), out = Self.outFolder()
        let r = try Self.simulate(history, out: out)
        let h = try SimulationHistory.load(history, coolingLibrary: ScenarioFixture.coolingLibrary)
        let report = SimulationReport(history: h, options: SimulationOptions(),
                                      results: SimulationPolicy.allCases.map { ($0, r[$0.rawValue]!) })
        let object = try JSONSerialization.jsonObject(with: Data(report.json().rendered().utf8)) as! [String: Any]
        #expect(object["schema"] as? String == "greenshift.simulation/1" && object["days"] as? Int == 3)
        let policies = object["policies"] as! [[String: Any]]
        #expect(policies.map { $0["name"] as! String } == ["greenshift", "no-shift", "greedy-intensity", "greedy-renewable", "hindsight"])
        for p in policies {
            let total = p["total"] as! [String: Any]
            for key in ["carbon_kg", "unserved_cu_h", "late_cu_h", "objective_kg", "regret_kg", "share_of_hindsight_carbon_cut_percent"] { #expect(total[key] is NSNumber, "\(key)") }
            #expect((p["days"] as! [[String: Any]]).count == 3)
        }
        let noShift = policies[1]["total"] as! [String: Any]
        #expect((noShift["regret_kg"] as? NSNumber)?.doubleValue == 1440)
        let share = try #require((policies[2]["total"] as! [String: Any])["share_of_hindsight_reduction_percent"] as? Double)
        #expect(isClose(share, 100 * (1440 - 750) / 1440.0, relative: 1e-9))
    }

    @Test func aBadHistoryNamesTheFile() throws {
        let history = try Self.history()
        try FileManager.default.removeItem(atPath: history + "/forecasts/2026-11-28")
        let error = #expect(throws: InputError.self) { try SimulationHistory.load(history, coolingLibrary: ScenarioFixture.coolingLibrary) }
        #expect(error?.diagnostics.first?.file.hasSuffix("forecasts/2026-11-28") == true)
        let short = try Self.history(["actuals/demand_batch.csv": "timestamp,east\n2026-11-27T00:00:00+08:00,1\n"])
        let rows = #expect(throws: InputError.self) { try SimulationHistory.load(short, coolingLibrary: ScenarioFixture.coolingLibrary) }
        let tooFar = #expect(throws: InputError.self) { try Self.simulate(try Self.history(), out: Self.outFolder(), lookAheadHours: 36) }
        #expect(tooFar?.diagnostics.first?.message.contains("forecasts for 8 periods, but the committed day and 36 h of look-ahead need 10") == true,
                "\(tooFar?.diagnostics ?? [])")
        #expect(rows?.diagnostics.contains { $0.file.hasSuffix("actuals/demand_batch.csv") && $0.message.contains("1 data rows, expected 16") } == true, "\(rows?.diagnostics ?? [])")
    }
}
