import Foundation

/// A linear program solved by sifting (Bixby, Gregory, Lustig, Marsten and Shanno 1992, "Very
/// large-scale linear programming: a case study in combining interior point and simplex methods";
/// CPLEX calls it "sifting", Gurobi "sifting" too): GLPK holds every row but only a working set of
/// columns. The others stay at zero until, priced against the working problem's duals, their
/// reduced cost says they would improve the objective; then they join and the simplex goes on
/// from the basis it had. When no column outside prices out, the working problem's optimum is the
/// whole program's.
///
/// It pays when most columns are zero at the optimum and a good working set is known: the
/// simplex method's cost per iteration grows with the number of columns. The first solve also
/// splits the working set into independent blocks when it falls apart (`BlockDecomposition`),
/// solves them one by one, merges them pairwise, level by level, while columns between them
/// price out (`startFromBlocks`), and starts the whole from the merged basis.
///
/// With every column in the working set it is a plain `GLPKProblem`.
public final class SiftingProblem {
    public let program: LinearProgram
    /// `program.validatedMatrix()`, for certificates.
    public let matrix: SparseMatrix
    private let problem: GLPKProblem
    /// Program column of each GLPK column.
    private var columnOf: [Int]
    /// GLPK column of each program column, or -1 while it is outside the working set.
    private var position: [Int]
    /// Outside columns that may still join (not fixed at zero by `restrictToOptimalFace`).
    private var mayJoin: [Bool]
    private var cost: [Double]
    private var lastRowDuals: [Double]? = nil
    private var solvedOnce = false
    /// Smallest block solved on its own by the first solve (see `BlockDecomposition`).
    public var minimumBlockRows = 256
    private var notes = ""
    /// GLPK's output for the blocks and the whole, then one line per pricing round.
    public var log: String { blockLog + problem.log + notes }
    private var blockLog = ""
    /// Columns that joined, per pricing round, over every solve so far.
    public private(set) var joined: [Int] = []

    /// Loads `program` with the working set `initialColumns`. Columns that could not sit at zero
    /// with nothing to gain by lowering them (lower bound other than 0) join from the start.
    public init(_ program: LinearProgram, initialColumns: some Sequence<Int>) throws(LPError) {
        self.program = program
        matrix = try program.validatedMatrix()
        var inSet = [Bool](repeating: false, count: program.columnCount)
        for j in initialColumns {
            guard (0 ..< program.columnCount).contains(j) else {
                throw .invalidData("initial column \(j) of \(program.columnCount)")
            }
            inSet[j] = true
        }
        for j in 0 ..< program.columnCount where program.columnLower[j] != 0 { inSet[j] = true }
        columnOf = (0 ..< program.columnCount).filter { inSet[$0] }
        position = [Int](repeating: -1, count: program.columnCount)
        for (k, j) in columnOf.enumerated() { position[j] = k }
        mayJoin = inSet.map { !$0 }
        cost = program.objective
        problem = GLPKProblem(program, matrix: matrix, columns: columnOf)
    }

    public var workingColumnCount: Int { columnOf.count }
    public var rowCount: Int { problem.rowCount }

    /// Solves to optimality over every column. The first solve uses `options` (block by block
    /// when the working set falls apart); later rounds, and later solves, continue from the last
    /// basis with the primal simplex: joining columns keeps the basis primal feasible. The
    /// interior-point method leaves no basis to continue from, so it brings in every column first.
    public func solve(_ options: SolverOptions = SolverOptions()) throws(LPError) -> Solution {
        let started = Date()
        let deadline = Deadline(options)
        func note(_ line: String) { notes += "sifting: " + line + "\n" }
        var iterations = 0
        var current: Solution
        if options.method == .interiorPoint {
            addColumns((0 ..< program.columnCount).filter { mayJoin[$0] })
            current = try problem.solve(deadline.remaining(options))
            iterations += current.iterations
        } else if !solvedOnce, let start = startingBasis {
            try problem.setBasis(start)
            current = try problem.solve(deadline.remaining(Self.warm(options)))
            iterations += current.iterations
        } else if !solvedOnce {
            let blocks = BlockDecomposition.blocks(of: program, matrix: matrix, columns: columnOf)
            if blocks.filter({ !$0.rows.isEmpty && !$0.columns.isEmpty }).count > 1 {
                iterations += try startFromBlocks(blocks, options, deadline, note)
                current = try problem.solve(deadline.remaining(Self.warm(options)))
            } else {
                current = try problem.solve(deadline.remaining(options))
            }
            iterations += current.iterations
        } else {
            current = try problem.solve(deadline.remaining(Self.warm(options)))
            iterations += current.iterations
        }
        solvedOnce = true
        while true {
            lastRowDuals = current.rowDuals
            let entering = priceOut(current.rowDuals)
            note("\(columnOf.count) columns, objective \(current.objective), \(entering.count) more price out")
            guard !entering.isEmpty, options.method != .interiorPoint else { break }
            addColumns(entering)
            joined.append(entering.count)
            problem.rescale()
            let roundStart = Date()
            current = try problem.solve(deadline.remaining(Self.warm(options)))
            iterations += current.iterations
            note("round: \(current.iterations) iterations, \(String(format: "%.2f", Date().timeIntervalSince(roundStart))) s")
        }
        return fullSolution(current, iterations: iterations, seconds: Date().timeIntervalSince(started))
    }

    /// Solves in exact rational arithmetic (`GLPKProblem.solveExactly`) over every column that
    /// may join, from the current basis: the fallback when a floating-point answer cannot be
    /// certified (`OptimalityCertificate`). Columns join non-basic at zero, so a basis from an
    /// earlier solve stays a valid start.
    public func solveExactly(_ options: SolverOptions = SolverOptions()) throws(LPError) -> Solution {
        try solveWhole { (problem: GLPKProblem) throws(LPError) -> Solution in try problem.solveExactly(options) }
    }

    /// Every column that may join, then the primal simplex from the current basis with GLPK's
    /// tolerances at `tolerance`: the cheap first remedy for an answer that could not be
    /// certified (sifting's pricing and GLPK's `tol_dj` both let small gains pass).
    public func polish(_ options: SolverOptions = SolverOptions(), tolerance: Double = 1e-10) throws(LPError) -> Solution {
        var tight = Self.warm(options)
        tight.feasibilityTolerance = tolerance
        return try solveWhole { (problem: GLPKProblem) throws(LPError) -> Solution in
            problem.rescale()
            return try problem.solve(tight)
        }
    }

    private func solveWhole(_ body: (GLPKProblem) throws(LPError) -> Solution) throws(LPError) -> Solution {
        let started = Date()
        addColumns((0 ..< program.columnCount).filter { mayJoin[$0] })
        let whole = try body(problem)
        solvedOnce = true
        lastRowDuals = whole.rowDuals
        return fullSolution(whole, iterations: whole.iterations, seconds: Date().timeIntervalSince(started))
    }

    /// A basis to start the first solve from instead of solving block by block (for the merged
    /// blocks of `startFromBlocks`).
    private var startingBasis: GLPKProblem.Basis? = nil
    /// Merge the blocks pairwise, level by level, before the whole (see `startFromBlocks`).
    public var mergeBlocks = true

    /// Solves the working set block by block, then, while moves between blocks price out, merges
    /// the blocks pairwise (those most linked by such columns first) and solves every merged pair
    /// on its own, from its halves' bases, with the columns inside it. Each level halves the
    /// number of blocks; what is left is the whole, whose starting basis this sets, with every
    /// column that joined on the way. Merging first keeps most simplex iterations in small LPs.
    private func startFromBlocks(_ blocks: [(rows: [Int], columns: [Int])], _ options: SolverOptions,
                                 _ deadline: Deadline,
                                 _ note: (String) -> Void) throws(LPError) -> Int {
        let started = Date()
        let (blockSolution, blockBasis, blockLog) = try BlockDecomposition.solve(
            program, matrix: matrix, columns: columnOf, deadline.remaining(options), minimumRows: minimumBlockRows)
        self.blockLog += blockLog
        note("\(blocks.count) blocks solved one by one in \(blockSolution.iterations) iterations, \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        var iterations = blockSolution.iterations
        var merge = MergeState(program: program, columnOf: columnOf, basis: blockBasis, duals: blockSolution.rowDuals,
                               group: rowGroups(blocks))
        var level = 0
        while mergeBlocks {
            level += 1
            let links = linksBetweenGroups(merge)
            // Merging the last two linked groups makes the whole: left to the caller.
            guard links.linkingColumns > 0, links.linkedGroups > 2 else { break }
            let rowsOf = rowsByGroup(merge.group)
            // Not empty: at least one pair is linked.
            let pairs = Self.matching(links.weight, rowsOf: rowsOf)
            let levelStart = Date()
            var levelIterations = 0
            for pair in pairs {
                levelIterations += try solveMerged(pair, links, rowsOf, &merge, options, deadline)
            }
            iterations += levelIterations
            note("level \(level): \(pairs.count) pairs of \(links.linkedGroups) linked blocks, \(links.linkingColumns) columns link them; \(levelIterations) iterations, \(String(format: "%.2f", Date().timeIntervalSince(levelStart))) s")
        }
        addColumns((0 ..< program.columnCount).filter { merge.inWorking[$0] && position[$0] < 0 })
        try problem.setBasis(GLPKProblem.Basis(rows: merge.rowStatus, columns: columnOf.map { merge.columnStatus[$0] }))
        return iterations
    }

    /// What merging carries from level to level: a basis status for every row and program
    /// column, the row duals, the working set, and the group each row now belongs to.
    private struct MergeState {
        var rowStatus: [GLPKProblem.BasisStatus]
        var columnStatus: [GLPKProblem.BasisStatus]
        var duals: [Double]
        var inWorking: [Bool]
        var group: [Int]
        /// Scratch for `LinearProgram.restricted`: a row's place in the pair being built.
        var rowInPair: [Int]

        /// The blocks' solution over the working set `columnOf`; outside columns sit at their lower bound.
        init(program: LinearProgram, columnOf: [Int], basis: GLPKProblem.Basis, duals: [Double], group: [Int]) {
            rowStatus = basis.rows
            columnStatus = [GLPKProblem.BasisStatus](repeating: .atLower, count: program.columnCount)
            for (k, j) in columnOf.enumerated() { columnStatus[j] = basis.columns[k] }
            self.duals = duals
            inWorking = [Bool](repeating: false, count: program.columnCount)
            for j in columnOf { inWorking[j] = true }
            self.group = group
            rowInPair = [Int](repeating: -1, count: program.rowCount)
        }
    }

    /// Two groups, the smaller id first, so that either order names the same pair.
    private struct GroupPair: Hashable {
        let low: Int, high: Int
        init(_ a: Int, _ b: Int) { (low, high) = (min(a, b), max(a, b)) }
    }

    /// The group of every row: its block; rows without working columns join the block of another
    /// row of the first column that could join through them; rows left over are groups of their own.
    private func rowGroups(_ blocks: [(rows: [Int], columns: [Int])]) -> [Int] {
        var group = [Int](repeating: -1, count: program.rowCount)
        for (b, block) in blocks.enumerated() where !block.columns.isEmpty || block.rows.count > 1 {
            for i in block.rows { group[i] = b }
        }
        for j in 0 ..< program.columnCount where mayJoin[j] {
            let rows = matrix.columnStart[j] ..< matrix.columnStart[j + 1]
            guard let home = rows.lazy.map({ group[Int(self.matrix.rowIndex[$0])] }).first(where: { $0 >= 0 }) else { continue }
            for p in rows where group[Int(matrix.rowIndex[p])] < 0 { group[Int(matrix.rowIndex[p])] = home }
        }
        var next = blocks.count
        for i in 0 ..< program.rowCount where group[i] < 0 { group[i] = next; next += 1 }
        return group
    }

    /// Working and outside columns by the one or two groups their rows lie in (columns over three
    /// or more are left for the whole), and how many outside columns that price out link each pair.
    private struct GroupLinks {
        var inOne: [Int: [Int]] = [:]
        var inTwo: [GroupPair: [Int]] = [:]
        var weight: [GroupPair: Int] = [:]
        var linkingColumns = 0
        var linkedGroups: Int { Set(weight.keys.flatMap { [$0.low, $0.high] }).count }
    }

    private func linksBetweenGroups(_ merge: MergeState) -> GroupLinks {
        var links = GroupLinks()
        for j in 0 ..< program.columnCount where merge.inWorking[j] || mayJoin[j] {
            var d = cost[j]
            var a = -1, b = -1, spans = false
            for p in matrix.columnStart[j] ..< matrix.columnStart[j + 1] {
                let i = Int(matrix.rowIndex[p])
                d -= matrix.values[p] * merge.duals[i]
                let g = merge.group[i]
                if a < 0 || a == g { a = g } else if b < 0 || b == g { b = g } else { spans = true; break }
            }
            guard !spans, a >= 0 else { continue }
            guard b >= 0 else { links.inOne[a, default: []].append(j); continue }
            let pair = GroupPair(a, b)
            links.inTwo[pair, default: []].append(j)
            if mayJoin[j], improves(j, reducedCost: d) {
                links.weight[pair, default: 0] += 1
                links.linkingColumns += 1
            }
        }
        return links
    }

    private func rowsByGroup(_ group: [Int]) -> [Int: [Int]] {
        var rowsOf: [Int: [Int]] = [:]
        for (i, g) in group.enumerated() { rowsOf[g, default: []].append(i) }
        return rowsOf
    }

    /// A greedy matching of linked groups, densest links first (linking columns per pair of rows,
    /// so that small groups pair up rather than all joining one that grows); ties by group ids.
    private static func matching(_ weight: [GroupPair: Int], rowsOf: [Int: [Int]]) -> [GroupPair] {
        let edges = weight.map { pair, w in
            (pair: pair, density: Double(w) / Double(rowsOf[pair.low]!.count * rowsOf[pair.high]!.count))
        }.sorted { ($0.density, $1.pair.low, $1.pair.high) > ($1.density, $0.pair.low, $0.pair.high) }
        var matched = Set<Int>()
        var pairs: [GroupPair] = []
        for e in edges where !matched.contains(e.pair.low) && !matched.contains(e.pair.high) {
            matched.insert(e.pair.low); matched.insert(e.pair.high)
            pairs.append(e.pair)
        }
        return pairs
    }

    /// Solves a merged pair on its own, from its halves' bases, with the columns inside it; its
    /// basis, duals and joined columns go into `merge`, and the higher group joins the lower.
    /// Returns the simplex iterations.
    private func solveMerged(_ pair: GroupPair, _ links: GroupLinks, _ rowsOf: [Int: [Int]], _ merge: inout MergeState,
                             _ options: SolverOptions, _ deadline: Deadline) throws(LPError) -> Int {
        let rows = (rowsOf[pair.low]! + rowsOf[pair.high]!).sorted()
        let all = ((links.inOne[pair.low] ?? []) + (links.inOne[pair.high] ?? []) + (links.inTwo[pair] ?? [])).sorted()
        // Working columns first, then those that may join: a matched pair has at least one, the
        // column that links it, which no other pair of the level can have taken.
        let columns = all.filter { merge.inWorking[$0] } + all.filter { !merge.inWorking[$0] }
        let initial = all.count(where: { merge.inWorking[$0] })
        let sub = program.restricted(rows: rows, columns: columns, objective: cost, matrix: matrix, rowPosition: &merge.rowInPair)
        let solver = try SiftingProblem(sub, initialColumns: 0 ..< initial)
        solver.startingBasis = GLPKProblem.Basis(rows: rows.map { merge.rowStatus[$0] },
                                                 columns: solver.columnOf.map { merge.columnStatus[columns[$0]] })
        let solution = try solver.solve(deadline.remaining(Self.warm(options)))
        blockLog += solver.log
        let basis = solver.problem.basis
        for (k, i) in rows.enumerated() {
            merge.rowStatus[i] = basis.rows[k]
            merge.duals[i] = solution.rowDuals[k]
        }
        for (k, local) in solver.columnOf.enumerated() {
            let j = columns[local]
            merge.columnStatus[j] = basis.columns[k]
            merge.inWorking[j] = true
            mayJoin[j] = false
        }
        for i in rowsOf[pair.high]! { merge.group[i] = pair.low }
        return solution.iterations
    }

    /// Fixes the working problem to its optimal face (`GLPKProblem.restrictToOptimalFace`) and
    /// keeps out, for good, every outside column whose reduced cost is not zero: on the face it
    /// must stay at zero. Call after an optimal simplex solve.
    @discardableResult
    public func restrictToOptimalFace(relativeTolerance: Double = 1e-7) -> (columns: Int, rows: Int) {
        var fixed = problem.restrictToOptimalFace(relativeTolerance: relativeTolerance)
        guard let duals = lastRowDuals else { return fixed }
        for j in 0 ..< program.columnCount where mayJoin[j] {
            if abs(reducedCost(j, duals)) > relativeTolerance * (1 + abs(cost[j])) {
                mayJoin[j] = false
                fixed.columns += 1
            }
        }
        return fixed
    }

    /// Replaces the objective, one coefficient per program column.
    public func setObjective(_ cost: [Double]) throws(LPError) {
        guard cost.count == program.columnCount else {
            throw .invalidData("objective has \(cost.count) coefficients for \(program.columnCount) columns")
        }
        if let j = cost.firstIndex(where: { !$0.isFinite }) {
            throw .invalidData("objective coefficient of column \(j) is \(cost[j])")
        }
        self.cost = cost
        try problem.setObjective(columnOf.map { cost[$0] })
        lastRowDuals = nil
    }

    /// Appends a row over program columns (see `GLPKProblem.addRow`). Outside columns in it join
    /// first, or are left out when they are held at zero for good.
    @discardableResult
    public func addRow(columns: [Int], coefficients: [Double], lower: Double, upper: Double,
                       name: String? = nil) throws(LPError) -> Int {
        guard columns.count == coefficients.count else { throw .invalidData("row arrays differ in length") }
        if let j = columns.first(where: { !(0 ..< program.columnCount).contains($0) }) {
            throw .invalidData("row refers to column \(j) of \(program.columnCount)")
        }
        addColumns(Array(Set(columns.filter { position[$0] < 0 && mayJoin[$0] })).sorted())
        let kept = columns.indices.filter { position[columns[$0]] >= 0 }
        return try problem.addRow(columns: kept.map { position[columns[$0]] }, coefficients: kept.map { coefficients[$0] },
                                  lower: lower, upper: upper, name: name)
    }

    // MARK: Internals

    private static func warm(_ options: SolverOptions) -> SolverOptions {
        var o = options
        o.method = .primalSimplex
        o.presolve = false
        return o
    }

    private func reducedCost(_ j: Int, _ duals: [Double]) -> Double {
        var d = cost[j]
        for p in matrix.columnStart[j] ..< matrix.columnStart[j + 1] { d -= matrix.values[p] * duals[Int(matrix.rowIndex[p])] }
        return d
    }

    /// Whether column j, at zero with reduced cost `d`, would improve the objective by more than
    /// GLPK's dual feasibility tolerance (1e-7, relative).
    private func improves(_ j: Int, reducedCost d: Double) -> Bool {
        (program.sense == .minimize ? d : -d) < -1e-7 * (1 + abs(cost[j]))
    }

    /// Outside columns that would improve the objective.
    private func priceOut(_ duals: [Double]) -> [Int] {
        (0 ..< program.columnCount).filter { j in mayJoin[j] && improves(j, reducedCost: reducedCost(j, duals)) }
    }

    private func addColumns(_ columns: [Int]) {
        guard !columns.isEmpty else { return }
        problem.appendColumns(columns, of: program, objective: cost, matrix: matrix)
        for j in columns {
            position[j] = columnOf.count
            columnOf.append(j)
            mayJoin[j] = false
        }
    }

    private func fullSolution(_ s: Solution, iterations: Int, seconds: Double) -> Solution {
        var values = [Double](repeating: 0, count: program.columnCount)
        var duals = [Double](repeating: 0, count: program.columnCount)
        for (k, j) in columnOf.enumerated() {
            values[j] = s.columnValues[k]
            duals[j] = s.columnDuals[k]
        }
        for j in 0 ..< program.columnCount where position[j] < 0 { duals[j] = reducedCost(j, s.rowDuals) }
        return Solution(objective: s.objective, columnValues: values, rowDuals: s.rowDuals, columnDuals: duals,
                        iterations: iterations, seconds: seconds)
    }
}
