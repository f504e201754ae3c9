import Foundation
import Testing
@testable import GreenShift

/// `greenshift evaluate`: accuracy, realized emissions under the demand rule, hindsight and regret
/// (docs/evaluation.md). Hand-computed cases use the spec's two-nodes example: web 500 CU*h an hour
/// at east (PUE 1.5, 800 kg/MWh), batch 1000 CU*h at east in hour 0, runnable within 2 h at west
/// (PUE 1.25, 500 kg/MWh, wind 0, 2, 2 MW); 1 kW per CU. The plan emits 1800 kg (web only),
/// the baseline 3000 kg.
@Suite struct EvaluationTests {
    typealias F = ScenarioFixture

    /// Writes the fixture with `actuals` as the files of its `actuals/` folder, optimizes the
    /// forecast and evaluates the plan against the actuals.
    static func evaluate(_ fixture: F, actuals: [String: String]) throws -> (Evaluation, Plan) {
        var fixture = fixture
        for (name, text) in actuals { fixture.files["actuals/" + name] = text }
        let root = try fixture.write()
        try FileManager.default.createDirectory(atPath: root + "/actuals", withIntermediateDirectories: true)
        let forecast = try ScenarioLoader(directory: root, coolingLibrary: F.coolingLibrary).load()
        let plan = try solveAndVerify(forecast)
        let loaded = try ActualsLoader(directory: root + "/actuals").load(for: forecast)
        return (try Evaluator.evaluate(forecast: forecast, plan: plan, actuals: loaded), plan)
    }

    /// renewable_mw.csv with no renewables at east and `values` at west.
    static func west(_ values: [Double]) -> String { F.series([("east", [0, 0, 0]), ("west", values)]) }

    @Test func actualsEqualToTheForecastRealizeThePlanWithoutRegret() throws {
        let same = F.twoNodes.files.filter { $0.key.hasPrefix("timeseries/") }
        for actuals in [Dictionary(uniqueKeysWithValues: same.map { (String($0.key.dropFirst("timeseries/".count)), $0.value) }), [:]] {
            let (e, plan) = try Self.evaluate(F.twoNodes, actuals: actuals)
            let s = e.summary
            #expect(isClose(s.plannedCarbonKg, 1800) && isClose(s.realizedCarbonKg, plan.summary.carbonKg))
            #expect(isClose(s.realizedBaselineCarbonKg, 3000) && isClose(s.hindsightCarbonKg, 1800))
            #expect(s.regretKg == 0)
            #expect(isClose(s.realizedReductionPercent, 40))
            #expect(s.extraWorkCUh == 0 && s.missingWorkCUh == 0 && s.realizedUnservedCUh == 0)
            #expect(e.accuracy.allSatisfy { $0.overall.mae == 0 && $0.overall.bias == 0 })
            #expect(e.measuredSeries.count + e.seriesAsForecast.count == 5)
        }
    }

    /// West's wind is 1 MW instead of 2 in hours 1 and 2. The plan runs all 1000 CU*h of batch at
    /// west in one of them: 1.25 MW against 1 MW of wind, so 0.25 MW from the grid at 500 kg/MWh
    /// for 1 h = 125 kg on top of web's 1800. In hindsight batch splits 500/500 over hours 1 and 2
    /// (0.625 MW each, all wind): 1800 kg, so the regret is 125 kg. The baseline runs batch at east
    /// in hour 0 and never used the wind: 3000 kg either way.
    @Test func aRenewableShortfallCostsItsGridEnergy() throws {
        let (e, _) = try Self.evaluate(F.twoNodes, actuals: ["renewable_mw.csv": Self.west([0, 1, 1])])
        let s = e.summary
        #expect(isClose(s.realizedCarbonKg, 1925))
        #expect(isClose(s.hindsightCarbonKg, 1800))
        #expect(isClose(s.regretKg, 125))
        #expect(isClose(s.realizedBaselineCarbonKg, 3000))
        #expect(isClose(s.realizedReductionPercent, 100 * (3000 - 1925) / 3000))
        #expect(isClose(e.byNode[1].realizedGridKg - e.byNode[1].plannedGridKg, 125))
        // Errors are forecast - actual: 0, 1, 1 MW at west; east had no renewables at all.
        let west = try #require(e.accuracy.first { $0.series == "renewable_mw" && $0.node == "west" })
        #expect(isClose(west.overall.mae, 2.0 / 3) && isClose(west.overall.rmse, (2.0 / 3).squareRoot()))
        #expect(isClose(west.overall.bias, 2.0 / 3) && isClose(west.overall.wape ?? 0, 1))
        #expect(west.byHour.map(\.hour) == [0, 1, 2] && west.byHour[1].statistics.mae == 1)
        let east = try #require(e.accuracy.first { $0.series == "renewable_mw" && $0.node == "east" })
        #expect(east.overall.wape == nil)
    }

    /// West gets no wind at all, and its grid connection is capped at 0.5 MW: of the plan's 1000 CU*h
    /// at west only 0.5 / 1.25 MW = 400 CU*h can be powered (250 kg); 600 CU*h are unserved. In
    /// hindsight west runs batch on 0.5 MW of grid in each of hours 0-2 (up to 400 CU*h an hour):
    /// 1000 CU*h x 1.25 kW x 0.5 kg/kWh = 625 kg. Regret counts the penalty: 2050 + 600 x 10000 - 2425.
    @Test func fixedWorkThatCannotBePoweredIsReportedUnserved() throws {
        var fixture = F.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!
            .replacingOccurrences(of: "cooling_model = \"flat-1.25\"", with: "cooling_model = \"flat-1.25\"\ngrid_import_mw = 0.5")
        let (e, _) = try Self.evaluate(fixture, actuals: ["renewable_mw.csv": Self.west([0, 0, 0])])
        let s = e.summary
        #expect(isClose(s.realizedCarbonKg, 2050))
        #expect(isClose(s.realizedUnservedCUh, 600))
        #expect(e.unserved.count == 1 && e.unserved[0].node == "west" && e.unserved[0].classID == "batch")
        #expect(isClose(s.hindsightCarbonKg, 2425) && s.hindsightUnservedCUh == 0)
        #expect(isClose(s.regretKg, 2050 + 600 * 10_000 - 2425))
    }

    /// Demand rule: 1200 CU*h of batch arrive instead of 1000. The plan's 1000 run at west on wind;
    /// the extra 200 run at east on arrival: 0.2 MW x 1.5 x 800 = 240 kg. When only 500 arrive, the
    /// plan's run shrinks to 500 and nothing else changes.
    @Test func extraWorkRunsAtItsOriginOnArrivalAndMissingWorkIsNotRun() throws {
        let more = try Self.evaluate(F.twoNodes, actuals: ["demand_batch.csv": F.series([("east", [1200, 0, 0])])]).0
        #expect(isClose(more.summary.realizedCarbonKg, 2040) && isClose(more.summary.extraWorkCUh, 200))
        #expect(isClose(more.summary.hindsightCarbonKg, 1800) && isClose(more.summary.regretKg, 240))
        #expect(more.demand.count == 1 && more.demand[0].classID == "batch" && more.demand[0].origin == "east")
        let fewer = try Self.evaluate(F.twoNodes, actuals: ["demand_batch.csv": F.series([("east", [500, 0, 0])])]).0
        #expect(isClose(fewer.summary.realizedCarbonKg, 1800) && isClose(fewer.summary.missingWorkCUh, 500))
        #expect(fewer.summary.regretKg == 0)
        // Baseline: 500 CU*h at east in hour 0 = 0.5 x 1.5 x 800 = 600 kg on top of 1800.
        #expect(isClose(fewer.summary.realizedBaselineCarbonKg, 2400))
    }

    /// Regret is never negative: the realized plan is a feasible plan of the actual scenario, so its
    /// objective is never below the hindsight optimum. Perturbations of the default scenario
    /// (batteries, grid caps, bandwidth, four classes): weather, grid factors, more and less work,
    /// and work arriving an hour later than forecast.
    @Test func regretIsNeverNegative() throws {
        let forecast = try ScenarioLoader(directory: F.defaultScenario, coolingLibrary: F.coolingLibrary).load()
        let plan = try Optimizer.optimize(forecast).plan
        var random = SplitMix64(seed: 7)
        for round in 0 ..< 6 {
            var actual = forecast
            func jitter(_ series: [[Double]], _ spread: Double) -> [[Double]] {
                series.map { $0.map { max(0, $0 * (1 + spread * (2 * random.uniform(0, 1) - 1))) } }
            }
            actual.renewableMW = jitter(forecast.renewableMW, 0.4)
            actual.averageKgPerMWh = jitter(forecast.averageKgPerMWh, 0.1)
            actual.temperatureC = forecast.temperatureC.map { $0.map { $0 + 8 * (random.uniform(0, 1) - 0.5) } }
            actual.demandCUh = forecast.demandCUh.map { jitter($0, 0.3) }
            if round % 2 == 1 {
                // Every class arrives one hour late: the plan's early runs have nothing to serve.
                actual.demandCUh = actual.demandCUh.map { $0.map { [0] + $0.dropLast() } }
            }
            let actuals = Actuals(scenario: actual, measured: ActualsLoader.seriesNames(forecast).filter { $0 != "price" }, asForecast: [])
            let e = try Evaluator.evaluate(forecast: forecast, plan: plan, actuals: actuals)
            #expect(e.summary.regretKg >= 0, "round \(round): regret \(e.summary.regretKg)")
            #expect(e.summary.realizedObjectiveKg >= e.summary.hindsightObjectiveKg * (1 - 1e-6), "round \(round)")
            // The demand rule accounts for every CU*h that arrived: run, or unserved.
            let arrived = actual.demandCUh.joined().joined().reduce(0, +)
            #expect(isClose(e.summary.actualWorkCUh, arrived))
            #expect(isClose(e.summary.realizedWorkCUh + e.summary.realizedUnservedCUh, arrived), "round \(round)")
        }
    }

    /// The realized state.json (plan.md): the two-nodes example committing only hour 0, with an
    /// empty 2 MWh / 1 MW battery at west (round trip 1, initial_soc 0). The plan runs no batch in
    /// hour 0 (no wind then, and the battery is empty), so its state leaves the battery at 0.
    /// Actually 1200 CU*h of batch arrive (the plan expects 1000), and west's wind is 1, 0, 0 MW
    /// instead of 0, 2, 2. Backlog: the extra 200 CU*h run at east on arrival in hour 0; the plan's
    /// 1000 CU*h run later, so 1000 CU*h are left, due at the end of hour 2 (03:00). Battery: the
    /// hour-0 wind has nothing to power at west, so it charges the battery (1 MW for 1 h: 1 MWh),
    /// because in hours 1-2 batch needs 1.25 MWh at west and there is no wind left. With 500 CU*h
    /// arriving instead, the plan's run shrinks to half: 500 left.
    @Test func theRealizedStateCarriesTheBatteryAndTheBacklogLeftByWhatRan() throws {
        var fixture = F.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!
            .replacingOccurrences(of: "periods = 3", with: "periods = 3\ncommit_periods = 1")
            .replacingOccurrences(of: "cooling_model = \"flat-1.25\"", with: """
                cooling_model = "flat-1.25"

                [nodes.battery]
                energy_mwh = 2.0
                power_mw = 1.0
                round_trip_efficiency = 1.0
                initial_soc = 0.0
                """)
        let wind = Self.west([1, 0, 0])
        let (more, plan) = try Self.evaluate(fixture, actuals: ["renewable_mw.csv": wind, "demand_batch.csv": F.series([("east", [1200, 0, 0])])])
        let state = more.realizedState
        #expect(state.at == "2026-11-27T01:00:00+08:00")
        #expect(state.backlog.count == 1)
        let entry = try #require(state.backlog.first)
        #expect(entry.classID == "batch" && entry.origin == "east" && entry.due == "2026-11-27T03:00:00+08:00" && isClose(entry.cuH, 1000))
        #expect(state.batteries.count == 1 && state.batteries[0].node == "west" && isClose(state.batteries[0].energyMWh, 1))
        #expect(plan.nodes[1].periods[0].workCUh == 0 && plan.nodes[1].periods[0].batteryEnergyMWh == 0)
        let fewer = try Self.evaluate(fixture, actuals: ["renewable_mw.csv": wind, "demand_batch.csv": F.series([("east", [500, 0, 0])])]).0
        #expect(fewer.realizedState.backlog.count == 1 && isClose(fewer.realizedState.backlog[0].cuH, 500))
    }

    /// A node that cannot fit what it was given sheds its most flexible work, which the state
    /// carries. The two-nodes example committing hour 0, with 3 MW of wind at east in hour 0 and
    /// none at west: the plan runs batch (1000 CU*h) beside web (500) at east in hour 0, on wind.
    /// Actually 1500 CU*h of web arrive; the extra 1000 run at east on arrival, 2500 CU*h against
    /// east's 2000: 500 are shed. They are batch's (2 h deadline), not web's, so the state carries
    /// 500 CU*h of batch, due at 03:00.
    @Test func shedWorkIsTheMostFlexibleAndTheStateCarriesIt() throws {
        var fixture = F.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!.replacingOccurrences(of: "periods = 3", with: "periods = 3\ncommit_periods = 1")
        let wind = F.series([("east", [3, 0, 0]), ("west", [0, 0, 0])])
        fixture.files["timeseries/renewable_mw.csv"] = wind
        let (e, plan) = try Self.evaluate(fixture, actuals: ["demand_web.csv": F.series([("east", [1500, 500, 500])])])
        #expect(plan.placements.contains { $0.classID == "batch" && $0.node == "east" && $0.period == 0 && isClose($0.cuH, 1000) })
        #expect(isClose(e.summary.realizedUnservedCUh, 500))
        let state = e.realizedState
        #expect(state.backlog.count == 1)
        let entry = try #require(state.backlog.first)
        #expect(entry.classID == "batch" && entry.origin == "east" && entry.due == "2026-11-27T03:00:00+08:00" && isClose(entry.cuH, 500))
    }

    @Test func badActualsNameTheFileAndLine() throws {
        let negative = F.series([("east", [0, 0, 0]), ("west", [0, -2, 2])])
        let cases: [(file: String, text: String, line: Int?, message: String)] = [
            ("renewable_mw.csv", negative, 3, "value -2 is negative"),
            ("temperature_c.csv", "timestamp,east\n2026-11-27T00:00:00+08:00,1\n", 1, "no column for node 'west'"),
            ("demand_web.csv", F.series([("east", [1, 2])]), 4, "2 data rows, expected 3"),
            ("demand_nightly.csv", F.series([("east", [1, 2, 3])]), nil, "names class 'nightly'"),
            ("renewables.csv", F.series([("east", [1, 2, 3])]), nil, "is no time series of the scenario format (did you mean renewable_mw.csv?)"),
        ]
        for c in cases {
            let error = #expect(throws: InputError.self) { try Self.evaluate(F.twoNodes, actuals: [c.file: c.text]) }
            let d = try #require(error?.diagnostics.first, "\(c.file)")
            #expect(d.file.hasSuffix("/actuals/" + c.file) && d.line == c.line && d.message.contains(c.message), "\(d)")
        }
    }

    @Test func aPlanOfAnotherScenarioIsBadInput() throws {
        let root = try F.twoNodes.write()
        let forecast = try ScenarioLoader(directory: root, coolingLibrary: F.coolingLibrary).load()
        var plan = try solveAndVerify(forecast)
        plan.placements[0].cuH += 100
        let path = root + "/plan.json"
        try plan.json().rendered().write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: InputError.self) { try Plan.read(from: path, belongingTo: forecast) }
        #expect(error?.diagnostics.first?.message.contains("does not fit scenario 'two-nodes'") == true)
        plan.scenario = "elsewhere"
        try plan.json().rendered().write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: InputError.self) { try Plan.read(from: path, belongingTo: forecast) }
    }

    @Test func evaluationJSONHasTheDocumentedKeys() throws {
        let (e, _) = try Self.evaluate(F.twoNodes, actuals: ["renewable_mw.csv": Self.west([0, 1, 1])])
        let object = try JSONSerialization.jsonObject(with: Data(e.json().rendered().utf8)) as! [String: Any]
        let summary = object["summary"] as! [String: Any]
        for key in ["planned_carbon_kg", "realized_carbon_kg", "realized_baseline_carbon_kg", "hindsight_carbon_kg",
                    "regret_kg", "realized_reduction_percent"] {
            #expect(summary[key] is NSNumber, "\(key)")
        }
        #expect((summary["regret_kg"] as? NSNumber).map { isClose($0.doubleValue, 125) } == true)
        let accuracy = object["accuracy"] as! [[String: Any]]
        #expect(accuracy.count == 2 && accuracy.allSatisfy { Set(["series", "node", "mae", "rmse", "bias", "wape"]).isSubset(of: $0.keys) })
        #expect(accuracy.first { $0["node"] as? String == "east" }?["wape"] is NSNull)
    }
}
