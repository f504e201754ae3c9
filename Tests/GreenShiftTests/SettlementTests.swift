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
}
