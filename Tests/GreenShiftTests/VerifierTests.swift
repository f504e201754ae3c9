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
        // Batch run after its deadline.
        #expect(try violations { p in
            let k = p.placements.firstIndex { $0.classID == "batch" }!
            p.placements[k].period = 2
            p.placements[k].start = "2026-11-27T02:00:00+08:00"
            p.placements.append(Plan.Placement(period: 2, start: "2026-11-27T02:00:00+08:00", classID: "batch",
                                               origin: "east", node: "east", cuH: 0))
        }.isEmpty == false)
        // Power that does not balance, and emissions misreported.
        #expect(try violations { $0.nodes[0].periods[0].gridMW = 0 }.contains { $0.contains("constraint 6") })
        #expect(try violations { $0.summary.carbonKg -= 100 }.contains { $0.contains("carbon_kg") })
        #expect(try violations { $0.nodes[1].periods[1].renewableUsedMW = 5 }.contains { $0.contains("renewables") })
        // Capacity exceeded.
        #expect(try violations { p in
            for k in p.placements.indices where p.placements[k].classID == "batch" { p.placements[k].cuH = 3000 }
        }.contains { $0.contains("constraint 4") })
    }
}
