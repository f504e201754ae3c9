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
        // GLPK can stall on extreme data: no solve may take more pivots than this.
        var solver = options.solver
        if solver.iterationLimit == nil { solver.iterationLimit = stallIterations(formulation.program) }
        var first: Solution
        var exactFirst = false
        do {
            do {
                first = try timed("solve") { try options.solve(problem, try deadline.remaining(solver)) }
            } catch let error as LPError where sifting && error.isNumericalTrouble {
                // Trouble in one of sifting's many solves: once more as one solve of the whole LP.
                log += problem.log + "sifting stopped (\(error)); solving the whole LP at once\n"
                sifting = false
                problem = try load()
                first = try timed("solve whole") { try options.solve(problem, try deadline.remaining(solver)) }
            }
        } catch let error as LPError where error.isNumericalTrouble {
            // The floating-point simplex failed twice: the exact one, from the slack basis.
            log += problem.log + "floating-point simplex stopped (\(error)); solving by the exact simplex\n"
            problem = try load()
            first = try timed("solve exact") { try solveExactly(problem, options: solver, deadline: deadline, what: "plan", after: error) }
            exactFirst = true
        } catch {
            throw SolverStoppedError.mapping(error)
        }
        let certifyStarted = Date()
        let proof = try timed("certify") {
            try certified(first, exact: exactFirst, of: formulation.program, matrix: problem.matrix, exactly: { problem },
                          options: solver, deadline: deadline, what: "plan", log: &log)
        }
        exactFirst = proof.exact
        // The plan reports the solve and its remedies together.
        var iterations = first.iterations
        var solveSeconds = first.seconds
        if proof.remedied {
            iterations += proof.solution.iterations
            solveSeconds += Date().timeIntervalSince(certifyStarted)
        }
        first = proof.solution
        let capacityDuals = formulation.capacityRow.map { $0 < 0 ? 0 : -first.rowDuals[Int($0)] }
        var values = first.columnValues
        var tieBreak = "none"
        if options.tieBreak {
            timed("tie-break") {
                var limited = options
                limited.solver = solver
                (values, tieBreak, iterations) = breakTies(scenario, formulation, problem, first, primary: proof.certificate,
                                                           options: limited, deadline: deadline, iterations: iterations)
            }
        }
        log += problem.log

        // The baseline moves nothing, so it falls apart into one small LP per node.
        let baselineFormulation = timed("baseline build") { Formulation(scenario, mode: .baseline) }
        let baselineProgram = baselineFormulation.program
        func wholeBaseline() throws -> SiftingProblem {
            try solverCall { try SiftingProblem(baselineProgram, initialColumns: 0 ..< baselineProgram.columnCount) }
        }
        let baselineMatrix = try solverCall { try baselineProgram.validatedMatrix() }
        var baseline: Solution
        var exactBaseline = false
        do {
            baseline = try timed("baseline solve") {
                try BlockDecomposition.solve(baselineProgram, matrix: baselineMatrix, try deadline.remaining(solver))
            }
        } catch let error as LPError where error.isNumericalTrouble {
            log += "baseline: floating-point simplex stopped (\(error)); solving by the exact simplex\n"
            baseline = try timed("baseline exact") {
                try solveExactly(try wholeBaseline(), options: solver, deadline: deadline, what: "baseline", after: error)
            }
            exactBaseline = true
        } catch {
            throw SolverStoppedError.mapping(error)
        }
        (baseline, exactBaseline) = try timed("baseline certify") {
            let proof = try certified(
                baseline, exact: exactBaseline, of: baselineProgram, matrix: baselineMatrix,
                exactly: {
                    // A basis to polish or start the exact simplex from; if this solve fails, the slack basis.
                    let whole = try wholeBaseline()
                    _ = try? whole.solve(try deadline.remaining(solver))
                    return whole
                }, options: solver, deadline: deadline, what: "baseline", log: &log)
            return (proof.solution, proof.exact)
        }

        let (plan, state) = timed("extract") {
            PlanBuilder(scenario: scenario).plan(
                formulation: formulation, values: values, capacityDuals: capacityDuals,
                baselineFormulation: baselineFormulation, baselineValues: baseline.columnValues,
                solver: Plan.SolverReport(
                    status: "optimal", solver: "GLPK \(GLPKProblem.version)",
                    method: (sifting ? describe(options.solver) + " node by node, then primal simplex sifting in moves (docs/performance.md)"
                        : describe(options.solver))
                        + (exactFirst ? "; the optimum from GLPK's exact (rational) simplex, the floating-point answer not being certified" : "")
                        + (exactBaseline ? "; the baseline from the exact simplex" : ""),
                    variables: formulation.program.columnCount, constraints: formulation.program.rowCount,
                    nonzeros: formulation.program.tripletCount, iterations: iterations,
                    solveSeconds: solveSeconds, baselineSeconds: baseline.seconds, tieBreak: tieBreak))
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
                                  primary: OptimalityCertificate,
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
            // Never trade the primary objective (emissions + penalty x unserved) for a tie-break,
            // nor feasibility: check both in the scenario's units rather than trust tolerances.
            let tied = f.program.certificate(ofValues: current.columnValues, matrix: problem.matrix)
            guard tied.isPrimalFeasible,
                  tied.objective <= primary.objective + OptimalityCertificate.relativeGap * abs(primary.objective) else {
                return (first.columnValues, "skipped: the tie-break would have raised emissions or broken a constraint", iterations)
            }
            return (current.columnValues, "lexicographic: carbon, then " + steps.joined(separator: ", then "), total)
        } catch {
            return (first.columnValues, "skipped (\(error))", iterations)
        }
    }

    /// GLPK's answer certified optimal in the program's own units (`OptimalityCertificate`:
    /// rows hold to 1e-9 of their magnitude, and no plan can be better by more than 1e-7 of the
    /// objective), or exit 4. An answer that fails is polished (every column in, the primal
    /// simplex from its basis with tolerances of 1e-10) and certified again; if that fails too,
    /// GLPK's exact rational simplex solves it from the polished basis (its optimum is exact;
    /// its rows are checked once rounded to doubles).
    /// `exactly()` gives the problem to continue from (the one that answered, or one made on
    /// demand).
    private static func certified(_ solution: Solution, exact: Bool = false, of program: LinearProgram, matrix: SparseMatrix,
                                  exactly: () throws -> SiftingProblem, options: SolverOptions, deadline: Deadline,
                                  what: String, log: inout String) throws -> Proof {
        var check = program.certificate(of: solution, matrix: matrix)
        log += "certificate (\(what)\(exact ? ", exact simplex" : "")): \(check)\n"
        // An exact optimum needs only its rows checked (see below).
        if exact {
            guard check.isPrimalFeasible else {
                throw SolverStoppedError(reason: "the \(what) from the exact simplex breaks a row once rounded to doubles: \(check)")
            }
            return Proof(solution: solution, certificate: check, exact: true, remedied: false)
        }
        if check.certifies { return Proof(solution: solution, certificate: check, exact: false, remedied: false) }
        let problem = try solverCall { try exactly() }
        defer { log += problem.log }
        // Tight tolerances can make GLPK stall on extreme data: polishing gets a bounded share.
        var polishOptions = try solverCall { try deadline.remaining(options) }
        polishOptions.timeLimitSeconds = min(polishOptions.timeLimitSeconds ?? .infinity,
                                             max(polishSeconds, 2 * solution.seconds))
        polishOptions.iterationLimit = max(1000, 2 * (program.rowCount + program.columnCount))
        if let polished = try? problem.polish(polishOptions) {
            check = program.certificate(of: polished, matrix: matrix)
            log += "certificate (\(what), polished): \(check)\n"
            if check.certifies { return Proof(solution: polished, certificate: check, exact: false, remedied: true) }
        }
        let optimum = try solveExactly(problem, options: options, deadline: deadline, what: what,
                                       after: "it could not be certified optimal (\(check))")
        // The exact simplex's optimum is exact; only its rounding to doubles can break rows. Its
        // duals, rounded, may no longer prove it when huge prices cancel, so the bound is logged only.
        var proof = try certified(optimum, exact: true, of: program, matrix: matrix, exactly: exactly, options: options,
                                  deadline: deadline, what: what, log: &log)
        proof.remedied = true
        return proof
    }

    /// A certified answer: its certificate, whether the exact simplex gave it, and whether it
    /// replaced the answer that was handed in (polished or solved exactly).
    private struct Proof {
        var solution: Solution
        var certificate: OptimalityCertificate
        var exact: Bool
        var remedied: Bool
    }

    /// GLPK's exact simplex on `problem`, within the run's time limit and at most
    /// `exactSimplexSeconds` (it costs a rational factorization per pivot and its numbers grow
    /// without bound on extreme data); exit 4 naming `after`, the reason it was needed, if it fails.
    private static func solveExactly(_ problem: SiftingProblem, options: SolverOptions, deadline: Deadline,
                                     what: String, after reason: Any) throws -> Solution {
        var exact = try solverCall { try deadline.remaining(options) }
        exact.timeLimitSeconds = min(exact.timeLimitSeconds ?? .infinity, exactSimplexSeconds)
        exact.iterationLimit = nil
        do {
            return try problem.solveExactly(exact)
        } catch {
            throw SolverStoppedError(reason: "no \(what): \(reason), and the exact simplex gave no answer either (\(error))")
        }
    }

    /// Simplex iterations after which GLPK is taken to stall: far more than any solve of
    /// greenshift's LPs has needed (the 100-node week: 232,215 iterations, polishing included,
    /// against a limit of 11.5 million).
    static func stallIterations(_ program: LinearProgram) -> Int {
        10_000 + 20 * (program.rowCount + program.columnCount)
    }

    /// Most time polishing may take, at least (twice the first solve's time if that is more),
    /// and the exact simplex at most, within the run's own limit.
    static let polishSeconds = 10.0
    static let exactSimplexSeconds = 10.0

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
    /// Failures that another way of solving the same LP may avoid: GLPK gave up numerically,
    /// stalled, or called an LP infeasible that the idle check says is not.
    var isNumericalTrouble: Bool {
        switch self {
        case .solverFailed, .infeasible, .iterationLimit: return true
        case .invalidData, .unbounded, .timeLimit, .writeFailed: return false
        }
    }
}
