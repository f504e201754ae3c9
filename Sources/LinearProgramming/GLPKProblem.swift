import CGLPK
import Foundation

/// A linear program loaded into GLPK (a `glp_prob`), ready to be solved, changed and solved
/// again from the last basis.
///
/// GLPK keeps its environment per thread, so a problem is created, solved, read and freed on one
/// thread: this class is deliberately not `Sendable`. GLPK aborts the process on invalid calls;
/// every method checks its arguments in Swift first and throws `LPError` instead.
/// Reference: GLPK reference manual (Debian `glpk-doc`, glpk.pdf), chapter 2.
public final class GLPKProblem {
    private let prob: OpaquePointer
    public private(set) var rowCount: Int
    public private(set) var columnCount: Int
    /// GLPK's terminal output, captured rather than printed.
    public private(set) var log = ""

    /// Loads `program` with one `glp_add_rows`, one `glp_add_cols` and one `glp_load_matrix`.
    public convenience init(_ program: LinearProgram) throws(LPError) {
        self.init(program, matrix: try program.validatedMatrix(), columns: nil)
    }

    /// Reads an LP that GLPK or another solver wrote (`glp_read_mps` with `GLP_MPS_FILE`, `glp_read_lp`).
    public init(reading path: String, format: FileFormat) throws(LPError) {
        let prob = glp_create_prob()!
        glp_term_hook({ _, _ in 1 }, nil)  // GLPK prints nothing itself
        let code: Int32
        switch format {
        case .mps: code = glp_read_mps(prob, GLP_MPS_FILE, nil, path)
        case .lp: code = glp_read_lp(prob, nil, path)
        }
        glp_term_hook(nil, nil)
        guard code == 0 else {
            glp_delete_prob(prob)
            throw .invalidData("GLPK cannot read \(path) as \(format.rawValue)")
        }
        self.prob = prob
        rowCount = Int(glp_get_num_rows(prob))
        columnCount = Int(glp_get_num_cols(prob))
    }

    /// The constraint matrix's nonzeros as GLPK holds them.
    public var nonzeroCount: Int { Int(glp_get_num_nz(prob)) }

    /// Loads every row of `program` but only `columns` (all when nil), in that order: GLPK column
    /// k is program column `columns[k]`. `matrix` is `program.validatedMatrix()`.
    init(_ program: LinearProgram, matrix: SparseMatrix, columns: [Int]?) {
        prob = glp_create_prob()
        rowCount = program.rowCount
        columnCount = columns?.count ?? program.columnCount
        glp_set_obj_dir(prob, program.sense == .minimize ? GLP_MIN : GLP_MAX)
        if rowCount > 0 { glp_add_rows(prob, Int32(rowCount)) }
        if columnCount > 0 { glp_add_cols(prob, Int32(columnCount)) }
        for i in 0 ..< rowCount {
            let (type, lo, up) = Self.boundType(program.rowLower[i], program.rowUpper[i])
            glp_set_row_bnds(prob, Int32(i + 1), type, lo, up)
        }
        if let names = program.rowNames {
            for (i, name) in names.enumerated() { glp_set_row_name(prob, Int32(i + 1), Self.glpkName(name)) }
        }
        let source = columns ?? Array(0 ..< program.columnCount)
        for (k, j) in source.enumerated() { setColumn(Int32(k + 1), to: j, of: program, cost: program.objective[j]) }
        // glp_load_matrix takes 1-based triplets with element 0 unused.
        let ne = source.reduce(0) { $0 + matrix.columnStart[$1 + 1] - matrix.columnStart[$1] }
        var ia = [Int32](repeating: 0, count: ne + 1)
        var ja = [Int32](repeating: 0, count: ne + 1)
        var ar = [Double](repeating: 0, count: ne + 1)
        var e = 1
        for (k, j) in source.enumerated() {
            for p in matrix.columnStart[j] ..< matrix.columnStart[j + 1] {
                ia[e] = matrix.rowIndex[p] + 1
                ja[e] = Int32(k + 1)
                ar[e] = matrix.values[p]
                e += 1
            }
        }
        glp_load_matrix(prob, Int32(ne), ia, ja, ar)
    }

    /// Appends program columns `columns` after the loaded ones, non-basic at their lower bound,
    /// with costs from `objective` (one per program column; `program` and `matrix` as in
    /// `init(_:matrix:columns:)`). The basis stays valid.
    func appendColumns(_ columns: [Int], of program: LinearProgram, objective: [Double], matrix: SparseMatrix) {
        guard !columns.isEmpty else { return }
        let first = glp_add_cols(prob, Int32(columns.count))
        var ind = [Int32](repeating: 0, count: rowCount + 1)
        var val = [Double](repeating: 0, count: rowCount + 1)
        for (k, j) in columns.enumerated() {
            let c = first + Int32(k)
            setColumn(c, to: j, of: program, cost: objective[j])
            let range = matrix.columnStart[j] ..< matrix.columnStart[j + 1]
            for (n, p) in range.enumerated() {
                ind[n + 1] = matrix.rowIndex[p] + 1
                val[n + 1] = matrix.values[p]
            }
            glp_set_mat_col(prob, c, Int32(range.count), ind, val)
            glp_set_col_stat(prob, c, GLP_NL)
        }
        columnCount += columns.count
    }

    /// GLPK column `c` takes program column j's bounds and name, with cost `cost`.
    private func setColumn(_ c: Int32, to j: Int, of program: LinearProgram, cost: Double) {
        let (type, lo, up) = Self.boundType(program.columnLower[j], program.columnUpper[j])
        glp_set_col_bnds(prob, c, type, lo, up)
        glp_set_obj_coef(prob, c, cost)
        if let names = program.columnNames { glp_set_col_name(prob, c, Self.glpkName(names[j])) }
    }

    deinit { glp_delete_prob(prob) }

    /// Solves with the simplex method (`glp_simplex`) or the interior-point method (`glp_interior`).
    /// Without presolve the simplex starts from the current basis, so a re-solve after a small
    /// change is a warm start.
    public func solve(_ options: SolverOptions = SolverOptions()) throws(LPError) -> Solution {
        try Self.check(options)
        let started = Date()
        let iterationsBefore = glp_get_it_cnt(prob)
        if options.method == .interiorPoint {
            let code = capturingOutput { () -> Int32 in
                var parm = glp_iptcp()
                glp_init_iptcp(&parm)
                parm.msg_lev = GLP_MSG_ON
                return glp_interior(prob, &parm)
            }
            if code != 0 { throw Self.error(code: code, limit: options.timeLimitSeconds) }
            switch glp_ipt_status(prob) {
            case GLP_OPT: break
            case GLP_NOFEAS: throw .infeasible
            default: throw .solverFailed(code: glp_ipt_status(prob), reason: "interior point did not converge")
            }
            return Solution(
                objective: glp_ipt_obj_val(prob),
                columnValues: (0 ..< columnCount).map { glp_ipt_col_prim(prob, Int32($0 + 1)) },
                rowDuals: (0 ..< rowCount).map { glp_ipt_row_dual(prob, Int32($0 + 1)) },
                columnDuals: (0 ..< columnCount).map { glp_ipt_col_dual(prob, Int32($0 + 1)) },
                iterations: 0, seconds: Date().timeIntervalSince(started))
        }
        if !options.presolve {
            // Without presolve GLPK needs a valid basis factorization; repair or build one.
            if glp_bf_exists(prob) == 0 {
                _ = capturingOutput { glp_scale_prob(prob, GLP_SF_AUTO); return 0 }
                if capturingOutput({ glp_warm_up(prob) }) != 0 { glp_std_basis(prob) }
            }
        }
        let code = capturingOutput { () -> Int32 in
            var parm = glp_smcp()
            glp_init_smcp(&parm)
            parm.msg_lev = GLP_MSG_ON
            parm.meth = options.method == .primalSimplex ? GLP_PRIMAL : GLP_DUALP
            parm.pricing = options.steepestEdge ? GLP_PT_PSE : GLP_PT_STD
            parm.r_test = options.longStepRatioTest && options.method == .dualSimplex ? GLP_RT_FLIP : GLP_RT_HAR
            parm.presolve = options.presolve ? GLP_ON : GLP_OFF
            if let tolerance = options.feasibilityTolerance { (parm.tol_bnd, parm.tol_dj) = (tolerance, tolerance) }
            Self.setLimits(options, &parm)
            return glp_simplex(prob, &parm)
        }
        return try simplexSolution(code: code, options: options, started: started, iterationsBefore: iterationsBefore)
    }

    /// Solves with GLPK's simplex method in exact rational arithmetic (`glp_exact`), starting
    /// from the current basis: after a floating-point solve only the pivots that rounding got
    /// wrong remain. Its answer is exact; it is read back rounded to doubles.
    public func solveExactly(_ options: SolverOptions = SolverOptions()) throws(LPError) -> Solution {
        try Self.check(options)
        let started = Date()
        let iterationsBefore = glp_get_it_cnt(prob)
        func run() -> Int32 {
            capturingOutput { () -> Int32 in
                var parm = glp_smcp()
                glp_init_smcp(&parm)
                parm.msg_lev = GLP_MSG_ON
                Self.setLimits(options, &parm)
                return glp_exact(prob, &parm)
            }
        }
        var code = run()
        if code == GLP_EBADB || code == GLP_ESING {
            // No usable basis to start from (a fresh problem, or one the presolver left): start from slacks.
            glp_std_basis(prob)
            code = run()
        }
        return try simplexSolution(code: code, options: options, started: started, iterationsBefore: iterationsBefore)
    }

    /// Options GLPK would misread or abort on.
    private static func check(_ options: SolverOptions) throws(LPError) {
        if let limit = options.timeLimitSeconds, !(limit > 0 && limit.isFinite) {
            throw .invalidData("time limit must be a positive number of seconds, not \(limit)")
        }
        if let tolerance = options.feasibilityTolerance, !(tolerance > 0 && tolerance < 1) {
            throw .invalidData("feasibility tolerance must lie strictly between 0 and 1, not \(tolerance)")
        }
    }

    /// The time and iteration limits of `options` in GLPK's simplex parameters (both simplex
    /// routines read them from `glp_smcp`).
    private static func setLimits(_ options: SolverOptions, _ parm: inout glp_smcp) {
        if let limit = options.iterationLimit { parm.it_lim = Int32(clamping: max(limit, 1)) }
        if let limit = options.timeLimitSeconds {
            parm.tm_lim = Int32(min(limit * 1000, Double(Int32.max)).rounded(.up))
        }
    }

    private func simplexSolution(code: Int32, options: SolverOptions, started: Date, iterationsBefore: Int32) throws(LPError) -> Solution {
        if code != 0 { throw Self.error(code: code, limit: options.timeLimitSeconds) }
        switch glp_get_status(prob) {
        case GLP_OPT: break
        case GLP_NOFEAS: throw .infeasible
        case GLP_UNBND: throw .unbounded
        case let status: throw .solverFailed(code: status, reason: "simplex ended with solution status \(status)")
        }
        return Solution(
            objective: glp_get_obj_val(prob),
            columnValues: (0 ..< columnCount).map { glp_get_col_prim(prob, Int32($0 + 1)) },
            rowDuals: (0 ..< rowCount).map { glp_get_row_dual(prob, Int32($0 + 1)) },
            columnDuals: (0 ..< columnCount).map { glp_get_col_dual(prob, Int32($0 + 1)) },
            iterations: Int(glp_get_it_cnt(prob) - iterationsBefore),
            seconds: Date().timeIntervalSince(started))
    }

    /// Fixes every non-basic column and row whose reduced cost is non-zero at the bound it sits on.
    /// Every feasible point of the restricted problem satisfies complementary slackness with the
    /// current dual solution, so it is optimal for the current objective: minimizing a second
    /// objective afterwards breaks ties exactly, without trading any of the first.
    /// "Non-zero" is GLPK's own dual feasibility test (`tol_dj` = 1e-7, relative to the cost):
    /// smaller reduced costs are rounding noise, and fixing on them would cut optimal plans away.
    /// Call after an optimal simplex solve; returns how many columns and rows were fixed.
    @discardableResult
    public func restrictToOptimalFace(relativeTolerance: Double = 1e-7) -> (columns: Int, rows: Int) {
        var fixed = (columns: 0, rows: 0)
        for j in stride(from: Int32(1), through: Int32(columnCount), by: 1) {
            let stat = glp_get_col_stat(prob, j)
            let threshold = relativeTolerance * (1 + abs(glp_get_obj_coef(prob, j)))
            guard stat == GLP_NL || stat == GLP_NU, abs(glp_get_col_dual(prob, j)) > threshold else { continue }
            let v = stat == GLP_NL ? glp_get_col_lb(prob, j) : glp_get_col_ub(prob, j)
            glp_set_col_bnds(prob, j, GLP_FX, v, v)
            fixed.columns += 1
        }
        for i in stride(from: Int32(1), through: Int32(rowCount), by: 1) {
            let stat = glp_get_row_stat(prob, i)
            guard stat == GLP_NL || stat == GLP_NU, abs(glp_get_row_dual(prob, i)) > relativeTolerance else { continue }
            let v = stat == GLP_NL ? glp_get_row_lb(prob, i) : glp_get_row_ub(prob, i)
            glp_set_row_bnds(prob, i, GLP_FX, v, v)
            fixed.rows += 1
        }
        return fixed
    }

    /// Where each row and column sits in a simplex basis (`glp_get_row_stat`, `glp_get_col_stat`).
    public enum BasisStatus: Sendable, Equatable {
        case basic, atLower, atUpper, free, fixed

        init(glpk: Int32) {
            switch glpk {
            case GLP_BS: self = .basic
            case GLP_NU: self = .atUpper
            case GLP_NF: self = .free
            case GLP_NS: self = .fixed
            default: self = .atLower
            }
        }

        var glpk: Int32 {
            switch self {
            case .basic: return GLP_BS
            case .atLower: return GLP_NL
            case .atUpper: return GLP_NU
            case .free: return GLP_NF
            case .fixed: return GLP_NS
            }
        }
    }

    /// A simplex basis: the status of every row (its auxiliary variable) and column.
    public struct Basis: Sendable, Equatable {
        public var rows: [BasisStatus]
        public var columns: [BasisStatus]
        public init(rows: [BasisStatus], columns: [BasisStatus]) {
            self.rows = rows
            self.columns = columns
        }
    }

    /// The current basis: after a simplex solve, the optimal one.
    public var basis: Basis {
        Basis(rows: (0 ..< rowCount).map { BasisStatus(glpk: glp_get_row_stat(prob, Int32($0 + 1))) },
              columns: (0 ..< columnCount).map { BasisStatus(glpk: glp_get_col_stat(prob, Int32($0 + 1))) })
    }

    /// Sets the starting basis for the next solve without presolve. GLPK checks it when it
    /// factorizes; an invalid one (not exactly one basic variable per row, or singular) is
    /// replaced by the all-slack basis.
    public func setBasis(_ basis: Basis) throws(LPError) {
        guard basis.rows.count == rowCount, basis.columns.count == columnCount else {
            throw .invalidData("basis has \(basis.rows.count) rows and \(basis.columns.count) columns for \(rowCount) x \(columnCount)")
        }
        for (i, status) in basis.rows.enumerated() { glp_set_row_stat(prob, Int32(i + 1), status.glpk) }
        for (j, status) in basis.columns.enumerated() { glp_set_col_stat(prob, Int32(j + 1), status.glpk) }
    }

    /// Recomputes the scaling (`glp_scale_prob` with `GLP_SF_AUTO`), for instance after columns
    /// were added; the next solve refactorizes the current basis.
    func rescale() {
        _ = capturingOutput { glp_scale_prob(prob, GLP_SF_AUTO); return 0 }
    }

    /// Replaces the objective coefficients of every column.
    public func setObjective(_ cost: [Double]) throws(LPError) {
        guard cost.count == columnCount else {
            throw .invalidData("objective has \(cost.count) coefficients for \(columnCount) columns")
        }
        if let j = cost.firstIndex(where: { !$0.isFinite }) {
            throw .invalidData("objective coefficient of column \(j) is \(cost[j])")
        }
        for j in 0 ..< columnCount { glp_set_obj_coef(prob, Int32(j + 1), cost[j]) }
    }

    /// Appends the row `lower <= sum coefficients[k] * x[columns[k]] <= upper`; returns its index.
    /// The new row is basic, so the current basis stays valid for a warm start.
    @discardableResult
    public func addRow(columns: [Int], coefficients: [Double], lower: Double, upper: Double,
                       name: String? = nil) throws(LPError) -> Int {
        guard columns.count == coefficients.count else { throw .invalidData("row arrays differ in length") }
        var merged: [Int: Double] = [:]
        for (j, v) in zip(columns, coefficients) {
            guard (0 ..< columnCount).contains(j) else { throw .invalidData("row refers to column \(j) of \(columnCount)") }
            guard v.isFinite else { throw .invalidData("row coefficient of column \(j) is \(v)") }
            merged[j, default: 0] += v
        }
        if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity || lower > upper {
            throw .invalidData("new row has bounds [\(lower), \(upper)]")
        }
        let entries = merged.filter { $0.value != 0 }.sorted { $0.key < $1.key }
        let i = glp_add_rows(prob, 1)
        if let name { glp_set_row_name(prob, i, Self.glpkName(name)) }
        let (type, lo, up) = Self.boundType(lower, upper)
        glp_set_row_bnds(prob, i, type, lo, up)
        let ind: [Int32] = [0] + entries.map { Int32($0.key + 1) }
        let val: [Double] = [0] + entries.map(\.value)
        glp_set_mat_row(prob, i, Int32(entries.count), ind, val)
        rowCount += 1
        return Int(i) - 1
    }

    public enum FileFormat: String, Sendable, CaseIterable {
        /// Free MPS (`glp_write_mps` with `GLP_MPS_FILE`), read by every LP solver.
        case mps
        /// CPLEX LP format (`glp_write_lp`), easier to read by eye.
        case lp
    }

    /// Writes the problem as it is now. GLPK writes straight to `path`, then the file is read
    /// back: GLPK does not see an error when its last buffer is flushed (a full disk, a file
    /// size limit), so a truncated file would otherwise pass as written.
    public func write(to path: String, format: FileFormat) throws(LPError) {
        let code = capturingOutput { () -> Int32 in
            switch format {
            case .mps: return glp_write_mps(prob, GLP_MPS_FILE, nil, path)
            case .lp: return glp_write_lp(prob, nil, path)
            }
        }
        if code != 0 { throw .writeFailed(path: path) }
        guard let back = try? GLPKProblem(reading: path, format: format), back.rowCount == rowCount,
              back.columnCount == columnCount, back.nonzeroCount == nonzeroCount else { throw .writeFailed(path: path) }
    }

    // MARK: - Internals

    private static func boundType(_ lower: Double, _ upper: Double) -> (Int32, Double, Double) {
        switch (lower.isFinite, upper.isFinite) {
        case (false, false): return (GLP_FR, 0, 0)
        case (true, false): return (GLP_LO, lower, 0)
        case (false, true): return (GLP_UP, 0, upper)
        case (true, true): return lower == upper ? (GLP_FX, lower, upper) : (GLP_DB, lower, upper)
        }
    }

    /// GLPK names are 1..255 characters without control characters; MPS also forbids spaces.
    private static func glpkName(_ name: String) -> String {
        var cleaned = String(name.map { $0.isWhitespace || !$0.isASCII || $0.asciiValue! < 32 ? "_" : $0 })
        if cleaned.isEmpty { cleaned = "_" }
        return String(cleaned.prefix(255))
    }

    private static func error(code: Int32, limit: Double?) -> LPError {
        switch code {
        case GLP_ENOPFS: return .infeasible
        case GLP_ENODFS: return .unbounded
        case GLP_ETMLIM: return .timeLimit(seconds: limit ?? 0)
        case GLP_EITLIM: return .iterationLimit
        case GLP_EBADB: return .solverFailed(code: code, reason: "invalid initial basis")
        case GLP_ESING: return .solverFailed(code: code, reason: "singular basis matrix")
        case GLP_ECOND: return .solverFailed(code: code, reason: "ill-conditioned basis matrix")
        case GLP_EBOUND: return .solverFailed(code: code, reason: "invalid bounds")
        case GLP_EFAIL: return .solverFailed(code: code, reason: "numerical failure")
        case GLP_ENOCVG: return .solverFailed(code: code, reason: "no convergence")
        case GLP_EINSTAB: return .solverFailed(code: code, reason: "numerical instability")
        default: return .solverFailed(code: code, reason: "GLPK returned \(code)")
        }
    }

    /// Runs `body` with GLPK's terminal output redirected into `log`.
    private func capturingOutput<T>(_ body: () -> T) -> T {
        let sink = LogSink()
        let info = Unmanaged.passRetained(sink)
        glp_term_hook({ info, text in
            if let info, let text {
                Unmanaged<LogSink>.fromOpaque(info).takeUnretainedValue().text += String(cString: text)
            }
            return 1  // non-zero: GLPK prints nothing itself
        }, info.toOpaque())
        defer {
            glp_term_hook(nil, nil)
            info.release()
            log += sink.text
        }
        return body()
    }
}

private final class LogSink { var text = "" }

extension GLPKProblem {
    /// The linked GLPK library's version, e.g. "5.0".
    public static var version: String { String(cString: glp_version()) }
}
