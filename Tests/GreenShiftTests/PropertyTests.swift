import Testing
@testable import GreenShift

/// Properties any correct optimizer has, checked on the shipped default scenario: relaxing a
/// constraint never raises the optimum, tightening never lowers it, and no plan is worse than
/// not shifting at all.
@Suite(.serialized) struct PropertyTests {
    static let scenario = try! ScenarioLoader(directory: ScenarioFixture.defaultScenario,
                                              coolingLibrary: ScenarioFixture.coolingLibrary).load()

    func optimum(_ s: Scenario) throws -> Double { objective(try solveAndVerify(s), s) }

    @Test func shippedScenarioSolvesAndBeatsItsBaseline() throws {
        let plan = try solveAndVerify(Self.scenario)
        #expect(plan.summary.carbonKg < plan.summary.baselineCarbonKg)
        #expect(plan.summary.unservedCUh == 0)
        #expect(plan.nodes.count == 10 && plan.periods == 24)
    }

    @Test func capacityRelaxedNeverRaisesTightenedNeverLowers() throws {
        let base = try optimum(Self.scenario)
        for n in [0, 6] {
            var relaxed = Self.scenario
            relaxed.nodes[n].pools[0].capacityCU *= 1.2
            #expect(try optimum(relaxed) <= base * (1 + 1e-7))
            var tightened = Self.scenario
            tightened.nodes[n].pools[0].capacityCU *= 0.6
            #expect(try optimum(tightened) >= base * (1 - 1e-7))
        }
    }

    @Test func longerDeadlinesNeverRaiseTheOptimum() throws {
        let base = try optimum(Self.scenario)
        var relaxed = Self.scenario
        for w in relaxed.classes.indices { relaxed.classes[w].deadlineHours += 3 }
        #expect(try optimum(relaxed) <= base * (1 + 1e-7))
        var tightened = Self.scenario
        for w in tightened.classes.indices { tightened.classes[w].deadlineHours /= 3 }
        #expect(try optimum(tightened) >= base * (1 - 1e-7))
    }

    @Test func moreBandwidthNeverRaisesLessNeverLowers() throws {
        let base = try optimum(Self.scenario)
        var relaxed = Self.scenario, tightened = Self.scenario
        for l in Self.scenario.links.indices {
            relaxed.links[l].bandwidthGbps = relaxed.links[l].bandwidthGbps.map { $0 * 4 }
            tightened.links[l].bandwidthGbps = 1
        }
        #expect(try optimum(relaxed) <= base * (1 + 1e-7))
        #expect(try optimum(tightened) >= base * (1 - 1e-7))
    }

    @Test func moreDemandNeverLowersTheOptimum() throws {
        let base = try optimum(Self.scenario)
        var more = Self.scenario
        more.demandCUh[0] = more.demandCUh[0].map { $0.map { $0 * 1.1 } }
        #expect(try optimum(more) >= base * (1 - 1e-7))
    }

    /// Without shifting options (nothing movable, no deadlines) the plan is the baseline.
    @Test func withoutFlexibilityThePlanIsTheBaseline() throws {
        var rigid = Self.scenario
        for w in rigid.classes.indices {
            rigid.classes[w].movable = false
            rigid.classes[w].deadlineHours = 0
        }
        let plan = try solveAndVerify(rigid)
        #expect(isClose(plan.summary.carbonKg, plan.summary.baselineCarbonKg))
        #expect(plan.summary.movedCUh == 0)
    }

    /// Overloaded nodes leave work unserved; the plan never serves less than the baseline.
    @Test func scarceCapacityIsReportedAsUnservedNotInfeasible() throws {
        var scarce = Self.scenario
        for n in scarce.nodes.indices { scarce.nodes[n].pools[0].capacityCU *= 0.3 }
        let plan = try solveAndVerify(scarce)
        #expect(plan.summary.unservedCUh > 0)
        #expect(plan.summary.unservedCUh <= plan.summary.baselineUnservedCUh + 1e-6)
        #expect(objective(plan, scarce) <= plan.summary.baselineCarbonKg
                + scarce.unservedPenaltyKgPerCUh * plan.summary.baselineUnservedCUh)
        // Where capacity binds and work is dropped, capacity is worth about the penalty.
        let marginal = plan.nodes.flatMap(\.periods).flatMap { $0.pools ?? [] }.map(\.marginalCarbonKgPerCUh)
        #expect(marginal.max()! > 0.9 * scarce.unservedPenaltyKgPerCUh)
    }
}
