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
}
