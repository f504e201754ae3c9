import Foundation
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
        // So does the settlement ledger, made again from the plan's lines.
        plan.settlement = Plan.Settlement(rows: SettlementLedger.rows(plan: plan, scenario: scenario))
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

    /// The settlement ledger must add up to the plan it settles: a row's emissions changed, a row
    /// removed and a row moved to another host each break a figure the verifier names. The
    /// default, a generated and a pooled plan carry a ledger and pass, also as read back from
    /// plan.json; without a ledger (older plans) a plan still verifies.
    @Test func catchesATamperedSettlementLedger() throws {
        let (scenario, plan) = try ReportTests.solve("Data/scenarios/east-west-hubs")
        let verifier = PlanVerifier(scenario: scenario)
        let settlement = try #require(plan.settlement)
        #expect(settlement.allocation == "proportional_to_energy_drawn")
        let k = try #require(settlement.rows.firstIndex { !$0.classID.isEmpty && $0.origin != $0.node && $0.carbonKg > 0 })
        let row = settlement.rows[k]
        let other = try #require(scenario.nodes.map(\.id).first { $0 != row.node && $0 != row.origin })
        func violations(_ change: (inout [SettlementRow]) -> Void) -> [String] {
            var broken = plan
            change(&broken.settlement!.rows)
            return verifier.verify(broken).map(\.message)
        }
        let at = "settlement: node \(row.node), period \(row.period): "
        let carbon = violations { $0[k].carbonKg += 1000 }
        #expect(carbon.contains { $0.hasPrefix(at + "carbon_kg sums to") }, "\(carbon)")
        #expect(carbon.contains { $0.hasPrefix("settlement: carbon_kg sums to") && $0.contains("the summary's carbon_kg") }, "\(carbon)")
        #expect(carbon.allSatisfy { $0.contains("carbon_kg") }, "\(carbon)")
        let removed = violations { $0.remove(at: k) }
        for figure in ["cu_h", "facility_mwh", "network_mwh", "carbon_kg"] {
            #expect(removed.contains { $0.hasPrefix(at + figure + " sums to") }, "\(figure): \(removed)")
        }
        #expect(removed.contains { $0.hasPrefix("settlement: work from \(row.origin) sums to") }, "\(removed)")
        #expect(removed.contains { $0.hasPrefix("settlement: facility_mwh sums to") && $0.contains("facility_energy_mwh") }, "\(removed)")
        let swapped = violations { $0[k].node = other }
        for node in [row.node, other] {
            #expect(swapped.contains { $0.hasPrefix("settlement: node \(node), period \(row.period): facility_mwh sums to") }, "\(node): \(swapped)")
        }
        var without = plan
        without.settlement = nil
        #expect(verifier.verify(without).isEmpty)
    }

    @Test func theLedgerOfDefaultGeneratedAndPooledPlansVerifiesAsWrittenAndRead() throws {
        let cases = [try ReportTests.solve("Data/scenarios/east-west-hubs").0, try GeneratedScenarioTests.scenario(seed: 3),
                     try GeneratedScenarioTests.scenario(seed: 5, pools: ["general", "ai", "hpc"])]
        for scenario in cases {
            let plan = try Optimizer.optimize(scenario).plan
            let rows = try #require(plan.settlement?.rows)
            #expect(rows.count == plan.placements.count + scenario.nodes.count * scenario.periodCount)
            #expect(rows == SettlementLedger.rows(plan: plan, scenario: scenario))
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-settle-\(UUID().uuidString).json").path
            defer { try? FileManager.default.removeItem(atPath: path) }
            try plan.json().rendered().write(toFile: path, atomically: true, encoding: .utf8)
            let read = try Plan.read(from: path, for: scenario)
            #expect(read.settlement?.rows.count == rows.count && read.settlement?.allocation == plan.settlement?.allocation)
            #expect(PlanVerifier(scenario: scenario).verify(read).isEmpty, "\(scenario.name)")
        }
    }

    /// plan.json's settlement rows are read like the rest of it: a figure of the wrong type or a
    /// missing key is bad input naming its key.
    @Test func aBadSettlementRowNamesItsKey() throws {
        let plan = try solveAndVerify(scenario)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-settle-\(UUID().uuidString).json").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        let cases: [(String, (inout [String: Any]) -> Void)] = [
            ("wrong type at settlement.rows[1].carbon_kg", { $0["carbon_kg"] = "none" }),
            ("'grid_mwh' missing at settlement.rows[1]", { $0["grid_mwh"] = nil }),
            ("wrong type at settlement.rows[1].node", { $0["node"] = 7 }),
        ]
        for (message, change) in cases {
            var json = try JSONSerialization.jsonObject(with: Data(plan.json().rendered().utf8)) as! [String: Any]
            var settlement = json["settlement"] as! [String: Any]
            var rows = settlement["rows"] as! [[String: Any]]
            change(&rows[1])
            settlement["rows"] = rows
            json["settlement"] = settlement
            try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: InputError.self) { try Plan.read(from: path) }
            #expect(error?.diagnostics.first?.message == "not a greenshift plan: " + message, "\(error?.diagnostics.first?.message ?? "")")
        }
    }
}
