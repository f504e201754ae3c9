import Foundation
import Testing
@testable import GreenShift

@Suite struct CapacityCurveTests {
    typealias R = SchedulerPlans.Row

    /// 30-minute periods: max_cu is twice the CU*h. Two origins' batch work at west in period 1 adds up.
    @Test func capacityIsPlacementsSummedPerNodePoolClassAndPeriodOverPeriodHours() throws {
        let plan = try SchedulerPlans.plan(periodMinutes: 30, [
            R(0, "web", nil, "east", "east", 250),
            R(1, "batch", "general", "east", "west", 300), R(1, "batch", "general", "west", "west", 100),
            R(1, "batch", "gpu", "east", "west", 40), R(1, "batch", nil, "east", "east", 60),
        ])
        #expect(plan.capacityCSV() == """
            period,start,node,pool,class,max_cu
            0,2026-11-27T00:00:00+08:00,east,general,web,500
            1,2026-11-27T00:30:00+08:00,east,general,batch,120
            1,2026-11-27T00:30:00+08:00,west,general,batch,800
            1,2026-11-27T00:30:00+08:00,west,gpu,batch,80

            """)
    }

    @Test func routingWeightsAreSharesOfEachOriginsWork() throws {
        let plan = try SchedulerPlans.plan([
            R(1, "batch", nil, "east", "east", 250), R(1, "batch", "general", "east", "west", 500),
            R(1, "batch", "gpu", "east", "west", 250), R(1, "batch", nil, "west", "west", 100),
        ])
        #expect(plan.routingCSV() == """
            period,start,class,origin,node,weight
            1,2026-11-27T01:00:00+08:00,batch,east,east,0.25
            1,2026-11-27T01:00:00+08:00,batch,east,west,0.75
            1,2026-11-27T01:00:00+08:00,batch,west,west,1

            """)
    }

    /// On a solved scenario: capacity x period hours summed gives back every node's work, and the
    /// routing weights times each lane's work give back every placement.
    @Test func curvesAndWeightsReproduceASolvedPlan() throws {
        let scenario = try ScenarioLoader(directory: ScenarioFixture.defaultScenario, coolingLibrary: ScenarioFixture.coolingLibrary).load()
        let plan = try Optimizer.optimize(scenario).plan
        for node in plan.nodes {
            for period in node.periods {
                let fromCurves = plan.capacityCurves.filter { $0.node == node.id && $0.period == period.period }
                    .reduce(0) { $0 + $1.maxCU * plan.periodHours }
                #expect(isClose(fromCurves, period.workCUh, relative: 1e-9), "\(node.id) \(period.period)")
            }
        }
        var laneTotal: [String: Double] = [:]
        for p in plan.placements { laneTotal["\(p.period)|\(p.classID)|\(p.origin)", default: 0] += p.cuH }
        var rebuilt: [String: Double] = [:]
        for r in plan.routing { rebuilt["\(r.period)|\(r.classID)|\(r.origin)|\(r.node)", default: 0] += r.weight * laneTotal["\(r.period)|\(r.classID)|\(r.origin)"]! }
        for p in plan.placements where p.cuH > 0 {
            #expect(isClose(rebuilt["\(p.period)|\(p.classID)|\(p.origin)|\(p.node)"] ?? 0, p.cuH, relative: 1e-9))
        }
        let sums = Dictionary(grouping: plan.routing) { "\($0.period)|\($0.classID)|\($0.origin)" }.mapValues { $0.reduce(0) { $0 + $1.weight } }
        #expect(sums.values.allSatisfy { isClose($0, 1, relative: 1e-12) })
        // The default scenario's AI training runs in AI pools, everything else in general ones.
        let poolOfClass = Dictionary(uniqueKeysWithValues: scenario.classes.map { ($0.id, $0.pool) })
        #expect(plan.capacityCurves.allSatisfy { $0.pool == poolOfClass[$0.classID] })
        #expect(Set(plan.capacityCurves.map(\.pool)) == [Pool.general, "ai"])
    }

    @Test func planJSONCarriesBothSectionsAndReadsBack() throws {
        let plan = try SchedulerPlans.plan([R(2, "batch", "gpu", "east", "west", 10)])
        let text = plan.jsonWithSchedulerSections().rendered()
        #expect(text.contains("{\"period\": 2, \"start\": \"2026-11-27T02:00:00+08:00\", \"node\": \"west\", \"pool\": \"gpu\", \"class\": \"batch\", \"max_cu\": 10}"))
        #expect(text.contains("\"origin\": \"east\", \"node\": \"west\", \"weight\": 1}"))
        // Readers ignore keys they do not know: the plan reads back as it was.
        let plan1 = try SchedulerPlans.plan([R(2, "batch", nil, "east", "west", 10)])
        let decoded = try JSONDecoder().decode(Plan.self, from: Data(plan1.jsonWithSchedulerSections().rendered().utf8))
        #expect(decoded.placements == plan1.placements && decoded.capacityCurves == plan1.capacityCurves)
    }
}
