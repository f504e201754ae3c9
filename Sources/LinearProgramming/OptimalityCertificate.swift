import Foundation

/// An a-posteriori proof that a solution is optimal, computed from the program's own data and
/// independent of the solver's tolerances (which are absolute in its scaled units: GLPK's
/// `tol_dj` = 1e-7 lets a reduced cost of 1e-9 kg per CU*h pass as zero, and with 1e12 CU*h to
/// move that is a whole plan's emissions).
///
/// Weak duality for a program with bounded columns: for any row prices y,
///
///     L(y) = sum_j min over [l_j, u_j] of (c_j - a_j·y) x_j + sum_i min over [rl_i, ru_i] of y_i w_i
///
/// is a lower bound on the optimum (rows as `a_i·x = w_i`, `rl_i <= w_i <= ru_i`). With the
/// solver's duals (signs clipped where a row bound is infinite) it is the bound; the primal
/// objective at the solution, clipped to its column bounds, is an upper bound if the rows hold.
/// The gap between the two is how much better any plan could be, in the objective's own units.
/// Sums are compensated (double-double), so cancelling terms of 1e12 leave no rounding error
/// that could pass for a gap.
public struct OptimalityCertificate: Sendable, CustomStringConvertible {
    /// Objective at the solution (columns clipped to their bounds).
    public let objective: Double
    /// The Lagrangian bound from the row duals; -infinity when a column with an infinite bound
    /// has a reduced cost of the wrong sign.
    public let lowerBound: Double
    /// The worst row violation relative to the row's own magnitude (sum of |a_ij x_j| plus |bound|).
    public let worstRowViolation: Double
    public let worstRow: Int?
    /// What double precision cannot tell from zero in the bound: the duals' rounding over each
    /// column's range (`dualRounding`).
    public let roundingAllowance: Double

    public var gap: Double { objective - lowerBound }

    /// Tolerances: the gap relative to the objective, rows relative to their magnitude.
    public static let relativeGap = 1e-7
    public static let relativeRowViolation = 1e-9

    public var gapAllowed: Double {
        Self.relativeGap * max(abs(objective), abs(lowerBound)) + roundingAllowance
    }

    /// What the row violations are worth at the row duals (sum of |y_i| times violation): an
    /// infeasible point can undercut the optimum by about this much. On ill-conditioned data a
    /// violation of 1e-9 of a row can be worth 1e-4 of the objective.
    public let violationValue: Double

    public var isPrimalFeasible: Bool { worstRowViolation <= Self.relativeRowViolation }
    /// No plan is better by more than `gapAllowed`, and this one does not gain that much by
    /// bending rows.
    public var isOptimal: Bool { gap <= gapAllowed && violationValue <= gapAllowed }
    public var certifies: Bool { isPrimalFeasible && isOptimal }

    public var description: String {
        var parts: [String] = []
        if !isPrimalFeasible {
            parts.append("row \(worstRow.map(String.init) ?? "?") violated by \(String(format: "%.2e", worstRowViolation)) of its magnitude")
        }
        if violationValue > gapAllowed {
            parts.append("its row violations are worth \(format(violationValue)) of objective")
        }
        if gap > gapAllowed {
            parts.append("objective \(format(objective)) but a plan as low as \(format(lowerBound)) may exist (gap \(format(gap)), allowed \(format(gapAllowed)))")
        }
        return parts.isEmpty ? "optimal: objective \(format(objective)), gap \(format(gap)) (allowed \(format(gapAllowed)))"
            : parts.joined(separator: "; ")
    }

    private func format(_ x: Double) -> String { String(format: "%.9g", x) }
}

extension LinearProgram {
    /// The primal half of a certificate: objective and row violations of `values` (no duals, so
    /// no bound).
    public func certificate(ofValues values: [Double], matrix: SparseMatrix) -> OptimalityCertificate {
        certificate(of: Solution(objective: 0, columnValues: values, rowDuals: Array(repeating: 0, count: rowCount),
                                 columnDuals: [], iterations: 0, seconds: 0), matrix: matrix)
    }

    /// Certifies `solution` (program column values, row duals in GLPK's convention) against this
    /// program. `matrix` is `validatedMatrix()`. Only minimization is supported.
    public func certificate(of solution: Solution, matrix: SparseMatrix) -> OptimalityCertificate {
        precondition(sense == .minimize, "certificates are written for minimization")
        precondition(solution.columnValues.count == columnCount && solution.rowDuals.count == rowCount)
        let x = (0 ..< columnCount).map { j in min(max(solution.columnValues[j], columnLower[j]), columnUpper[j]) }
        // Row prices with the sign a finite bound can carry: y > 0 needs a lower bound, y < 0 an upper.
        let y = (0 ..< rowCount).map { i -> Double in
            let v = solution.rowDuals[i]
            if v > 0, !rowLower[i].isFinite { return 0 }
            if v < 0, !rowUpper[i].isFinite { return 0 }
            return v
        }

        var activity = [CompensatedSum](repeating: CompensatedSum(), count: rowCount)
        // A row's magnitude: the sum of |a_ij x_j| (its bound is added where it is violated).
        var magnitude = [Double](repeating: 0, count: rowCount)
        var primal = CompensatedSum(), bound = CompensatedSum()
        var allowance = 0.0
        var unbounded = false
        for j in 0 ..< columnCount {
            let range = columnUpper[j] - columnLower[j]
            let span = range.isFinite ? range : abs(x[j])
            var reduced = CompensatedSum()
            reduced.add(self.objective[j])
            var size = abs(self.objective[j])
            for p in matrix.columnStart[j] ..< matrix.columnStart[j + 1] {
                let i = Int(matrix.rowIndex[p]), a = matrix.values[p]
                activity[i].addProduct(a, x[j])
                // The values taken, not the ranges: 1e-9 of what a row's columns could carry
                // (a megawatt) may be a hundred times what they do carry (a kilowatt).
                magnitude[i] += abs(a * x[j])
                reduced.addProduct(-a, y[i])
                size += abs(a * y[i])
            }
            primal.addProduct(self.objective[j], x[j])
            let d = reduced.value
            guard d != 0 else { continue }
            // Duals read back as doubles are known to about 1e-16 of the terms of each reduced
            // cost: an exact zero (a basic column) may come back as that much, which the bound
            // then counts over the column's whole range. A larger reduced cost is real.
            if abs(d) <= Self.dualRounding * size { allowance += abs(d) * span }
            let at = d > 0 ? columnLower[j] : columnUpper[j]
            guard at.isFinite else { unbounded = true; continue }
            bound.addProduct(reduced, at)
        }
        var worst = 0.0, worstRow: Int? = nil, violationValue = 0.0
        for i in 0 ..< rowCount {
            let a = activity[i].value
            let violation = max(rowLower[i] - a, a - rowUpper[i], 0)
            if violation > 0 {
                let nearest = violation == rowLower[i] - a ? rowLower[i] : rowUpper[i]
                let relative = violation / (magnitude[i] + abs(nearest))
                if relative > worst { (worst, worstRow) = (relative, i) }
                violationValue += abs(solution.rowDuals[i]) * violation
            }
            if y[i] != 0 { bound.addProduct(y[i], y[i] > 0 ? rowLower[i] : rowUpper[i]) }
        }
        return OptimalityCertificate(
            objective: primal.value, lowerBound: unbounded ? -.infinity : bound.value,
            worstRowViolation: worst, worstRow: worstRow, roundingAllowance: allowance, violationValue: violationValue)
    }

    /// Four units in the last place of a double.
    static let dualRounding = 4 * Double.ulpOfOne
}

/// Double-double accumulation (Knuth's TwoSum, products split exactly with FMA): sums of terms
/// that cancel keep about 30 significant digits.
struct CompensatedSum {
    private var high = 0.0, low = 0.0

    var value: Double { high + low }

    mutating func add(_ x: Double) {
        let s = high + x
        let bp = s - high
        low += (high - (s - bp)) + (x - bp)
        high = s
    }

    /// Adds `a * b` exactly (to double-double precision), for a compensated `a`.
    mutating func addProduct(_ a: CompensatedSum, _ b: Double) {
        addProduct(a.high, b)
        addProduct(a.low, b)
    }

    mutating func addProduct(_ a: Double, _ b: Double) {
        let p = a * b
        add(p)
        low += (-p).addingProduct(a, b)  // the exact rounding error of a * b
    }
}
