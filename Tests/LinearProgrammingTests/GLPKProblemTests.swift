import Foundation
import Testing
@testable import LinearProgramming

/// The GLPK layer on LPs small enough to solve by hand.
@Suite struct GLPKProblemTests {
    /// min -x - 2y  s.t.  x + y <= 4,  x + 3y <= 6,  x <= 10,  y >= 0.
    /// Vertices: (3,1) gives -5; (0,2) and (4,0) give -4. Optimum (3,1), -5, not degenerate.
    /// Duals: both rows bind; -1 = a + b, -2 = a + 3b -> b = -0.5, a = -0.5.
    static func textbook() -> LinearProgram {
        var lp = LinearProgram()
        lp.addColumns(lower: [0, 0], upper: [10, .infinity], objective: [-1, -2], names: ["x", "y"])
        lp.addRows(lower: [-.infinity, -.infinity], upper: [4, 6], names: ["r1", "r2"])
        for (i, j, v) in [(0, 0, 1.0), (0, 1, 1), (1, 0, 1), (1, 1, 3)] { lp.addCoefficient(row: i, column: j, value: v) }
        return lp
    }

    @Test(arguments: SolverOptions.Method.allCases)
    func solvesTheTextbookLP(method: SolverOptions.Method) throws {
        let problem = try GLPKProblem(Self.textbook())
        let s = try problem.solve(SolverOptions(method: method))
        #expect(abs(s.objective - -5) < 1e-7)
        #expect(abs(s.columnValues[0] - 3) < 1e-7 && abs(s.columnValues[1] - 1) < 1e-7)
        #expect(abs(s.rowDuals[0] - -0.5) < 1e-7 && abs(s.rowDuals[1] - -0.5) < 1e-7)
        #expect(problem.log.contains("obj ="), "GLPK's output is captured: \(problem.log)")
    }

    @Test func duplicateTripletsAreSummedAndZerosDropped() throws {
        var lp = LinearProgram()
        lp.addColumns(lower: [0], upper: [10], objective: [-1])
        lp.addRows(lower: [-.infinity], upper: [6])
        lp.addCoefficient(row: 0, column: 0, value: 1)
        lp.addCoefficient(row: 0, column: 0, value: 2)  // 3x <= 6
        lp.addCoefficient(row: 0, column: 0, value: 0)
        let matrix = try lp.validatedMatrix()
        #expect(matrix.nonzeroCount == 1 && matrix.values == [3])
        #expect(abs(try GLPKProblem(lp).solve().columnValues[0] - 2) < 1e-9)
    }

    /// GLPK would abort the process or silently misread these; they must be typed errors instead.
    @Test func badDataNeverReachesGLPK() {
        var nanBound = LinearProgram()
        nanBound.addColumns(lower: [.nan], upper: [1], objective: [0])
        var reversed = LinearProgram()
        reversed.addColumns(lower: [0], upper: [1], objective: [0])
        reversed.addRows(lower: [2], upper: [1])
        var outOfRange = LinearProgram()
        outOfRange.addColumns(lower: [0], upper: [1], objective: [0])
        outOfRange.addRows(lower: [0], upper: [1])
        outOfRange.addCoefficient(row: 0, column: 5, value: 1)
        var infiniteCoefficient = Self.textbook()
        infiniteCoefficient.addCoefficient(row: 0, column: 0, value: .infinity)
        var nanObjective = LinearProgram()
        nanObjective.addColumns(lower: [0], upper: [1], objective: [.nan])
        var infiniteLower = LinearProgram()
        infiniteLower.addColumns(lower: [.infinity], upper: [.infinity], objective: [0])
        for lp in [nanBound, reversed, outOfRange, infiniteCoefficient, nanObjective, infiniteLower] {
            #expect {
                _ = try GLPKProblem(lp)
            } throws: { error in
                guard case .invalidData = error as? LPError else { return false }
                return true
            }
        }
    }

    @Test func infeasibleAndUnboundedAreTypedErrors() throws {
        var infeasible = LinearProgram()
        infeasible.addColumns(lower: [0], upper: [1], objective: [1])
        infeasible.addRows(lower: [2], upper: [.infinity])
        infeasible.addCoefficient(row: 0, column: 0, value: 1)
        for presolve in [true, false] {
            #expect(throws: LPError.infeasible) { try GLPKProblem(infeasible).solve(SolverOptions(presolve: presolve)) }
        }
        var unbounded = LinearProgram()
        unbounded.addColumns(lower: [0], upper: [.infinity], objective: [-1])
        for presolve in [true, false] {
            #expect(throws: LPError.unbounded) { try GLPKProblem(unbounded).solve(SolverOptions(presolve: presolve)) }
        }
    }

    @Test func invalidTimeLimitIsRejected() throws {
        #expect(throws: LPError.self) { try GLPKProblem(Self.textbook()).solve(SolverOptions(timeLimitSeconds: -1)) }
        #expect(throws: LPError.self) { try GLPKProblem(Self.textbook()).solve(SolverOptions(timeLimitSeconds: .nan)) }
    }

    /// After restricting to the optimal face, a second objective moves only among optimal points.
    /// min x + y s.t. x + y >= 2: every split is optimal; then min x picks (0, 2).
    @Test func optimalFaceKeepsTheFirstObjective() throws {
        var lp = LinearProgram()
        lp.addColumns(lower: [0, 0], upper: [5, 5], objective: [1, 1])
        lp.addRows(lower: [2], upper: [.infinity])
        lp.addCoefficient(row: 0, column: 0, value: 1)
        lp.addCoefficient(row: 0, column: 1, value: 1)
        let problem = try GLPKProblem(lp)
        let first = try problem.solve()
        #expect(abs(first.objective - 2) < 1e-9)
        problem.restrictToOptimalFace()
        try problem.setObjective([1, 0])
        let second = try problem.solve(SolverOptions(method: .primalSimplex, presolve: false))
        #expect(abs(second.columnValues[0]) < 1e-9 && abs(second.columnValues[1] - 2) < 1e-9)
    }

    @Test func addedRowWarmStarts() throws {
        let problem = try GLPKProblem(Self.textbook())
        _ = try problem.solve()
        try problem.addRow(columns: [0], coefficients: [1], lower: -.infinity, upper: 2, name: "cut")
        let s = try problem.solve(SolverOptions(method: .primalSimplex, presolve: false))
        // With x <= 2: the vertex (2, 4/3) gives -2 - 8/3 = -4.667.
        #expect(abs(s.objective - (-2 - 8.0 / 3)) < 1e-7)
        #expect(problem.rowCount == 3)
        #expect(throws: LPError.self) { try problem.addRow(columns: [7], coefficients: [1], lower: 0, upper: 1) }
        #expect(throws: LPError.self) { try problem.addRow(columns: [0], coefficients: [1], lower: 2, upper: 1) }
    }

    @Test func writesMPSAndLPThatGLPKReadsBack() throws {
        let problem = try GLPKProblem(Self.textbook())
        let optimum = try problem.solve().objective
        let dir = FileManager.default.temporaryDirectory.path
        for format in GLPKProblem.FileFormat.allCases {
            let path = "\(dir)/greenshift-\(UUID().uuidString).\(format.rawValue)"
            try problem.write(to: path, format: format)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains("r1") && text.contains("y"))
            let back = try GLPKProblem(reading: path, format: format)
            #expect(back.rowCount == problem.rowCount && back.columnCount == problem.columnCount && back.nonzeroCount == problem.nonzeroCount)
            #expect(abs(try back.solve().objective - optimum) < 1e-9, "\(format)")
            try? FileManager.default.removeItem(atPath: path)
        }
        let garbage = "\(dir)/greenshift-\(UUID().uuidString).mps"
        try "ROWS\n what\n".write(toFile: garbage, atomically: true, encoding: .utf8)
        #expect(throws: LPError.self) { try GLPKProblem(reading: garbage, format: .mps) }
        #expect(throws: LPError.self) { try problem.write(to: "/nonexistent-dir/x.mps", format: .mps) }
    }
}

@Suite struct GLPKEdgeTests {
    @Test func emptyProblemsSolveAndRestrict() throws {
        let problem = try GLPKProblem(LinearProgram())
        let s = try problem.solve()
        #expect(s.objective == 0 && s.columnValues.isEmpty)
        #expect(problem.restrictToOptimalFace() == (0, 0))
    }

    /// max x + y s.t. x + 2y <= 4, 3x + y <= 6: optimum (1.6, 1.2), 2.8.
    @Test func maximizes() throws {
        var lp = LinearProgram(sense: .maximize)
        lp.addColumns(lower: [0, 0], upper: [.infinity, .infinity], objective: [1, 1])
        lp.addRows(lower: [-.infinity, -.infinity], upper: [4, 6])
        for (i, j, v) in [(0, 0, 1.0), (0, 1, 2), (1, 0, 3), (1, 1, 1)] { lp.addCoefficient(row: i, column: j, value: v) }
        let s = try GLPKProblem(lp).solve()
        #expect(abs(s.objective - 2.8) < 1e-9)
    }
}
