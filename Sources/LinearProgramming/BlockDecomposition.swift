import Foundation

/// Solving a linear program block by block when its constraint matrix falls apart into
/// independent blocks: groups of rows and columns with no coefficient linking one group to
/// another. Each block is an LP of its own; together their optimal bases are an optimal basis of
/// the whole. The simplex method's work grows faster than linearly with the size of the LP, so
/// fifty blocks of 600 rows solve far faster than one LP of 30,000.
public enum BlockDecomposition {
    /// Solves `program` one block at a time. Blocks smaller than `minimumRows` rows are solved
    /// together, to spare GLPK a problem per stray row. The solution is the whole program's.
    public static func solve(_ program: LinearProgram, _ options: SolverOptions = SolverOptions(),
                             minimumRows: Int = 256) throws(LPError) -> Solution {
        try solve(program, matrix: try program.validatedMatrix(), options, minimumRows: minimumRows)
    }

    /// As above, with `matrix` its `validatedMatrix()` already (for a caller that certifies the
    /// answer against it too).
    public static func solve(_ program: LinearProgram, matrix: SparseMatrix, _ options: SolverOptions = SolverOptions(),
                             minimumRows: Int = 256) throws(LPError) -> Solution {
        try solve(program, matrix: matrix, columns: Array(0 ..< program.columnCount), options, minimumRows: minimumRows).solution
    }

    /// The independent blocks of `program` restricted to `columns`: each block's rows and columns,
    /// in increasing order. A row without any of the columns makes a block of its own.
    static func blocks(of program: LinearProgram, matrix: SparseMatrix, columns: [Int]) -> [(rows: [Int], columns: [Int])] {
        let m = program.rowCount
        // Union-find over rows; every column joins the rows it touches.
        var parent = Array(0 ..< m)
        func root(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        for j in columns {
            let range = matrix.columnStart[j] ..< matrix.columnStart[j + 1]
            guard let first = range.first else { continue }
            let a = root(Int(matrix.rowIndex[first]))
            for p in range.dropFirst() {
                let b = root(Int(matrix.rowIndex[p]))
                if a != b { parent[b] = a }
            }
        }
        var blockOfRoot = [Int](repeating: -1, count: m)
        var result: [(rows: [Int], columns: [Int])] = []
        for i in 0 ..< m {
            let r = root(i)
            if blockOfRoot[r] < 0 { blockOfRoot[r] = result.count; result.append(([], [])) }
            result[blockOfRoot[r]].rows.append(i)
        }
        var loose: [Int] = []
        for j in columns {
            let range = matrix.columnStart[j] ..< matrix.columnStart[j + 1]
            if let first = range.first {
                result[blockOfRoot[root(Int(matrix.rowIndex[first]))]].columns.append(j)
            } else {
                loose.append(j)
            }
        }
        if !loose.isEmpty { result.append(([], loose)) }
        for k in result.indices { result[k].columns.sort() }
        return result
    }

    /// Solves the program restricted to `columns` (the others held at zero) block by block.
    /// Returns the solution over `columns` (in that order) and every row, and the optimal basis.
    static func solve(_ program: LinearProgram, matrix: SparseMatrix, columns: [Int], _ options: SolverOptions,
                      minimumRows: Int) throws(LPError) -> (solution: Solution, basis: GLPKProblem.Basis, log: String) {
        let started = Date()
        let deadline = Deadline(options)
        var groups: [(rows: [Int], columns: [Int])] = []
        for block in blocks(of: program, matrix: matrix, columns: columns) {
            if let last = groups.last, last.rows.count < minimumRows {
                groups[groups.count - 1].rows += block.rows
                groups[groups.count - 1].columns += block.columns
            } else {
                groups.append(block)
            }
        }
        var position = [Int](repeating: -1, count: program.columnCount)
        for (k, j) in columns.enumerated() { position[j] = k }
        var values = [Double](repeating: 0, count: columns.count)
        var columnDuals = [Double](repeating: 0, count: columns.count)
        var rowDuals = [Double](repeating: 0, count: program.rowCount)
        var basis = GLPKProblem.Basis(rows: Array(repeating: .basic, count: program.rowCount),
                                      columns: Array(repeating: .atLower, count: columns.count))
        var objective = 0.0, iterations = 0, log = ""
        var rowInBlock = [Int](repeating: -1, count: program.rowCount)
        for group in groups {
            let sub = program.restricted(rows: group.rows, columns: group.columns, objective: program.objective,
                                         matrix: matrix, rowPosition: &rowInBlock)
            let blockOptions = try deadline.remaining(options)
            let problem = GLPKProblem(sub, matrix: try sub.validatedMatrix(), columns: nil)
            let solution: Solution
            do {
                solution = try problem.solve(blockOptions)
            } catch {
                log += problem.log
                if case .timeLimit = error, let limit = deadline.limitSeconds { throw .timeLimit(seconds: limit) }
                throw error
            }
            log += problem.log
            let blockBasis = problem.basis
            objective += solution.objective
            iterations += solution.iterations
            for (k, i) in group.rows.enumerated() {
                rowDuals[i] = solution.rowDuals[k]
                basis.rows[i] = blockBasis.rows[k]
            }
            for (k, j) in group.columns.enumerated() {
                values[position[j]] = solution.columnValues[k]
                columnDuals[position[j]] = solution.columnDuals[k]
                basis.columns[position[j]] = blockBasis.columns[k]
            }
        }
        let solution = Solution(objective: objective, columnValues: values, rowDuals: rowDuals, columnDuals: columnDuals,
                                iterations: iterations, seconds: Date().timeIntervalSince(started))
        return (solution, basis, log)
    }
}
