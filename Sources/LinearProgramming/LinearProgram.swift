/// A linear program held as plain arrays, in the spirit of JuMP's `lp_matrix_data`:
/// column bounds and objective, row bounds, and the constraint matrix as (row, column, value)
/// triplets. It is built in bulk, one block of columns or rows at a time, and knows nothing
/// of any solver. Infinite bounds mean "no bound".
public struct LinearProgram: Sendable {
    public enum Sense: Sendable { case minimize, maximize }

    public var sense: Sense = .minimize
    public private(set) var columnLower: [Double] = []
    public private(set) var columnUpper: [Double] = []
    public private(set) var objective: [Double] = []
    public private(set) var rowLower: [Double] = []
    public private(set) var rowUpper: [Double] = []
    public private(set) var tripletRows: [Int32] = []
    public private(set) var tripletColumns: [Int32] = []
    public private(set) var tripletValues: [Double] = []
    /// Optional names, used when the program is written to MPS or LP files.
    public private(set) var columnNames: [String]? = nil
    public private(set) var rowNames: [String]? = nil

    public init(sense: Sense = .minimize) { self.sense = sense }

    public var columnCount: Int { columnLower.count }
    public var rowCount: Int { rowLower.count }
    /// Triplets as added; duplicates are merged when the program is loaded.
    public var tripletCount: Int { tripletValues.count }

    /// Appends a block of columns; returns their indices.
    @discardableResult
    public mutating func addColumns(lower: [Double], upper: [Double], objective cost: [Double],
                                    names: [String]? = nil) -> Range<Int> {
        precondition(lower.count == upper.count && lower.count == cost.count,
                     "column block arrays differ in length")
        let start = columnCount
        columnLower += lower
        columnUpper += upper
        objective += cost
        Self.appendNames(names, count: lower.count, before: start, to: &columnNames)
        return start ..< columnCount
    }

    /// Appends a block of rows `lower <= a·x <= upper`; returns their indices.
    @discardableResult
    public mutating func addRows(lower: [Double], upper: [Double], names: [String]? = nil) -> Range<Int> {
        precondition(lower.count == upper.count, "row block arrays differ in length")
        let start = rowCount
        rowLower += lower
        rowUpper += upper
        Self.appendNames(names, count: lower.count, before: start, to: &rowNames)
        return start ..< rowCount
    }

    /// Appends one coefficient. Duplicated (row, column) pairs are summed when loaded.
    public mutating func addCoefficient(row: Int, column: Int, value: Double) {
        tripletRows.append(Int32(truncatingIfNeeded: row))
        tripletColumns.append(Int32(truncatingIfNeeded: column))
        tripletValues.append(value)
    }

    public mutating func reserveCoefficients(_ count: Int) {
        tripletRows.reserveCapacity(count)
        tripletColumns.reserveCapacity(count)
        tripletValues.reserveCapacity(count)
    }

    public mutating func setObjective(_ cost: [Double]) {
        precondition(cost.count == columnCount, "objective length differs from the column count")
        objective = cost
    }

    private static func appendNames(_ names: [String]?, count: Int, before start: Int, to store: inout [String]?) {
        guard let names else {
            if store != nil { store! += (start ..< start + count).map { "_\($0)" } }
            return
        }
        precondition(names.count == count, "name array differs in length")
        if store == nil { store = (0 ..< start).map { "_\($0)" } }
        store! += names
    }
}

/// The constraint matrix in compressed sparse column form, duplicates merged and zeros dropped.
public struct SparseMatrix: Sendable, Equatable {
    public let rowCount: Int
    public let columnCount: Int
    /// `columnStart[j] ..< columnStart[j+1]` indexes column j's entries.
    public let columnStart: [Int]
    public let rowIndex: [Int32]
    public let values: [Double]

    public var nonzeroCount: Int { values.count }
}

extension LinearProgram {
    /// The program restricted to `rows` and `columns`, in those orders, with costs from
    /// `objective` (one per program column): one block's LP. `matrix` is `validatedMatrix()`;
    /// `rowPosition` is scratch space of `rowCount` entries, reused across blocks.
    func restricted(rows: [Int], columns: [Int], objective: [Double], matrix: SparseMatrix,
                    rowPosition: inout [Int]) -> LinearProgram {
        var sub = LinearProgram(sense: sense)
        for (k, i) in rows.enumerated() { rowPosition[i] = k }
        sub.addColumns(lower: columns.map { columnLower[$0] }, upper: columns.map { columnUpper[$0] },
                       objective: columns.map { objective[$0] })
        sub.addRows(lower: rows.map { rowLower[$0] }, upper: rows.map { rowUpper[$0] })
        for (k, j) in columns.enumerated() {
            for p in matrix.columnStart[j] ..< matrix.columnStart[j + 1] {
                sub.addCoefficient(row: rowPosition[Int(matrix.rowIndex[p])], column: k, value: matrix.values[p])
            }
        }
        return sub
    }

    /// Checks everything GLPK would choke on (it aborts the process on bad calls, and silently
    /// accepts NaN or reversed bounds) and merges the triplets into a sparse matrix.
    public func validatedMatrix() throws(LPError) -> SparseMatrix {
        for j in 0 ..< columnCount {
            try Self.checkBounds(columnLower[j], columnUpper[j], kind: .column, index: j, name: columnNames?[j])
            guard objective[j].isFinite else {
                throw .invalidData("objective coefficient of column \(describe(.column, j)) is \(objective[j])")
            }
        }
        for i in 0 ..< rowCount {
            try Self.checkBounds(rowLower[i], rowUpper[i], kind: .row, index: i, name: rowNames?[i])
        }
        let m = rowCount, n = columnCount
        guard m < Int(Int32.max), n < Int(Int32.max) else { throw .invalidData("problem too large for GLPK") }
        var count = [Int](repeating: 0, count: n + 1)
        for k in 0 ..< tripletCount {
            let i = Int(tripletRows[k]), j = Int(tripletColumns[k]), v = tripletValues[k]
            guard (0 ..< m).contains(i), (0 ..< n).contains(j) else {
                throw .invalidData("coefficient \(k) refers to row \(i), column \(j) outside \(m) x \(n)")
            }
            guard v.isFinite else {
                throw .invalidData("coefficient of \(describe(.row, i)) and \(describe(.column, j)) is \(v)")
            }
            count[j + 1] += 1
        }
        // Bucket by column (stable), then merge equal rows within each column.
        for j in 0 ..< n { count[j + 1] += count[j] }
        var next = count
        var rowsByColumn = [Int32](repeating: 0, count: tripletCount)
        var valuesByColumn = [Double](repeating: 0, count: tripletCount)
        for k in 0 ..< tripletCount {
            let j = Int(tripletColumns[k])
            rowsByColumn[next[j]] = tripletRows[k]
            valuesByColumn[next[j]] = tripletValues[k]
            next[j] += 1
        }
        var start = [Int](repeating: 0, count: n + 1)
        var rows = [Int32](); rows.reserveCapacity(tripletCount)
        var values = [Double](); values.reserveCapacity(tripletCount)
        var order: [Int] = []
        for j in 0 ..< n {
            let lo = count[j], hi = count[j + 1]
            order.removeAll(keepingCapacity: true)
            order.append(contentsOf: lo ..< hi)
            order.sort { rowsByColumn[$0] < rowsByColumn[$1] }
            var k = 0
            while k < order.count {
                let row = rowsByColumn[order[k]]
                var sum = 0.0
                while k < order.count, rowsByColumn[order[k]] == row {
                    sum += valuesByColumn[order[k]]; k += 1
                }
                guard sum.isFinite else {
                    throw .invalidData("coefficients of \(describe(.row, Int(row))) and \(describe(.column, j)) overflow")
                }
                if sum != 0 { rows.append(row); values.append(sum) }
            }
            start[j + 1] = rows.count
        }
        return SparseMatrix(rowCount: m, columnCount: n, columnStart: start, rowIndex: rows, values: values)
    }

    enum Kind: String { case row, column }

    func describe(_ kind: Kind, _ index: Int) -> String {
        let name = kind == .row ? rowNames?[index] : columnNames?[index]
        return name.map { "\(kind.rawValue) \(index) (\($0))" } ?? "\(kind.rawValue) \(index)"
    }

    private static func checkBounds(_ lower: Double, _ upper: Double, kind: Kind, index: Int, name: String?) throws(LPError) {
        let label = name.map { "\(kind.rawValue) \(index) (\($0))" } ?? "\(kind.rawValue) \(index)"
        if lower.isNaN || upper.isNaN || lower == .infinity || upper == -.infinity {
            throw .invalidData("\(label) has bounds [\(lower), \(upper)]")
        }
        if lower > upper { throw .invalidData("\(label) has lower bound \(lower) above upper bound \(upper)") }
    }
}
