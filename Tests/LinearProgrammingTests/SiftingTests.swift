import Foundation
import Testing
@testable import LinearProgramming

/// Sifting and block-by-block solving reach the optimum of the whole LP, with the same duals'
/// meaning, on LPs built like greenshift's: regions that each serve their own demand over time
/// (a block per region, chained by storage), linked by transfers that sifting brings in.
@Suite struct SiftingTests {
    /// A region r has, per period t: production g (cost varies, capacity-bounded), unserved u
    /// (expensive), storage s carried to t+1, and transfers m[r->q,t] to every other region at a
    /// small cost. Row bal[r,t]: g + imports - exports + s[t-1] - s[t] + u = demand.
    /// Returns the LP and the transfer columns.
    static func regions(_ count: Int, periods: Int, seed: UInt64) -> (LinearProgram, transfers: Set<Int>) {
        var state = seed
        func next() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53)
        }
        var lp = LinearProgram()
        let demand = (0 ..< count * periods).map { _ in 10 + 20 * next() }
        lp.addRows(lower: demand, upper: demand)
        func row(_ r: Int, _ t: Int) -> Int { r * periods + t }
        var transfers = Set<Int>()
        for r in 0 ..< count {
            for t in 0 ..< periods {
                let g = lp.addColumns(lower: [0], upper: [15 + 10 * next()], objective: [1 + 9 * next()]).lowerBound
                lp.addCoefficient(row: row(r, t), column: g, value: 1)
                let u = lp.addColumns(lower: [0], upper: [demand[row(r, t)]], objective: [1000]).lowerBound
                lp.addCoefficient(row: row(r, t), column: u, value: 1)
                if t + 1 < periods {
                    let s = lp.addColumns(lower: [0], upper: [20], objective: [0.01]).lowerBound
                    lp.addCoefficient(row: row(r, t), column: s, value: -1)
                    lp.addCoefficient(row: row(r, t + 1), column: s, value: 0.95)
                }
                for q in 0 ..< count where q != r {
                    let m = lp.addColumns(lower: [0], upper: [8], objective: [0.2 + next()]).lowerBound
                    lp.addCoefficient(row: row(r, t), column: m, value: -1)
                    lp.addCoefficient(row: row(q, t), column: m, value: 1)
                    transfers.insert(m)
                }
            }
        }
        return (lp, transfers)
    }

    static func maxViolation(_ lp: LinearProgram, _ x: [Double]) -> Double {
        var activity = [Double](repeating: 0, count: lp.rowCount)
        for k in 0 ..< lp.tripletCount { activity[Int(lp.tripletRows[k])] += lp.tripletValues[k] * x[Int(lp.tripletColumns[k])] }
        var worst = 0.0
        for i in 0 ..< lp.rowCount { worst = max(worst, lp.rowLower[i] - activity[i], activity[i] - lp.rowUpper[i]) }
        for j in 0 ..< lp.columnCount { worst = max(worst, lp.columnLower[j] - x[j], x[j] - lp.columnUpper[j]) }
        return worst
    }

    @Test(arguments: [1, 2, 3] as [UInt64])
    func siftingReachesTheWholeOptimum(seed: UInt64) throws {
        let (lp, transfers) = Self.regions(6, periods: 8, seed: seed)
        let whole = try GLPKProblem(lp).solve()
        let sifting = try SiftingProblem(lp, initialColumns: (0 ..< lp.columnCount).filter { !transfers.contains($0) })
        let s = try sifting.solve()
        #expect(abs(s.objective - whole.objective) <= 1e-7 * abs(whole.objective))
        #expect(s.columnValues.count == lp.columnCount && s.columnDuals.count == lp.columnCount)
        #expect(Self.maxViolation(lp, s.columnValues) < 1e-6)
        // Optimal over every column: no reduced cost below zero at a lower bound of zero.
        for j in transfers where s.columnValues[j] < 1e-9 { #expect(s.columnDuals[j] > -1e-6) }
        #expect(!sifting.joined.isEmpty, "transfers pay here, so some must join")
        #expect(sifting.workingColumnCount < lp.columnCount)
        #expect(sifting.log.contains("blocks solved one by one"))
    }

    @Test func mergingBlocksOrNotGivesTheSameOptimum() throws {
        let (lp, transfers) = Self.regions(9, periods: 6, seed: 4)
        let unmoved = (0 ..< lp.columnCount).filter { !transfers.contains($0) }
        let merged = try SiftingProblem(lp, initialColumns: unmoved)
        let direct = try SiftingProblem(lp, initialColumns: unmoved)
        direct.mergeBlocks = false
        let a = try merged.solve(), b = try direct.solve()
        #expect(abs(a.objective - b.objective) <= 1e-7 * abs(b.objective))
        #expect(merged.log.contains("level 1:"))
        #expect(!direct.log.contains("level 1:"))
    }

    @Test func blockByBlockEqualsTheWhole() throws {
        // Transfers left out, the LP falls apart into one block per region; an empty row and a
        // column in no row come along.
        let (full, transfers) = Self.regions(5, periods: 7, seed: 9)
        var rowPosition = [Int](repeating: -1, count: full.rowCount)
        var lp = full.restricted(rows: Array(0 ..< full.rowCount), columns: (0 ..< full.columnCount).filter { !transfers.contains($0) },
                                 objective: full.objective, matrix: try full.validatedMatrix(), rowPosition: &rowPosition)
        lp.addRows(lower: [-1], upper: [1])
        lp.addColumns(lower: [2], upper: [5], objective: [3])
        let blocks = BlockDecomposition.blocks(of: lp, matrix: try lp.validatedMatrix(), columns: Array(0 ..< lp.columnCount))
        #expect(blocks.count == 5 + 1 + 1, "five regions, the empty row, the loose column")
        for minimumRows in [1, 256] {
            let s = try BlockDecomposition.solve(lp, minimumRows: minimumRows)
            let whole = try GLPKProblem(lp).solve()
            #expect(abs(s.objective - whole.objective) <= 1e-7 * abs(whole.objective))
            #expect(Self.maxViolation(lp, s.columnValues) < 1e-6)
            #expect(abs(s.columnValues.last! - 2) < 1e-9)
        }
    }

    @Test func aBasisCarriesOverToAnotherProblem() throws {
        let (lp, _) = Self.regions(3, periods: 4, seed: 5)
        let first = GLPKProblem(lp, matrix: try lp.validatedMatrix(), columns: nil)
        let solved = try first.solve()
        let second = try GLPKProblem(lp)
        try second.setBasis(first.basis)
        let again = try second.solve(SolverOptions(method: .primalSimplex, presolve: false))
        #expect(again.iterations == 0)
        #expect(abs(again.objective - solved.objective) <= 1e-9 * abs(solved.objective))
        #expect(throws: LPError.self) { try second.setBasis(GLPKProblem.Basis(rows: [], columns: [])) }
    }

    /// The tie-break's path: restrict to the optimal face, then a second objective may only move
    /// along it, also through columns that were outside the working set.
    @Test func optimalFaceHoldsAcrossOutsideColumns() throws {
        let (lp, transfers) = Self.regions(4, periods: 5, seed: 6)
        let sifting = try SiftingProblem(lp, initialColumns: (0 ..< lp.columnCount).filter { !transfers.contains($0) })
        let first = try sifting.solve()
        sifting.restrictToOptimalFace()
        // Second objective: as little transferred as possible.
        try sifting.setObjective((0 ..< lp.columnCount).map { transfers.contains($0) ? 1 : 0 })
        let second = try sifting.solve(SolverOptions(method: .primalSimplex, presolve: false))
        let firstCost = zip(lp.objective, second.columnValues).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(firstCost - first.objective) <= 1e-6 * abs(first.objective))
        #expect(Self.maxViolation(lp, second.columnValues) < 1e-6)
        // A row over outside columns is accepted.
        let outside = transfers.sorted().prefix(3)
        try sifting.addRow(columns: Array(outside), coefficients: [1, 1, 1], lower: 0, upper: 100)
        #expect(sifting.rowCount == lp.rowCount + 1)
    }
}
