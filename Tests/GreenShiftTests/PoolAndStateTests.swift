import Foundation
import Testing
@testable import GreenShift

/// Hand-computed optima of spec version 2: compute pools, state.json (backlog and battery),
/// commit_periods and the state a run leaves, and the carbon signal.
@Suite struct PoolAndStateTests {
    typealias F = ScenarioFixture

    static let header = """
        [scenario]
        name = "v2"
        start = "2026-11-27T00:00:00+08:00"
        period_minutes = 60

        """

    /// A scenario from TOML after [scenario]'s first four keys, hourly series (`name: [node: values]`)
    /// and an optional state.json; every cooling model is a flat PUE of 1.
    static func fixture(_ toml: String, periods: Int, _ series: [String: [(String, [Double])]], state: String? = nil) -> F {
        var files = ["scenario.toml": header + "periods = \(periods)\n" + toml, "cooling/flat.toml": F.flat(1.0)]
        for (name, columns) in series { files["timeseries/\(name).csv"] = F.series(columns) }
        if let state { files["state.json"] = state }
        return F(files: files)
    }

    static let eastWestNodes = """
        [[nodes]]
        id = "east"
        capacity_cu = 10000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        cooling_model = "flat"

        [[nodes]]
        id = "west"
        cooling_model = "flat"
        [[nodes.pools]]
        type = "general"
        capacity_cu = 10000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        [[nodes.pools]]
        type = "ai"
        capacity_cu = 50
        idle_it_mw = 0
        it_mw_per_cu = 0.01

        [[links]]
        a = "east"
        b = "west"
        latency_ms = 20

        """

    // MARK: Pools

    /// 40 AI CU*h arrive at east, which has no AI pool: they must run at west's AI pool,
    /// 40 x 0.01 MW = 0.4 MWh at 500 kg/MWh = 200 kg. The baseline keeps work at its origin, so
    /// there the 40 CU*h are unserved and nothing is emitted.
    @Test func aiWorkMovesBecauseItsOriginHasNoAIPool() throws {
        let scenario = try Self.fixture(Self.eastWestNodes + """
            [[classes]]
            id = "train"
            pool = "ai"
            movable = true
            """, periods: 1, [
                "demand_train": [("east", [40])], "carbon_intensity": [("east", [800]), ("west", [500])],
                "renewable_mw": [("east", [0]), ("west", [0])], "temperature_c": [("east", [10]), ("west", [10])],
            ]).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 200))
        #expect(plan.summary.unservedCUh == 0)
        #expect(plan.placements.count == 1 && plan.placements[0].pool == "ai" && plan.placements[0].node == "west")
        #expect(isClose(plan.summary.baselineUnservedCUh, 40) && plan.summary.baselineCarbonKg == 0)
        let west = plan.nodes[1].periods[0]
        #expect(west.pools?.map(\.type) == ["general", "ai"] && isClose(west.pools![1].workCUh, 40))
        #expect(isClose(west.pools![1].itMW, 0.4) && west.pools![0].itMW == 0 && isClose(west.itMW, 0.4))
    }

    /// 80 AI CU*h at west, not movable, where the AI pool holds 50: 30 are unserved although the
    /// general pool is empty (work does not spill across pools). 50 x 0.01 x 500 = 250 kg. One
    /// more AI CU*h would serve 1 CU*h of unserved work (penalty 10000) for 0.01 x 500 = 5 kg.
    @Test func aFullAIPoolDoesNotSpillIntoTheGeneralPool() throws {
        let scenario = try Self.fixture(Self.eastWestNodes + """
            [[classes]]
            id = "train"
            pool = "ai"
            """, periods: 1, [
                "demand_train": [("west", [80])], "carbon_intensity": [("east", [800]), ("west", [500])],
                "renewable_mw": [("east", [0]), ("west", [0])], "temperature_c": [("east", [10]), ("west", [10])],
            ]).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 250) && isClose(plan.summary.unservedCUh, 30))
        let pools = plan.nodes[1].periods[0].pools!
        #expect(pools[0].workCUh == 0 && isClose(pools[1].workCUh, 50))
        #expect(isClose(pools[1].marginalCarbonKgPerCUh, 10_000 - 5) && pools[0].marginalCarbonKgPerCUh == 0)
    }

    /// One node, two pools: general idle 1 MW + 0.001 MW/CU x 1000 CU = 2 MW; AI idle 2 MW +
    /// 0.01 x 100 = 3 MW. IT 5 MW at PUE 1.2 is 6 MW, an hour at 600 kg/MWh: 3600 kg.
    @Test func itPowerAddsTheNodesPools() throws {
        var fixture = Self.fixture("""
            [[nodes]]
            id = "n"
            cooling_model = "pue12"
            [[nodes.pools]]
            type = "general"
            capacity_cu = 2000
            idle_it_mw = 1
            it_mw_per_cu = 0.001
            [[nodes.pools]]
            type = "ai"
            capacity_cu = 200
            idle_it_mw = 2
            it_mw_per_cu = 0.01

            [[classes]]
            id = "web"
            [[classes]]
            id = "train"
            pool = "ai"
            """, periods: 1, [
                "demand_web": [("n", [1000])], "demand_train": [("n", [100])], "carbon_intensity": [("n", [600])],
                "renewable_mw": [("n", [0])], "temperature_c": [("n", [10])],
            ])
        fixture.files["cooling/pue12.toml"] = F.flat(1.2)
        let plan = try solveAndVerify(try fixture.load())
        let p = plan.nodes[0].periods[0]
        #expect(isClose(p.itMW, 5) && isClose(p.facilityMW, 6) && isClose(plan.summary.carbonKg, 3600))
        #expect(isClose(p.pools![0].itMW, 2) && isClose(p.pools![1].itMW, 3))
        #expect(Set(plan.placements.map { "\($0.classID):\($0.pool)" }) == ["web:general", "train:ai"])
    }

    // MARK: Backlog and battery from state.json

    static let oneNode = """
        [[nodes]]
        id = "n"
        capacity_cu = 10000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        cooling_model = "flat"

        [[classes]]
        id = "batch"
        deadline_hours = 3
        movable = true

        """

    static func state(at: String = "2026-11-27T00:00:00+08:00", backlog: String = "", batteries: String = "") -> String {
        "{\"schema\": \"greenshift.state/1\", \"at\": \"\(at)\", \"backlog\": [\(backlog)], \"batteries\": [\(batteries)]}"
    }

    /// Backlog due at 01:00 may run only in period 0 (K_b = 1 - 1 = 0): 100 CU*h x 0.001 MW at
    /// 800 kg/MWh = 80 kg, although period 1 is clean. The same work arriving in period 0 would
    /// wait for period 1 and emit nothing, as the 100 CU*h of demand do.
    @Test func backlogDueAtTheEndOfPeriodZeroRunsInPeriodZero() throws {
        let scenario = try Self.fixture(Self.oneNode, periods: 2, [
            "demand_batch": [("n", [100, 0])], "carbon_intensity": [("n", [800, 0])],
            "renewable_mw": [("n", [0, 0])], "temperature_c": [("n", [10, 10])],
        ], state: Self.state(backlog: "{\"class\": \"batch\", \"origin\": \"n\", \"due\": \"2026-11-27T01:00:00+08:00\", \"cu_h\": 100}")).load()
        #expect(scenario.backlog.count == 1 && scenario.backlog[0].lastPeriod == 0)
        let (plan, state) = try Self.solveAndVerifyWithState(scenario)
        #expect(isClose(plan.summary.carbonKg, 80))
        #expect(plan.summary.backlogInCUh == 100 && plan.summary.backlogOutCUh == 0 && state.backlog.isEmpty)
        #expect(isClose(plan.placements.first { $0.period == 0 }?.cuH ?? 0, 100))
        // The baseline runs backlog in period 0 too (K_b = 0), and the demand on arrival: 160 kg.
        #expect(isClose(plan.summary.baselineCarbonKg, 160))
    }

    /// Backlog due at 02:00 in a 4-period horizon may run in periods 0-1 only: the cleaner of
    /// them, period 1 at 400 kg/MWh, gives 100 x 0.001 x 400 = 40 kg; periods 2 and 3 (0 kg)
    /// are out of its window although the class's deadline would reach them.
    @Test func backlogWindowEndsBeforeTheHorizon() throws {
        let scenario = try Self.fixture(Self.oneNode, periods: 4, [
            "demand_batch": [("n", [0, 0, 0, 0])], "carbon_intensity": [("n", [500, 400, 0, 0])],
            "renewable_mw": [("n", [0, 0, 0, 0])], "temperature_c": [("n", [10, 10, 10, 10])],
        ], state: Self.state(backlog: "{\"class\": \"batch\", \"origin\": \"n\", \"due\": \"2026-11-27T02:00:00+08:00\", \"cu_h\": 100}")).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 40))
        #expect(plan.placements.count == 1 && plan.placements[0].period == 1)
    }

    /// Backlog that cannot run (no capacity) is unserved with period null and its due.
    @Test func unservedBacklogNamesItsDue() throws {
        let toml = Self.oneNode.replacingOccurrences(of: "capacity_cu = 10000", with: "capacity_cu = 30")
        let scenario = try Self.fixture(toml, periods: 2, [
            "demand_batch": [("n", [0, 0])], "carbon_intensity": [("n", [800, 0])],
            "renewable_mw": [("n", [0, 0])], "temperature_c": [("n", [10, 10])],
        ], state: Self.state(backlog: "{\"class\": \"batch\", \"origin\": \"n\", \"due\": \"2026-11-27T02:00:00+08:00\", \"cu_h\": 100}")).load()
        let plan = try solveAndVerify(scenario)
        // 30 CU*h in each of the two periods run; 40 are unserved.
        #expect(isClose(plan.summary.unservedCUh, 40))
        #expect(plan.unserved.count == 1 && plan.unserved[0].period == nil)
        #expect(plan.unserved[0].due.flatMap { try? Timestamp(parsing: $0) } == (try Timestamp(parsing: "2026-11-27T02:00:00+08:00")))
        let json = plan.json().rendered()
        #expect(json.contains("\"period\": null"))
    }

    /// Idle 1 MW for two hours at 500 kg/MWh, a lossless battery of 10 MWh that must end at 5 MWh
    /// (initial_soc 0.5). From the state's 6 MWh it can give 1 MWh: grid 1 MWh, 500 kg (1000
    /// without the state).
    @Test func batteryStartsFromTheState() throws {
        let toml = """
            [[nodes]]
            id = "n"
            capacity_cu = 0
            idle_it_mw = 1
            it_mw_per_cu = 0
            cooling_model = "flat"
            [nodes.battery]
            energy_mwh = 10
            power_mw = 5
            round_trip_efficiency = 1
            initial_soc = 0.5
            """
        let series: [String: [(String, [Double])]] = [
            "carbon_intensity": [("n", [500, 500])], "renewable_mw": [("n", [0, 0])], "temperature_c": [("n", [10, 10])],
        ]
        let scenario = try Self.fixture(toml, periods: 2, series, state: Self.state(batteries: "{\"node\": \"n\", \"energy_mwh\": 6}")).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 500) && isClose(plan.summary.baselineCarbonKg, 500))
        #expect(isClose(plan.nodes[0].periods[1].batteryEnergyMWh, 5))
        let without = try solveAndVerify(try Self.fixture(toml, periods: 2, series).load())
        #expect(isClose(without.summary.carbonKg, 1000))
    }

    /// No grid: idle 4 MW from a lossless 10 MWh battery and 5 MW of sun in period 1. Starting from
    /// the state's full battery: 10 -> 6 -> 7 MWh, above the 1 MWh (initial_soc 0.1) it must end at,
    /// so the idle check must pass (it started from initial_soc and called it infeasible). From an
    /// empty battery period 0 cannot be powered at all: exit 3, not an LP failure.
    @Test func theIdleCheckStartsTheBatteryFromTheState() throws {
        let toml = """
            [[nodes]]
            id = "solo"
            capacity_cu = 0
            idle_it_mw = 4
            it_mw_per_cu = 0
            cooling_model = "flat"
            grid_import_mw = 0
            [nodes.battery]
            energy_mwh = 10
            power_mw = 5
            round_trip_efficiency = 1
            initial_soc = 0.1
            """
        let series: [String: [(String, [Double])]] = [
            "carbon_intensity": [("solo", [500, 500])], "renewable_mw": [("solo", [0, 5])], "temperature_c": [("solo", [10, 10])],
        ]
        let full = try Self.fixture(toml, periods: 2, series, state: Self.state(batteries: "{\"node\": \"solo\", \"energy_mwh\": 10}")).load()
        let plan = try solveAndVerify(full)
        #expect(plan.summary.carbonKg == 0 && isClose(plan.nodes[0].periods[0].batteryEnergyMWh, 6))
        let empty = try Self.fixture(toml, periods: 2, series, state: Self.state(batteries: "{\"node\": \"solo\", \"energy_mwh\": 0}")).load()
        #expect(throws: InfeasibleError.self) { try Optimizer.optimize(empty) }
        #expect(throws: InfeasibleError.self) { try IdleFeasibility.check(empty) }
    }

    // MARK: The state a run leaves

    /// 3 periods, commit 2, batch arriving in periods 0 and 1 (deadline 3 h, so both may run
    /// until the horizon's end) waits for the clean period 2: the state holds both cohorts, due
    /// at the end of period 2, as one entry; work arriving in period 2 is not in it.
    @Test func stateHoldsTheCommittedCohortsNotRun() throws {
        let toml = Self.header.replacingOccurrences(of: "period_minutes = 60\n", with: "period_minutes = 60\ncommit_periods = 2\n")
        var fixture = Self.fixture(Self.oneNode, periods: 3, [
            "demand_batch": [("n", [100, 50, 25])], "carbon_intensity": [("n", [800, 800, 0])],
            "renewable_mw": [("n", [0, 0, 0])], "temperature_c": [("n", [10, 10, 10])],
        ])
        fixture.files["scenario.toml"] = toml + "periods = 3\n" + Self.oneNode
        let scenario = try fixture.load()
        let (plan, state) = try Self.solveAndVerifyWithState(scenario)
        #expect(plan.summary.carbonKg == 0 && plan.commitPeriods == 2)
        #expect(state.at == "2026-11-27T02:00:00+08:00")
        #expect(state.backlog == [PlanState.BacklogEntry(classID: "batch", origin: "n", due: "2026-11-27T03:00:00+08:00", cuH: 150)])
        #expect(plan.summary.backlogOutCUh == 150)
        // A state that says otherwise fails the check.
        var wrong = state
        wrong.backlog[0].cuH = 100
        #expect(PlanVerifier(scenario: scenario).verify(plan, state: wrong).contains { $0.message.contains("backlog due by the end of period 2") })
    }

    /// The principle of optimality across two chained runs: run 1 plans 48 hours and commits 24;
    /// run 2 plans hours 24-47 from run 1's state.json. Run 1's committed emissions plus run 2's
    /// equal the 48-hour optimum, and run 2 starts with exactly the state's backlog and battery.
    @Test func twoChainedRunsReachTheWholeHorizonsOptimum() throws {
        let T = 48
        func wave(_ t: Int, _ phase: Double) -> Double { sin(Double(t) / 24 * 2 * .pi + phase) }
        let carbon = ["a": (0 ..< T).map { 600 + 300 * wave($0, 0) }, "b": (0 ..< T).map { 500 + 250 * wave($0, 2) }]
        let renewable = ["a": (0 ..< T).map { max(0, 3 * wave($0, 1)) }, "b": (0 ..< T).map { max(0, 4 * wave($0, 3)) }]
        let batch = ["a": (0 ..< T).map { 800 + 300 * wave($0, 0.5) }, "b": (0 ..< T).map { 400 + 200 * wave($0, 1.5) }]
        let web = ["a": (0 ..< T).map { 1500 + 500 * wave($0, 0.2) }, "b": [Double](repeating: 700, count: T)]
        let toml = """
            [[nodes]]
            id = "a"
            capacity_cu = 4000
            idle_it_mw = 0.5
            it_mw_per_cu = 0.001
            cooling_model = "flat"
            [nodes.battery]
            energy_mwh = 4
            power_mw = 1
            round_trip_efficiency = 0.9
            initial_soc = 0.5

            [[nodes]]
            id = "b"
            capacity_cu = 3000
            idle_it_mw = 0.3
            it_mw_per_cu = 0.001
            cooling_model = "flat"

            [[classes]]
            id = "batch"
            deadline_hours = 10
            movable = true
            gb_per_cu_h = 0.1
            [[classes]]
            id = "web"

            [[links]]
            a = "a"
            b = "b"
            latency_ms = 10
            kwh_per_gb = 0.05

            """
        func files(from: Int, count: Int, commit: Int, state: String?) -> F {
            func cols(_ m: [String: [Double]]) -> [(String, [Double])] { ["a", "b"].map { ($0, Array(m[$0]![from ..< from + count])) } }
            let start = try! Timestamp(parsing: "2026-11-27T00:00:00+08:00").adding(minutes: 60 * from).description
            var f = F(files: ["cooling/flat.toml": F.flat(1.0)])
            f.files["scenario.toml"] = "[scenario]\nname = \"chain\"\nstart = \"\(start)\"\nperiod_minutes = 60\nperiods = \(count)\ncommit_periods = \(commit)\n" + toml
            for (name, m) in [("carbon_intensity", carbon), ("renewable_mw", renewable), ("demand_batch", batch), ("demand_web", web)] {
                f.files["timeseries/\(name).csv"] = F.series(cols(m), start: start)
            }
            f.files["timeseries/temperature_c.csv"] = F.series(cols(["a": Array(repeating: 10, count: T), "b": Array(repeating: 10, count: T)]), start: start)
            if let state { f.files["state.json"] = state }
            return f
        }
        let whole = try Self.solveAndVerifyWithState(try files(from: 0, count: T, commit: T, state: nil).load()).plan
        let first = try files(from: 0, count: T, commit: 24, state: nil).load()
        let (plan1, state1) = try Self.solveAndVerifyWithState(first)
        #expect(!state1.backlog.isEmpty, "the case should carry backlog")
        let second = try files(from: 24, count: 24, commit: 24, state: state1.json().rendered()).load()
        #expect(isClose(second.backlog.reduce(0) { $0 + $1.cuH }, state1.backlogCUh))
        #expect(isClose(second.nodes[0].battery!.startEnergyMWh, state1.batteries[0].energyMWh))
        let (plan2, _) = try Self.solveAndVerifyWithState(second)
        #expect(plan1.summary.unservedCUh == 0 && plan2.summary.unservedCUh == 0 && whole.summary.unservedCUh == 0)
        #expect(isClose(plan2.summary.backlogInCUh ?? 0, state1.backlogCUh))
        // Run 1's committed emissions: grid of hours 0-23 and the network energy of the work moved then.
        let committedGrid = plan1.nodes.reduce(0.0) { sum, node in node.periods.prefix(24).reduce(sum) { $0 + $1.carbonKg } }
        let committedNetwork = plan1.placements.filter { $0.period < 24 && $0.node != $0.origin }
            .reduce(0.0) { $0 + carbon[$1.origin]![$1.period] * 0.05 / 1000 * 0.1 * $1.cuH }
        #expect(isClose(committedGrid + committedNetwork + plan2.summary.carbonKg, whole.summary.carbonKg, relative: 1e-6),
                "\(committedGrid + committedNetwork) + \(plan2.summary.carbonKg) vs \(whole.summary.carbonKg)")
    }

    // MARK: Carbon signal

    /// East: average 800, marginal 300 kg/MWh; west: average 500, marginal 900. 1000 CU*h of
    /// batch at east (1 MWh wherever it runs). On the average signal it moves west (500 kg
    /// average, 900 marginal); on the marginal signal it stays (300 marginal, 800 average).
    @Test(arguments: ["average", "marginal"])
    func theSignalDecidesWhereWorkRuns(_ signal: String) throws {
        let toml = Self.eastWestNodes + """
            [objective]
            carbon_signal = "\(signal)"

            [[classes]]
            id = "batch"
            movable = true
            """
        let scenario = try Self.fixture(toml, periods: 1, [
            "demand_batch": [("east", [1000])], "carbon_intensity": [("east", [800]), ("west", [500])],
            "marginal_carbon_intensity": [("east", [300]), ("west", [900])],
            "renewable_mw": [("east", [0]), ("west", [0])], "temperature_c": [("east", [10]), ("west", [10])],
        ]).load()
        let plan = try solveAndVerify(scenario)
        let s = plan.summary
        #expect(plan.carbonSignal == signal)
        if signal == "average" {
            #expect(isClose(s.carbonKg, 500) && isClose(s.averageCarbonKg!, 500) && isClose(s.marginalCarbonKg!, 900))
            #expect(plan.placements.map(\.node) == ["west"])
            #expect(isClose(s.baselineCarbonKg, 800) && isClose(s.baselineMarginalCarbonKg!, 300))
        } else {
            #expect(isClose(s.carbonKg, 300) && isClose(s.marginalCarbonKg!, 300) && isClose(s.averageCarbonKg!, 800))
            #expect(plan.placements.map(\.node) == ["east"])
            #expect(isClose(s.baselineCarbonKg, 300) && isClose(s.baselineAverageCarbonKg!, 800))
        }
    }

    /// A version-1 plan keeps its meaning: no marginal keys without marginal factors.
    @Test func withoutMarginalFactorsThereAreNoMarginalKeys() throws {
        let plan = try solveAndVerify(try F.twoNodes.load())
        #expect(plan.summary.marginalCarbonKg == nil && plan.summary.averageCarbonKg == plan.summary.carbonKg)
        #expect(!plan.json().rendered().contains("marginal_carbon_kg\""))
    }

    static func solveAndVerifyWithState(_ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) throws -> (plan: Plan, state: PlanState) {
        let result = try Optimizer.optimize(scenario)
        let violations = PlanVerifier(scenario: scenario).verify(result.plan, state: result.state)
        #expect(violations.isEmpty, "\(violations)", sourceLocation: sourceLocation)
        return (result.plan, result.state)
    }
}
