import Foundation

/// How to solve. Defaults are what measured fastest on greenshift's LPs
/// (dual simplex, presolve, long-step ratio test, projected steepest edge).
public struct SolverOptions: Sendable, Equatable {
    public enum Method: String, Sendable, CaseIterable {
        /// `glp_simplex` with `meth = GLP_DUAL`.
        case dualSimplex = "dual"
        /// `glp_simplex` with `meth = GLP_PRIMAL`.
        case primalSimplex = "primal"
        /// `glp_interior`: no basis, so no warm start and a slow Cholesky factor on large LPs.
        case interiorPoint = "interior"
    }

    public var method: Method = .dualSimplex
    /// GLPK's LP presolver. It discards any starting basis.
    public var presolve: Bool = true
    /// The long-step (flip-flop) ratio test of the dual simplex (`GLP_RT_FLIP`).
    public var longStepRatioTest: Bool = true
    /// Projected steepest edge pricing (`GLP_PT_PSE`) rather than Dantzig's rule.
    public var steepestEdge: Bool = true
    /// Wall-clock limit for one solve; nil means none.
    public var timeLimitSeconds: Double? = nil
    /// GLPK's primal and dual feasibility tolerances (`tol_bnd`, `tol_dj`; GLPK's default 1e-7),
    /// tighter for polishing an answer that could not be certified.
    public var feasibilityTolerance: Double? = nil
    /// Most simplex iterations for one solve (`it_lim`); nil means none.
    public var iterationLimit: Int? = nil

    public init(method: Method = .dualSimplex, presolve: Bool = true, longStepRatioTest: Bool = true,
                steepestEdge: Bool = true, timeLimitSeconds: Double? = nil) {
        self.method = method
        self.presolve = presolve
        self.longStepRatioTest = longStepRatioTest
        self.steepestEdge = steepestEdge
        self.timeLimitSeconds = timeLimitSeconds
    }
}

/// The result of an optimal solve.
public struct Solution: Sendable {
    public let objective: Double
    /// Primal value of every column.
    public let columnValues: [Double]
    /// Dual value of every row (GLPK's convention: d objective / d row bound;
    /// for a minimization, <= 0 on a binding `<=` row).
    public let rowDuals: [Double]
    /// Reduced cost of every column (d objective / d column bound where the column sits at one;
    /// for a minimization, <= 0 at a binding upper bound).
    public let columnDuals: [Double]
    public let iterations: Int
    public let seconds: Double
}

/// A time limit shared by several solves (blocks, pairs, pricing rounds, a whole optimization
/// run): each gets what is left of it.
public struct Deadline: Sendable {
    /// The whole limit, as the caller gave it.
    public let limitSeconds: Double?
    private let end: Date?

    public init(_ options: SolverOptions) {
        limitSeconds = options.timeLimitSeconds
        end = limitSeconds.map { Date().addingTimeInterval($0) }
    }

    /// `options` with its time limit cut to what is left; `.timeLimit` (naming the whole limit)
    /// once nothing is.
    public func remaining(_ options: SolverOptions) throws(LPError) -> SolverOptions {
        guard let end, let limitSeconds else { return options }
        let left = end.timeIntervalSinceNow
        guard left > 0 else { throw .timeLimit(seconds: limitSeconds) }
        var limited = options
        limited.timeLimitSeconds = left
        return limited
    }
}
