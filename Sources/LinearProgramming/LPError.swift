/// Every way a linear program can fail to give an optimal solution. GLPK's own return codes
/// (`GLP_E*`) and solution statuses map onto these cases; see the GLPK reference manual,
/// section "glp_simplex — solve LP problem with the primal or dual simplex method".
public enum LPError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The program's data would make GLPK abort or misbehave; nothing was passed to GLPK.
    case invalidData(String)
    /// No point satisfies all constraints (`GLP_NOFEAS`, or `GLP_ENOPFS` from the presolver).
    case infeasible
    /// The objective is unbounded (`GLP_UNBND`, or `GLP_ENODFS` from the presolver).
    case unbounded
    /// The time limit was reached before an optimum (`GLP_ETMLIM`).
    case timeLimit(seconds: Double)
    /// The iteration limit was reached (`GLP_EITLIM`).
    case iterationLimit
    /// The solver gave up: singular or ill-conditioned basis, numerical instability and so on.
    case solverFailed(code: Int32, reason: String)
    /// A file could not be written.
    case writeFailed(path: String)

    public var description: String {
        switch self {
        case .invalidData(let s): return "invalid linear program: \(s)"
        case .infeasible: return "the linear program is infeasible"
        case .unbounded: return "the linear program is unbounded"
        case .timeLimit(let s): return "the solver reached its time limit of \(s) s without an optimum"
        case .iterationLimit: return "the solver reached its iteration limit without an optimum"
        case .solverFailed(let code, let reason): return "the solver failed (GLPK code \(code)): \(reason)"
        case .writeFailed(let path): return "could not write \(path)"
        }
    }
}
