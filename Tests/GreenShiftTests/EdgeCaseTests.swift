import Foundation
import Testing
@testable import GreenShift

/// Cases found by checking greenshift against an independent LP of model.md (HiGHS) on random
/// scenarios, and by review: each once gave a wrong answer, a crash or a hang.
@Suite struct EdgeCaseTests {
    typealias F = ScenarioFixture

    /// GLPK's reduced costs carry rounding noise of about 1e-9; fixing columns on it cut optimal
    /// plans away, and the tie-break stopped at 122.5 CU*h moved where 110 are enough.
    @Test func tieBreakReachesTheLeastMovedWork() throws {
        let scenario = try ScenarioLoader(directory: F.repositoryRoot + "/Tests/GreenShiftTests/Fixtures/tie-break",
                                          coolingLibrary: F.coolingLibrary).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 24))
        #expect(isClose(plan.summary.cost ?? 0, 3.75))
        #expect(isClose(plan.summary.movedCUh, 110))
    }

    /// No work and no idle load: the LP has no columns at all, and prices ask for a tie-break.
    @Test func anLPWithoutColumns() throws {
        var fixture = F.twoNodes
        fixture.files["timeseries/price.csv"] = F.series([("east", [1, 2, 3]), ("west", [3, 2, 1])])
        var scenario = try fixture.load()
        scenario.classes = []
        scenario.demandCUh = []
        let plan = try solveAndVerify(scenario)
        #expect(plan.summary.carbonKg == 0 && plan.summary.cost == 0)
    }

    /// A millionth of a CU*h is still work: it is placed and reported, not lost as noise.
    @Test func tinyDemandIsPlanned() throws {
        var scenario = try F.twoNodes.load()
        scenario.demandCUh[0] = scenario.demandCUh[0].map { $0.map { $0 * 9e-10 } }
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.placements.filter { $0.classID == "batch" }.reduce(0) { $0 + $1.cuH }, 9e-7, relative: 1e-6))
    }

    /// `periods` far beyond the files' rows is reported, not allocated.
    @Test func absurdHorizonIsBadInputNotAnAllocation() throws {
        var fixture = F.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!.replacingOccurrences(of: "periods = 3", with: "periods = 100000000000")
        #expect {
            try fixture.load()
        } throws: { error in
            (error as? InputError)?.diagnostics.contains { $0.message.contains("3 data rows, expected 100000000000") } == true
        }
    }

    /// Finite inputs whose product overflows a double are bad input, named, not a solver failure.
    @Test func overflowingProductsAreBadInput() throws {
        var fixture = F.twoNodes
        fixture.files["scenario.toml"] = fixture.files["scenario.toml"]!.replacingOccurrences(of: "it_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"", with: "it_mw_per_cu = 1e307\ncooling_model = \"flat-1.5\"")
        #expect {
            try fixture.load()
        } throws: { error in
            (error as? InputError)?.diagnostics.contains { $0.message.contains("node 'east'") && $0.message.contains("overflow") } == true
        }
    }

    /// A cooling curve spanning nearly the whole double range still interpolates.
    @Test func coolingCurveAcrossTheDoubleRange() {
        let model = CoolingModel(name: "wide", curve: [.init(temperatureC: -1e308, pue: 1), .init(temperatureC: 1e308, pue: 3)], source: "")
        #expect(abs(model.pue(atTemperature: 0) - 2) < 1e-12)
    }
}
