import Foundation
import Testing
@testable import GreenShift

/// Properties on scenarios from the generator: every plan verifies, no plan is worse than not
/// shifting, relaxing a limit never raises the optimum, adding demand never lowers it.
@Suite(.serialized) struct GeneratedScenarioTests {
    static func scenario(seed: UInt64, nodes: Int = 9, periods: Int = 12, periodMinutes: Int = 60, classes: Int = 4,
                         pools: [String] = []) throws -> Scenario {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-gen-\(UUID().uuidString)").path
        var generator = ScenarioGenerator(nodes: nodes, periods: periods, periodMinutes: periodMinutes, classes: classes, seed: seed)
        generator.extraPools = pools
        try generator.write(to: dir)
        return try ScenarioLoader(directory: dir, coolingLibrary: ScenarioFixture.coolingLibrary).load()
    }

    func optimum(_ s: Scenario) throws -> Double { objective(try solveAndVerify(s), s) }

    @Test func sameSeedSameBytesOtherSeedOtherScenario() {
        let a = ScenarioGenerator(nodes: 12, periods: 6, classes: 5, seed: 7).files()
        let b = ScenarioGenerator(nodes: 12, periods: 6, classes: 5, seed: 7).files()
        let c = ScenarioGenerator(nodes: 12, periods: 6, classes: 5, seed: 8).files()
        #expect(a.map(\.contents) == b.map(\.contents))
        #expect(a.map(\.contents) != c.map(\.contents))
        #expect(PublicData.googleWeekCPU.count == 168)
    }

    /// The lookup the formulation, extraction and evaluation use, against a scan of the links.
    @Test func networkIndexFindsEveryLinkBothWays() throws {
        let s = try Self.scenario(seed: 6, nodes: 14, periods: 2, classes: 2)
        let network = NetworkIndex(s)
        for a in s.nodes.indices {
            #expect(network.node(s.nodes[a].id) == a)
            for b in s.nodes.indices {
                let scanned = s.links.first { Set([$0.a, $0.b]) == Set([s.nodes[a].id, s.nodes[b].id]) && a != b }
                #expect(network.link(between: a, b) == scanned)
                #expect(network.neighbours[a].contains(b) == (scanned != nil))
            }
            #expect(network.neighbours[a] == network.neighbours[a].sorted())
        }
        #expect(network.node("no-such-node") == nil)
        #expect(s.links.count > s.nodes.count)
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func plansVerifyAndNeverLoseToTheBaseline(seed: UInt64) throws {
        let s = try Self.scenario(seed: seed)
        let plan = try solveAndVerify(s)
        #expect(objective(plan, s) <= plan.summary.baselineCarbonKg
                + s.unservedPenaltyKgPerCUh * plan.summary.baselineUnservedCUh + 1e-6 * plan.summary.baselineCarbonKg)
    }

    /// Pooled scenarios: the plan verifies and beats the baseline; giving a node the pool of
    /// another type it lacks never raises the optimum, taking one away never lowers it. (An idle
    /// pool draws its idle power whatever it runs, so the pools compared here draw none.)
    @Test(arguments: [1, 2] as [UInt64])
    func addingAPoolNeverRaisesTheOptimum(seed: UInt64) throws {
        let s = try Self.scenario(seed: seed, nodes: 8, periods: 8, classes: 3, pools: ["ai", "hpc"])
        #expect(Set(s.nodes.flatMap { $0.pools.map(\.type) }) == ["general", "ai", "hpc"])
        #expect(s.classes.map(\.pool) == ["general", "general", "ai", "hpc"])
        let plan = try solveAndVerify(s)
        #expect(plan.placements.allSatisfy { p in s.classes.first { $0.id == p.classID }!.pool == p.pool })
        let base = objective(plan, s)
        #expect(base <= plan.summary.baselineCarbonKg + s.unservedPenaltyKgPerCUh * plan.summary.baselineUnservedCUh)
        var free = s
        for n in free.nodes.indices { for k in free.nodes[n].pools.indices where k > 0 { free.nodes[n].pools[k].idleITMW = 0 } }
        let freeOptimum = try optimum(free)
        let tolerance = 1e-7 * max(1, freeOptimum)
        let ai = free.nodes.flatMap(\.pools).first { $0.type == "ai" }!
        let without = free.nodes.indices.first { free.nodes[$0].poolIndex("ai") == nil }!
        var added = free
        added.nodes[without].pools.append(ai)
        #expect(try optimum(added) <= freeOptimum + tolerance)
        let with = free.nodes.indices.filter { free.nodes[$0].poolIndex("ai") != nil }
        #expect(with.count > 1)
        var removed = free
        removed.nodes[with[0]].pools.removeAll { $0.type == "ai" }
        #expect(try optimum(removed) >= freeOptimum - tolerance)
    }

    @Test(arguments: [4, 5] as [UInt64])
    func relaxingNeverRaisesTighteningNeverLowers(seed: UInt64) throws {
        let s = try Self.scenario(seed: seed)
        let base = try optimum(s)
        let tolerance = 1e-7 * max(1, base)
        var more = s, less = s
        for n in s.nodes.indices { more.nodes[n].pools[0].capacityCU *= 1.5; less.nodes[n].pools[0].capacityCU *= 0.5 }
        #expect(try optimum(more) <= base + tolerance)
        #expect(try optimum(less) >= base - tolerance)
        var longer = s
        for w in s.classes.indices { longer.classes[w].deadlineHours += 2 }
        #expect(try optimum(longer) <= base + tolerance)
        var wider = s
        for l in s.links.indices { wider.links[l].bandwidthGbps = nil }
        #expect(try optimum(wider) <= base + tolerance)
        var busier = s
        busier.demandCUh = s.demandCUh.map { $0.map { $0.map { $0 * 1.2 } } }
        #expect(try optimum(busier) >= base - tolerance)
    }
}

/// Badly scaled numbers (a billion CU at 1e-7 MW each, emission factors of 0 and 2000) must still
/// give the right optimum, or stop with exit 4: never a wrong plan reported as optimal.
@Suite struct NumericsTests {
    /// Two nodes, 1e9 CU each at 1e-7 MW/CU (100 MW at full load), idle 1 MW, PUE 1. 6e8 CU*h per
    /// hour arrive at the dirty node (2000 kg/MWh) and may move to the clean one (0 kg/MWh):
    /// the plan emits only the dirty node's idle load, 1 MW x 2000 x 2 h = 4000 kg; the baseline
    /// adds 60 MW x 2000 x 2 h: 244,000 kg.
    @Test func billionsOfComputeUnitsAndZeroEmissionFactors() throws {
        let F = ScenarioFixture.self
        let scenario = try F.init(files: [
            "scenario.toml": """
                [scenario]
                name = "scaled"
                start = "2026-11-27T00:00:00Z"
                period_minutes = 60
                periods = 2
                [[nodes]]
                id = "dirty"
                capacity_cu = 1e9
                idle_it_mw = 1
                it_mw_per_cu = 1e-7
                cooling_model = "flat"
                [[nodes]]
                id = "clean"
                capacity_cu = 1e9
                idle_it_mw = 1
                it_mw_per_cu = 1e-7
                cooling_model = "flat"
                [[classes]]
                id = "batch"
                movable = true
                gb_per_cu_h = 1e-6
                [[links]]
                a = "dirty"
                b = "clean"
                latency_ms = 10
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("dirty", [2000, 2000]), ("clean", [0, 0])], start: "2026-11-27T00:00:00Z"),
            "timeseries/renewable_mw.csv": F.series([("dirty", [0, 0]), ("clean", [0, 0])], start: "2026-11-27T00:00:00Z"),
            "timeseries/temperature_c.csv": F.series([("dirty", [0, 0]), ("clean", [0, 0])], start: "2026-11-27T00:00:00Z"),
            "timeseries/demand_batch.csv": F.series([("dirty", [6e8, 6e8])], start: "2026-11-27T00:00:00Z"),
        ]).load()
        // The optimum, not merely "no wrong plan": a solver that always gave up passed this before.
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 4000))
        #expect(isClose(plan.summary.baselineCarbonKg, 244_000))
        #expect(isClose(plan.summary.movedCUh, 1.2e9))
    }

    /// Tiny work next to a huge penalty and huge idle loads: the optimum is still exact.
    @Test func tinyWorkBesideLargeIdleLoads() throws {
        var scenario = try ScenarioFixture.twoNodes.load()
        for n in scenario.nodes.indices { scenario.nodes[n].pools[0].idleITMW = 5000 }
        scenario.demandCUh[0] = scenario.demandCUh[0].map { $0.map { $0 * 1e-6 } }
        scenario.unservedPenaltyKgPerCUh = 1e9
        let plan = try solveAndVerify(scenario)
        // Idle: east 5000 MW x 1.5 x 800 x 3 h, west 5000 x 1.25 x 500 x 3 h minus its wind (2 x 2 MWh x 500).
        let idle = 5000 * 1.5 * 800 * 3 + (5000 * 1.25 * 3 - 4) * 500.0
        #expect(plan.summary.unservedCUh == 0)
        #expect(isClose(plan.summary.carbonKg, idle + 1800, relative: 1e-9))
    }
}
