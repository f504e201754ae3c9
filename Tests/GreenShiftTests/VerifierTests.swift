import Testing
@testable import GreenShift

/// The verifier must catch a broken plan, or it proves nothing when plans pass.
@Suite struct VerifierTests {
    let scenario = try! ScenarioFixture.twoNodes.load()

    func plan() throws -> Plan { try Optimizer.optimize(scenario).plan }

    func violations(_ change: (inout Plan) -> Void) throws -> [String] {
        var p = try plan()
        change(&p)
        return PlanVerifier(scenario: scenario).verify(p).map(\.message)
    }

    @Test func catchesEachKindOfBreak() throws {
        #expect(try violations { _ in }.isEmpty)
        // Work run twice: more than arrived.
        #expect(try violations { $0.placements.append($0.placements[0]) }.contains { $0.contains("constraint 1") || $0.contains("work_cu_h") })
        // Work dropped silently.
        #expect(try violations { $0.placements.removeAll { $0.classID == "batch" } }.contains { $0.contains("constraint 3") })
        // Web moved although it is not movable.
        #expect(try violations { p in
            if let k = p.placements.firstIndex(where: { $0.classID == "web" }) { p.placements[k].node = "west" }
        }.contains { $0.contains("not movable") })
        // Power that does not balance, and emissions misreported.
        #expect(try violations { $0.nodes[0].periods[0].gridMW = 0 }.contains { $0.contains("constraint 6") })
        #expect(try violations { $0.summary.carbonKg -= 100 }.contains { $0.contains("carbon_kg") })
        #expect(try violations { $0.nodes[1].periods[1].renewableUsedMW = 5 }.contains { $0.contains("renewables") })
        // Capacity exceeded.
        #expect(try violations { p in
            for k in p.placements.indices where p.placements[k].classID == "batch" { p.placements[k].cuH = 3000 }
        }.contains { $0.contains("constraint 4") })
    }

    /// Batch arriving in period 0 with a 1-hour deadline must run by period 1; the plan runs it
    /// in period 2, one period late, at the same node, so node totals stay what the verifier
    /// recomputes and only the deadline can catch it.
    @Test func catchesABatchRunAfterItsDeadline() throws {
        var fixture = ScenarioFixture.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!.replacingOccurrences(of: "deadline_hours = 2.0", with: "deadline_hours = 1.0")
        let scenario = try fixture.load()
        var plan = try Optimizer.optimize(scenario).plan
        let k = try #require(plan.placements.firstIndex { $0.classID == "batch" })
        #expect(plan.placements[k].period == 1 && plan.placements[k].node == "west" && abs(plan.placements[k].cuH - 1000) < 1e-6)
        #expect(PlanVerifier(scenario: scenario).verify(plan).isEmpty)
        plan.placements[k].period = 2
        plan.placements[k].start = "2026-11-27T02:00:00+08:00"
        // West's node periods follow the work, so only the deadline is broken.
        let west = try #require(plan.nodes.firstIndex { $0.id == "west" })
        plan.nodes[west].periods.swapAt(1, 2)
        plan.nodes[west].periods[1].period = 1
        plan.nodes[west].periods[2].period = 2
        let found = PlanVerifier(scenario: scenario).verify(plan).map(\.message)
        #expect(found == ["class 'batch' from east: by period 1, 1000.0 CU*h were due but 0.0 ran (constraint 2)"])
    }

    /// Every summary figure of plan.md, misreported one at a time, is named by the verifier. The
    /// scenario gives each figure something to recompute: prices (cost), marginal factors (both
    /// signals), a link with network energy, 100 CU*h of backlog from the state (backlog in) and
    /// commit_periods = 2 with the batch waiting for west's sun in period 2 (backlog out). A figure added to
    /// plan.md without a line here fails the completeness check below.
    @Test func catchesEachMisreportedSummaryFigure() throws {
        var fixture = ScenarioFixture.twoNodes
        var toml = fixture.files["scenario.toml"]!
        toml = toml.replacingOccurrences(of: "periods = 3\n", with: "periods = 3\ncommit_periods = 2\n")
        toml = toml.replacingOccurrences(of: "latency_ms = 30.0\n", with: "latency_ms = 30.0\nkwh_per_gb = 0.5\n")
        toml = toml.replacingOccurrences(of: "deadline_hours = 2.0\n", with: "deadline_hours = 2.0\ngb_per_cu_h = 0.1\n")
        fixture.files["scenario.toml"] = toml
        fixture.files["timeseries/demand_batch.csv"] = ScenarioFixture.series([("east", [1000, 300, 0])])
        fixture.files["timeseries/renewable_mw.csv"] = ScenarioFixture.series([("east", [0, 0, 0]), ("west", [0, 0, 2])])
        fixture.files["timeseries/price.csv"] = ScenarioFixture.series([("east", [300, 300, 300]), ("west", [400, 400, 400])])
        fixture.files["timeseries/marginal_carbon_intensity.csv"] = ScenarioFixture.series([("east", [900, 900, 900]), ("west", [700, 700, 700])])
        fixture.files["state.json"] = """
            {"schema": "greenshift.state/1", "at": "2026-11-27T00:00:00+08:00", "batteries": [],
             "backlog": [{"class": "batch", "origin": "east", "due": "2026-11-27T02:00:00+08:00", "cu_h": 100}]}
            """
        let scenario = try fixture.load()
        let plan = try Optimizer.optimize(scenario).plan
        let verifier = PlanVerifier(scenario: scenario)
        #expect(verifier.verify(plan).isEmpty)
        let s = plan.summary
        #expect(s.networkCarbonKg > 0 && s.cost != nil && s.marginalCarbonKg != nil && s.backlogInCUh == 100 && (s.backlogOutCUh ?? 0) > 0)

        let figures: [(String, WritableKeyPath<Plan.Summary, Double>)] = [
            ("carbon_kg", \.carbonKg), ("grid_carbon_kg", \.gridCarbonKg), ("network_carbon_kg", \.networkCarbonKg),
            ("baseline_carbon_kg", \.baselineCarbonKg), ("reduction_percent", \.reductionPercent),
            ("facility_energy_mwh", \.facilityEnergyMWh), ("grid_energy_mwh", \.gridEnergyMWh),
            ("network_energy_mwh", \.networkEnergyMWh), ("renewable_used_mwh", \.renewableUsedMWh),
            ("renewable_curtailed_mwh", \.renewableCurtailedMWh), ("work_cu_h", \.workCUh), ("moved_cu_h", \.movedCUh),
            ("unserved_cu_h", \.unservedCUh), ("baseline_unserved_cu_h", \.baselineUnservedCUh),
        ]
        // baseline_marginal_carbon_kg cannot be recomputed (the baseline is stored per period, not
        // per node and period), so only its absence is caught.
        let optionalFigures: [(String, WritableKeyPath<Plan.Summary, Double?>, recomputable: Bool)] = [
            ("backlog_in_cu_h", \.backlogInCUh, true), ("backlog_out_cu_h", \.backlogOutCUh, true), ("cost", \.cost, true),
            ("average_carbon_kg", \.averageCarbonKg, true), ("marginal_carbon_kg", \.marginalCarbonKg, true),
            ("baseline_average_carbon_kg", \.baselineAverageCarbonKg, true), ("baseline_marginal_carbon_kg", \.baselineMarginalCarbonKg, false),
        ]
        #expect(Set(figures.map(\.0) + optionalFigures.map(\.0)) == Set(Plan.Summary.CodingKeys.allCases.map(\.rawValue)))

        func named(_ key: String, _ tamper: (inout Plan.Summary) -> Void) -> Bool {
            var broken = plan
            tamper(&broken.summary)
            return verifier.verify(broken).contains { $0.message.contains("summary \(key) ") }
        }
        func misreported(_ x: Double) -> Double { x == 0 ? 1 : x * 1.1 }
        for (key, path) in figures {
            #expect(named(key) { $0[keyPath: path] = misreported($0[keyPath: path]) }, "\(key) misreported")
            #expect(named(key) { $0[keyPath: path] = .nan }, "\(key) NaN")
        }
        for (key, path, recomputable) in optionalFigures {
            if recomputable { #expect(named(key) { $0[keyPath: path] = misreported($0[keyPath: path]!) }, "\(key) misreported") }
            #expect(named(key) { $0[keyPath: path] = nil }, "\(key) missing")
        }
    }
}
