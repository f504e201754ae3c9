import Foundation
import LinearProgramming

/// The solver stopped without an optimal plan (time limit, numerical trouble), or produced a plan
/// that fails verification. Nothing is written.
public struct SolverStoppedError: Error, Sendable, CustomStringConvertible {
    public let reason: String
    public var description: String { "no optimal plan: \(reason)" }
}

extension SolverStoppedError {
    /// The one mapping of LP failures to the errors the command line maps to exit codes (plan.md,
    /// "Exit status"); other errors pass through. Every LP greenshift solves has a feasible point
    /// once every idle load can be powered (checked before any solve), so "infeasible" is numerical.
    static func mapping(_ error: any Error) -> any Error {
        guard let error = error as? LPError else { return error }
        switch error {
        case .infeasible:
            return SolverStoppedError(reason: "GLPK reported the LP infeasible although every node can power its idle load (numerical trouble; check the scenario's scaling)")
        case .unbounded, .timeLimit, .iterationLimit, .solverFailed:
            return SolverStoppedError(reason: error.description)
        case .invalidData, .writeFailed:
            return error
        }
    }
}

public struct OptimizerOptions: Sendable {
    public var solver = SolverOptions()
    /// Break ties among carbon-optimal plans: lower electricity cost, then less moved work.
    public var tieBreak = true
    /// Solve by sifting (docs/performance.md): first every node on its own with work kept at its
    /// origin, then moves join as their reduced costs say they pay. Off: one GLPK solve of the
    /// whole LP, as `glpsol` would.
    public var sifting = true
    /// Every solve of the carbon LP and its tie-break goes through this (tests replace it to
    /// inject failures).
    var solve: @Sendable (SiftingProblem, SolverOptions) throws -> Solution = { problem, options in try problem.solve(options) }
    public init(solver: SolverOptions = SolverOptions(), tieBreak: Bool = true, sifting: Bool = true) {
        self.solver = solver
        self.tieBreak = tieBreak
        self.sifting = sifting
    }
}

public struct OptimizationResult: Sendable {
    public var plan: Plan
    /// The state the plan leaves after its committed periods (plan.md, state.json).
    public var state: PlanState
    public var timings: [(stage: String, seconds: Double)]
    /// GLPK's own output, for a log file.
    public var solverLog: String
}

/// scenario -> LP -> GLPK -> plan: the pipeline of `greenshift optimize`.
public enum Optimizer {
    public static func optimize(_ scenario: Scenario, options: OptimizerOptions = OptimizerOptions()) throws -> OptimizationResult {
        try IdleFeasibility.check(scenario)
        var timings: [(String, Double)] = []
        var log = ""
        // One time limit for the whole run: every solve below gets what is left of it.
        let deadline = Deadline(options.solver)
        func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
            let started = Date()
            defer { timings.append((stage, Date().timeIntervalSince(started))) }
            return try body()
        }

        let formulation = timed("build") { Formulation(scenario) }
        // Sifting: work kept at its origin splits the LP into one block per node; moves join as
        // their reduced costs say they pay. Without it the SiftingProblem is one plain GLPK solve.
        var sifting = options.sifting && options.solver.method != .interiorPoint
        func load() throws -> SiftingProblem {
            try solverCall {
                try SiftingProblem(formulation.program,
                                   initialColumns: sifting ? formulation.unmovedColumns : Array(0 ..< formulation.program.columnCount))
            }
        }
        var problem = try timed("load") { try load() }
        let first: Solution
        do {
            first = try timed("solve") { try options.solve(problem, try deadline.remaining(options.solver)) }
        } catch let error as LPError where sifting && error.isNumericalTrouble {
            // Trouble in one of sifting's many solves: once more as one solve of the whole LP.
            log += problem.log + "sifting stopped (\(error)); solving the whole LP at once\n"
            sifting = false
            problem = try load()
            first = try timed("solve whole") { try solverCall { try options.solve(problem, try deadline.remaining(options.solver)) } }
        } catch {
            throw SolverStoppedError.mapping(error)
        }
        let capacityDuals = formulation.capacityRow.map { $0 < 0 ? 0 : -first.rowDuals[Int($0)] }
        var values = first.columnValues
        var iterations = first.iterations
        var tieBreak = "none"
        if options.tieBreak {
            timed("tie-break") {
                (values, tieBreak, iterations) = breakTies(scenario, formulation, problem, first, options: options,
                                                           deadline: deadline, iterations: iterations)
            }
        }
        log += problem.log

        // The baseline moves nothing, so it falls apart into one small LP per node.
        let baselineFormulation = timed("baseline build") { Formulation(scenario, mode: .baseline) }
        let baseline = try timed("baseline solve") {
            try solverCall { try BlockDecomposition.solve(baselineFormulation.program, try deadline.remaining(options.solver)) }
        }

        let (plan, state) = timed("extract") {
            PlanBuilder(scenario: scenario).plan(
                formulation: formulation, values: values, capacityDuals: capacityDuals,
                baselineFormulation: baselineFormulation, baselineValues: baseline.columnValues,
                solver: Plan.SolverReport(
                    status: "optimal", solver: "GLPK \(GLPKProblem.version)",
                    method: sifting ? describe(options.solver) + " node by node, then primal simplex sifting in moves (docs/performance.md)"
                        : describe(options.solver),
                    variables: formulation.program.columnCount, constraints: formulation.program.rowCount,
                    nonzeros: formulation.program.tripletCount, iterations: iterations,
                    solveSeconds: first.seconds, baselineSeconds: baseline.seconds, tieBreak: tieBreak))
        }
        let violations = timed("verify") { PlanVerifier(scenario: scenario).verify(plan, state: state) }
        if !violations.isEmpty {
            throw SolverStoppedError(reason: "the solver's plan fails verification (numerical trouble?): "
                                     + violations.prefix(5).map(\.description).joined(separator: "; "))
        }
        return OptimizationResult(plan: plan, state: state, timings: timings, solverLog: log)
    }

    /// Lexicographic tie-break, warm-started from the carbon-optimal basis: restrict the LP to its
    /// optimal face (so emissions cannot rise) with unserved work pinned, minimize electricity cost
    /// when prices exist, restrict again, then minimize moved work. A failed tie-break keeps the
    /// carbon-optimal plan. Each solve gets what is left of the run's time limit.
    private static func breakTies(_ scenario: Scenario, _ f: Formulation, _ problem: SiftingProblem, _ first: Solution,
                                  options: OptimizerOptions, deadline: Deadline, iterations: Int) -> ([Double], String, Int) {
        let movedColumns = f.movedColumns
        let hasPrices = scenario.pricePerMWh != nil
        guard hasPrices || !movedColumns.isEmpty else { return (first.columnValues, "none needed", iterations) }
        // The optimal face is read off a simplex basis; the interior-point method leaves none.
        guard options.solver.method != .interiorPoint else {
            return (first.columnValues, "skipped: the interior-point method gives no basis", iterations)
        }

        var warm = options.solver
        warm.method = .primalSimplex
        warm.presolve = false
        func carbonAndUnserved(_ x: [Double]) -> (Double, Double) {
            (zip(f.carbonCost, x).reduce(0) { $0 + $1.0 * $1.1 }, f.vColumns.reduce(0) { $0 + x[$1] })
        }
        let (carbon, unserved) = carbonAndUnserved(first.columnValues)
        do {
            problem.restrictToOptimalFace()
            // On the optimal face carbon + penalty x unserved is fixed, so pinning unserved work
            // pins carbon too: keep the pin's slack below 1e-8 of the carbon it could move.
            let pin = min(1e-9 * max(unserved, 1), 1e-8 * max(carbon, 1) / scenario.unservedPenaltyKgPerCUh)
            try problem.addRow(columns: Array(f.vColumns), coefficients: Array(repeating: 1, count: f.vColumns.count),
                               lower: max(0, unserved - pin), upper: unserved + pin, name: "tie_unserved")
            var current = first
            var steps: [String] = []
            var total = iterations
            if hasPrices {
                try problem.setObjective(f.electricityCost)
                current = try options.solve(problem, deadline.remaining(warm))
                total += current.iterations
                problem.restrictToOptimalFace()
                steps.append("cost")
            }
            if !movedColumns.isEmpty {
                var moves = [Double](repeating: 0, count: f.program.columnCount)
                for j in movedColumns { moves[j] = 1 }
                try problem.setObjective(moves)
                current = try options.solve(problem, deadline.remaining(warm))
                total += current.iterations
                steps.append("moved work")
            }
            // Never trade the primary objective for a tie-break: check it rather than trust tolerances.
            let (tiedCarbon, tiedUnserved) = carbonAndUnserved(current.columnValues)
            guard tiedCarbon <= carbon + 1e-7 * max(abs(carbon), 1),
                  abs(tiedUnserved - unserved) <= 1e-7 * max(unserved, 1) else {
                return (first.columnValues, "skipped: the tie-break moved emissions or unserved work", iterations)
            }
            return (current.columnValues, "lexicographic: carbon, then " + steps.joined(separator: ", then "), total)
        } catch {
            return (first.columnValues, "skipped (\(error))", iterations)
        }
    }

    /// LP failures become the errors the command line maps to exit codes.
    private static func solverCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw SolverStoppedError.mapping(error)
        }
    }

    static func describe(_ s: SolverOptions) -> String {
        switch s.method {
        case .interiorPoint: return "interior point"
        case .primalSimplex: return "primal simplex" + (s.presolve ? ", presolve" : "")
        case .dualSimplex:
            return "dual simplex" + (s.presolve ? ", presolve" : "") + (s.longStepRatioTest ? ", long-step ratio test" : "")
                + (s.steepestEdge ? ", steepest edge" : "")
        }
    }
}

private extension LPError {
    /// Failures that another way of solving the same LP may avoid: GLPK gave up numerically, or
    /// called an LP infeasible that the idle check says is not.
    var isNumericalTrouble: Bool {
        switch self {
        case .solverFailed, .infeasible: return true
        case .invalidData, .unbounded, .timeLimit, .iterationLimit, .writeFailed: return false
        }
    }
}
