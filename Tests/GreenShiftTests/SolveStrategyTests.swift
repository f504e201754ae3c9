import Foundation
import Testing
@testable import GreenShift
import LinearProgramming

/// The Optimizer's sifting (per-node blocks first, moves joining as they price out) reaches the
/// same optimum as one GLPK solve of the whole LP, and the baseline solved node by node equals
/// the baseline solved whole.
@Suite(.serialized) struct SolveStrategyTests {
    @Test(arguments: [(1, 60), (2, 60), (3, 15)] as [(UInt64, Int)])
    func siftingMatchesTheWholeSolve(seed: UInt64, periodMinutes: Int) throws {
        let s = try GeneratedScenarioTests.scenario(seed: seed, nodes: 11, periods: 16, periodMinutes: periodMinutes, classes: 4)
        let sifted = try solveAndVerify(s)
        let whole = try solveAndVerify(s, options: OptimizerOptions(sifting: false))
        #expect(isClose(objective(sifted, s), objective(whole, s), relative: 1e-6))
        #expect(isClose(sifted.summary.unservedCUh, whole.summary.unservedCUh, relative: 1e-6))
        #expect(isClose(sifted.summary.baselineCarbonKg, whole.summary.baselineCarbonKg, relative: 1e-6))
        #expect(sifted.solver?.method.contains("sifting") == true)
        #expect(whole.solver?.method.contains("sifting") == false)
    }

    @Test func baselineNodeByNodeEqualsTheWhole() throws {
        let s = try GeneratedScenarioTests.scenario(seed: 4, nodes: 8, periods: 12, periodMinutes: 60, classes: 3)
        let program = Formulation(s, mode: .baseline).program
        let byNode = try BlockDecomposition.solve(program)
        let whole = try GLPKProblem(program).solve()
        #expect(isClose(byNode.objective, whole.objective, relative: 1e-7))
    }

    /// The spec's example through both paths.
    @Test func twoNodesExampleEitherWay() throws {
        let s = try ScenarioFixture.twoNodes.load()
        for sifting in [true, false] {
            let plan = try solveAndVerify(s, options: OptimizerOptions(sifting: sifting))
            #expect(isClose(plan.summary.carbonKg, 1800))
            #expect(isClose(plan.summary.baselineCarbonKg, 3000))
        }
    }
}
