import Foundation
import Testing
@testable import GreenShift
@testable import LinearProgramming

/// The optimizer's fallback and skip paths, with failures injected from here through
/// `OptimizerOptions.solve` (issue 10: none of them had a test).
@Suite struct OptimizerPathTests {
    /// Sifting fails numerically on its first solve: the whole LP is solved at once instead.
    @Test func siftingFallsBackToOneWholeSolve() throws {
        let s = try ScenarioFixture.twoNodes.load()
        var options = OptimizerOptions()
        let calls = Counter()
        options.solve = { problem, solver in
            if calls.next() == 1 { throw LPError.solverFailed(code: 0, reason: "injected") }
            return try problem.solve(solver)
        }
        let result = try Optimizer.optimize(s, options: options)
        #expect(isClose(result.plan.summary.carbonKg, 1800))
        #expect(result.solverLog.contains("sifting stopped (the solver failed (GLPK code 0): injected); solving the whole LP at once"))
        #expect(result.plan.solver?.method.contains("sifting") == false)
    }

    /// A tie-break solve that fails keeps the carbon-optimal plan and says why.
    @Test func failedTieBreakIsSkipped() throws {
        let s = try ScenarioFixture.twoNodes.load()
        var options = OptimizerOptions()
        let calls = Counter()
        options.solve = { problem, solver in
            if calls.next() == 2 { throw LPError.iterationLimit }
            return try problem.solve(solver)
        }
        let plan = try Optimizer.optimize(s, options: options).plan
        #expect(plan.solver?.tieBreak == "skipped (the solver reached its iteration limit without an optimum)")
        #expect(isClose(plan.summary.carbonKg, 1800))
    }

    /// When the floating-point simplex fails by sifting and on the whole LP, GLPK's exact simplex
    /// answers, and the plan says so.
    @Test func theExactSimplexAnswersWhenTheFloatingPointOneFailsTwice() throws {
        let s = try ScenarioFixture.twoNodes.load()
        var options = OptimizerOptions()
        options.solve = { _, _ in throw LPError.solverFailed(code: 0, reason: "injected") }
        let plan = try Optimizer.optimize(s, options: options).plan
        #expect(isClose(plan.summary.carbonKg, 1800, relative: 1e-12))
        #expect(plan.solver?.method.contains("exact (rational) simplex") == true)
    }

    /// A tie-break that would raise emissions is refused.
    @Test func tieBreakRaisingEmissionsIsSkipped() throws {
        let s = try ScenarioFixture.twoNodes.load()
        var options = OptimizerOptions()
        let calls = Counter()
        options.solve = { problem, solver in
            let solution = try problem.solve(solver)
            guard calls.next() == 2 else { return solution }
            // Every carbon cost doubled: emissions rise whatever the plan.
            return Solution(objective: solution.objective, columnValues: solution.columnValues.map { $0 * 2 },
                            rowDuals: solution.rowDuals, columnDuals: solution.columnDuals, iterations: 0, seconds: 0)
        }
        let plan = try Optimizer.optimize(s, options: options).plan
        #expect(plan.solver?.tieBreak == "skipped: the tie-break would have raised emissions or broken a constraint")
        #expect(isClose(plan.summary.carbonKg, 1800))
    }

    /// Every solve gets what is left of the one time limit, the tie-break's included.
    @Test func timeLimitBoundsEverySolve() throws {
        let s = try ScenarioFixture.twoNodes.load()
        var options = OptimizerOptions(solver: SolverOptions(timeLimitSeconds: 30))
        let limits = Recorder()
        options.solve = { problem, solver in
            limits.add(solver.timeLimitSeconds ?? .infinity)
            Thread.sleep(forTimeInterval: 0.2)
            return try problem.solve(solver)
        }
        _ = try Optimizer.optimize(s, options: options)
        let seen = limits.values
        #expect(seen.count >= 2)
        for k in 1 ..< seen.count { #expect(seen[k] <= seen[k - 1] - 0.2) }
    }
}

private final class Counter: @unchecked Sendable {
    private var count = 0
    private let lock = NSLock()
    func next() -> Int { lock.withLock { count += 1; return count } }
}

private final class Recorder: @unchecked Sendable {
    private var stored: [Double] = []
    private let lock = NSLock()
    func add(_ v: Double) { lock.withLock { stored.append(v) } }
    var values: [Double] { lock.withLock { stored } }
}
