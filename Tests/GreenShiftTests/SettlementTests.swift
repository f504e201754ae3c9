import Testing
@testable import GreenShift

/// The settlement ledger conserves: summed over its rows, every figure is the plan's total.
@Suite(.serialized) struct SettlementTests {
    static func checkConservation(_ plan: Plan, _ scenario: Scenario, sourceLocation: SourceLocation = #_sourceLocation) {
        let rows = SettlementLedger.rows(plan: plan, scenario: scenario)
        let s = plan.summary, D = plan.periodHours
        func sum(_ f: (SettlementRow) -> Double) -> Double { rows.reduce(0) { $0 + f($1) } }
        func nodes(_ f: (Plan.NodePeriod) -> Double) -> Double { plan.nodes.reduce(0) { $1.periods.reduce($0) { $0 + f($1) } } }
        func close(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-9 * max(1, abs(a), abs(b)) }
        let pairs: [(String, Double, Double)] = [
            ("cu_h", sum(\.cuH), s.workCUh), ("it_mwh", sum(\.itMWh), nodes(\.itMW) * D),
            ("facility_mwh", sum(\.facilityMWh), s.facilityEnergyMWh), ("network_mwh", sum(\.networkMWh), s.networkEnergyMWh),
            ("renewable_mwh", sum(\.renewableMWh), s.renewableUsedMWh), ("grid_mwh", sum(\.gridMWh), s.gridEnergyMWh),
            ("battery_mwh", sum(\.batteryMWh), nodes(\.batteryDischargeMW) * D), ("carbon_kg", sum(\.carbonKg), s.carbonKg),
            ("average_carbon_kg", sum(\.averageCarbonKg), s.averageCarbonKg ?? .nan),
        ]
        for (name, ledger, plan) in pairs {
            #expect(close(ledger, plan), "\(name): ledger \(ledger), plan \(plan)", sourceLocation: sourceLocation)
        }
        // Each row's sources cover the energy it draws (facility, plus charging on the host's row).
        for (n, schedule) in plan.nodes.enumerated() {
            for p in schedule.periods {
                let own = rows.first { $0.node == schedule.id && $0.period == p.period && $0.classID.isEmpty }
                #expect(own != nil && close(own!.itMWh, scenario.nodes[n].idleITMW * D), sourceLocation: sourceLocation)
            }
        }
        #expect(rows.filter { !$0.classID.isEmpty }.count == plan.placements.count, sourceLocation: sourceLocation)
    }

    @Test func conservesOnTheDefaultScenario() throws {
        let (scenario, plan) = try ReportTests.solve("Data/scenarios/east-west-hubs")
        Self.checkConservation(plan, scenario)
    }

    @Test(arguments: [UInt64(3), 11])
    func conservesOnGeneratedScenarios(seed: UInt64) throws {
        let scenario = try GeneratedScenarioTests.scenario(seed: seed)
        Self.checkConservation(try Optimizer.optimize(scenario).plan, scenario)
    }

    @Test func conservesOnAPooledGeneratedScenario() throws {
        let scenario = try GeneratedScenarioTests.scenario(seed: 5, pools: ["general", "ai", "hpc"])
        Self.checkConservation(try Optimizer.optimize(scenario).plan, scenario)
    }

    @Test func csvHeaderIsExact() throws {
        let (scenario, plan) = try ReportTests.solve("Tests/GreenShiftTests/Fixtures/report-two-nodes")
        let csv = SettlementLedger.csv(SettlementLedger.rows(plan: plan, scenario: scenario), marginal: false)
        #expect(csv.split(separator: "\n").first == "period,start,origin,node,class,pool,cu_h,it_mwh,facility_mwh,network_mwh,renewable_mwh,battery_mwh,grid_mwh,carbon_kg,average_carbon_kg")
    }

    /// east (1000 kg/MWh) gets 1000 CU*h of batch in hour 1, due then, at 1 kW per CU and 1 GB per
    /// CU*h over a 0.06 kWh/GB link. west (100 then 500 kg/MWh, 0.5 MW idle, PUE 1) has a battery
    /// (81 % round trip, empty at start and end): it charges 1.5 / 0.81 = 1.85185 MWh in hour 0 and
    /// covers hour 1's 1.5 MWh (idle 0.5 + the moved work 1) from it, so the work moves (123 kg per
    /// MWh delivered against east's 1000). Emissions: west's hour 0 grid 2.35185 MWh x 100 =
    /// 235.185 kg, on the host's row (idle and charging), plus the move's 0.06 MWh at east's 1000
    /// kg/MWh = 60 kg, on the moved row, whose 1 MWh comes from the battery.
    @Test func handComputedTwoNodesWithABatteryAndAMovedJob() throws {
        typealias F = ScenarioFixture
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "settle"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 2
                [[nodes]]
                id = "east"
                capacity_cu = 5000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[nodes]]
                id = "west"
                capacity_cu = 5000
                idle_it_mw = 0.5
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [nodes.battery]
                energy_mwh = 10
                power_mw = 5
                round_trip_efficiency = 0.81
                initial_soc = 0
                [[links]]
                a = "east"
                b = "west"
                latency_ms = 20
                kwh_per_gb = 0.06
                [[classes]]
                id = "batch"
                deadline_hours = 0
                movable = true
                gb_per_cu_h = 1
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("east", [1000, 1000]), ("west", [100, 500])]),
            "timeseries/renewable_mw.csv": F.series([("east", [0, 0]), ("west", [0, 0])]),
            "timeseries/temperature_c.csv": F.series([("east", [0, 0]), ("west", [0, 0])]),
            "timeseries/demand_batch.csv": F.series([("east", [0, 1000])]),
        ]).load()
        let plan = try solveAndVerify(scenario)
        let charged = 1.5 / 0.81
        #expect(isClose(plan.summary.carbonKg, 100 * (0.5 + charged) + 60))
        let rows = SettlementLedger.rows(plan: plan, scenario: scenario)
        #expect(rows.map { "\($0.period) \($0.origin) \($0.node) \($0.classID)" }
                == ["0 east east ", "0 west west ", "1 east east ", "1 west west ", "1 east west batch"])
        func expectRow(_ k: Int, cuH: Double, it: Double, network: Double, battery: Double, grid: Double, kg: Double,
                       sourceLocation: SourceLocation = #_sourceLocation) {
            let r = rows[k]
            let got = [r.cuH, r.itMWh, r.facilityMWh, r.networkMWh, r.renewableMWh, r.batteryMWh, r.gridMWh, r.carbonKg, r.averageCarbonKg]
            let want = [cuH, it, it, network, 0, battery, grid, kg, kg]
            #expect(zip(got, want).allSatisfy { isClose($0, $1, relative: 1e-6) || abs($0 - $1) < 1e-9 }, "row \(k): \(got), expected \(want)",
                    sourceLocation: sourceLocation)
        }
        expectRow(0, cuH: 0, it: 0, network: 0, battery: 0, grid: 0, kg: 0)
        expectRow(1, cuH: 0, it: 0.5, network: 0, battery: 0, grid: 0.5 + charged, kg: 100 * (0.5 + charged))
        expectRow(2, cuH: 0, it: 0, network: 0, battery: 0, grid: 0, kg: 0)
        expectRow(4, cuH: 1000, it: 1, network: 0.06, battery: 1, grid: 0, kg: 60)
        expectRow(3, cuH: 0, it: 0.5, network: 0, battery: 0.5, grid: 0, kg: 0)
    }

    /// 1 MWh of movable batch (1000 CU*h at 1 kW per CU, no network energy) arrives at east in the
    /// one hour. Average factors: east 500, west 600 kg/MWh, so the average signal keeps it at
    /// east (500 kg; 900 marginal). Marginal factors: east 900, west 300, so the marginal signal
    /// moves it to west (300 kg marginal; 600 average). The baseline runs it at east: 500 / 900.
    @Test(arguments: [CarbonSignal.average, .marginal])
    func theMarginalSignalMovesWorkTheAverageKeeps(signal: CarbonSignal) throws {
        typealias F = ScenarioFixture
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "signals"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 1
                [objective]
                carbon_signal = "\(signal.rawValue)"
                [[nodes]]
                id = "east"
                capacity_cu = 5000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[nodes]]
                id = "west"
                capacity_cu = 5000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[links]]
                a = "east"
                b = "west"
                latency_ms = 20
                [[classes]]
                id = "batch"
                movable = true
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("east", [500]), ("west", [600])]),
            "timeseries/marginal_carbon_intensity.csv": F.series([("east", [900]), ("west", [300])]),
            "timeseries/renewable_mw.csv": F.series([("east", [0]), ("west", [0])]),
            "timeseries/temperature_c.csv": F.series([("east", [0]), ("west", [0])]),
            "timeseries/demand_batch.csv": F.series([("east", [1000])]),
        ]).load()
        let plan = try solveAndVerify(scenario)
        let s = plan.summary
        let (average, marginal, host) = signal == .average ? (500.0, 900.0, "east") : (600.0, 300.0, "west")
        #expect(plan.carbonSignal == signal.rawValue)
        #expect(plan.placements.map(\.node) == [host])
        #expect(isClose(s.carbonKg, signal == .average ? average : marginal))
        #expect(isClose(s.averageCarbonKg ?? .nan, average) && isClose(s.marginalCarbonKg ?? .nan, marginal))
        #expect(isClose(s.baselineAverageCarbonKg ?? .nan, 500) && isClose(s.baselineMarginalCarbonKg ?? .nan, 900))
        #expect(isClose(s.baselineCarbonKg, signal == .average ? 500 : 900))
        // The ledger carries both signals.
        let rows = SettlementLedger.rows(plan: plan, scenario: scenario)
        #expect(isClose(rows.reduce(0) { $0 + $1.averageCarbonKg }, average))
        #expect(isClose(rows.reduce(0) { $0 + ($1.marginalCarbonKg ?? .nan) }, marginal))
        #expect(SettlementLedger.csv(rows, marginal: true).hasPrefix(SettlementLedger.columns + ",average_carbon_kg,marginal_carbon_kg\n"))
    }

    /// The report's per-class table carries each class's emissions and facility energy as the ledger sums them.
    @Test func reportClassSectionEqualsTheLedger() throws {
        let (scenario, plan) = try ReportTests.solve("Data/scenarios/east-west-hubs")
        let html = Report.html(plan: plan, scenario: scenario)
        let rows = SettlementLedger.rows(plan: plan, scenario: scenario)
        for id in scenario.classes.map(\.id) + [""] {
            let mine = rows.filter { $0.classID == id }
            let kg = mine.reduce(0) { $0 + $1.carbonKg }, mwh = mine.reduce(0) { $0 + $1.facilityMWh }
            #expect(html.contains("<tr data-class=\"\(id)\" data-carbon-kg=\"\(JSON.format(kg))\" data-facility-mwh=\"\(JSON.format(mwh))\">"), "class '\(id)'")
        }
        // The rows of the table add up to the plan's emissions.
        #expect(isClose(rows.reduce(0) { $0 + $1.carbonKg }, plan.summary.carbonKg))
    }
}
