import Foundation
import Testing
@testable import LinearProgramming

/// `OptimalityCertificate`: weak duality in the program's own units, on LPs solved by hand.
@Suite struct CertificateTests {
    /// The textbook LP of GLPKProblemTests has y unbounded above: a certificate still works
    /// because y's reduced cost at the optimum is not negative.
    @Test func certifiesTheTextbookOptimum() throws {
        let lp = GLPKProblemTests.textbook()
        let solution = try GLPKProblem(lp).solve()
        let certificate = lp.certificate(of: solution, matrix: try lp.validatedMatrix())
        #expect(certificate.certifies, "\(certificate)")
        #expect(abs(certificate.objective - -5) < 1e-12)
        #expect(abs(certificate.gap) < 1e-12)
    }

    /// Two hours of 1e12 CU*h of work at 1e-12 MW per CU: hour 0 on the grid (1200 kg per MWh),
    /// hour 1 on up to 2 MW of wind. Columns x0, x1 (CU*h, at most 1e12), g (grid MW), r (wind MW).
    ///     work:  x0 + x1 = 1e12;  hour 0: 1e-12 x0 - g = 0;  hour 1: 1e-12 x1 - r = 0
    /// The optimum runs everything on the wind: 0 kg.
    static func badlyScaled() -> LinearProgram {
        var lp = LinearProgram()
        lp.addColumns(lower: [0, 0, 0, 0], upper: [1e12, 1e12, 10, 2], objective: [0, 0, 1200, 0], names: ["x0", "x1", "g", "r"])
        lp.addRows(lower: [1e12, 0, 0], upper: [1e12, 0, 0], names: ["work", "hour0", "hour1"])
        for (i, j, v) in [(0, 0, 1.0), (0, 1, 1), (1, 0, 1e-12), (1, 2, -1), (2, 1, 1e-12), (2, 3, -1)] {
            lp.addCoefficient(row: i, column: j, value: v)
        }
        return lp
    }

    /// The basis {x0, g, r} is where GLPK stopped on the greenshift case: its duals price x1 at
    /// -1.2e-9 kg per CU*h, below GLPK's tol_dj, but over 1e12 CU*h that is the whole 1200 kg.
    /// Duals: d_g = 0 gives y_hour0 = -1200, d_x0 = 0 gives y_work = 1.2e-9, d_r = 0 gives
    /// y_hour1 = 0; the bound is -1.2e-9 x 1e12 + 1.2e-9 x 1e12 = 0, the gap 1200 kg.
    @Test func aReducedCostBelowGLPKsToleranceOverAHugeRangeIsCaught() throws {
        let lp = Self.badlyScaled()
        let stuck = Solution(objective: 1200, columnValues: [1e12, 0, 1, 0], rowDuals: [1.2e-9, -1200, 0],
                             columnDuals: [0, -1.2e-9, 0, 0], iterations: 0, seconds: 0)
        let certificate = lp.certificate(of: stuck, matrix: try lp.validatedMatrix())
        #expect(certificate.isPrimalFeasible)
        #expect(!certificate.certifies)
        #expect(abs(certificate.objective - 1200) < 1e-9)
        #expect(abs(certificate.lowerBound) < 1e-9)
        #expect(abs(certificate.gap - 1200) < 1e-9)
    }

    /// glp_exact reads each double as the simplest fraction within about 1e-10 of it (GLPK's
    /// `set_d_eps`), so 1e-12 x 1e12 MW of wind comes back as 1 + 1.2e-10: exact for the data as
    /// a person would write them, not to the last bit of the doubles.
    @Test func theExactSimplexFindsTheOptimumAndItCertifies() throws {
        let lp = Self.badlyScaled()
        let exact = try GLPKProblem(lp).solveExactly()
        #expect(exact.objective == 0)
        #expect(exact.columnValues[0] == 0 && exact.columnValues[1] == 1e12 && exact.columnValues[2] == 0)
        #expect(abs(exact.columnValues[3] - 1) < 1e-9)
        let certificate = lp.certificate(of: exact, matrix: try lp.validatedMatrix())
        #expect(certificate.isPrimalFeasible && certificate.gap <= certificate.gapAllowed, "\(certificate)")
    }

    /// A row broken by 1e-6 of its size is a violation; by 1e-12, rounding.
    @Test func rowViolationsAreRelativeToTheRow() throws {
        let lp = Self.badlyScaled()
        func check(_ x0: Double) throws -> OptimalityCertificate {
            let point = Solution(objective: 0, columnValues: [x0, 1e12 - x0, 0, 1 - x0 * 1e-12], rowDuals: [0, 0, 0],
                                 columnDuals: [], iterations: 0, seconds: 0)
            return lp.certificate(of: point, matrix: try lp.validatedMatrix())
        }
        // x0 = 1e6 CU*h needs 1e-6 MW from the grid that g = 0 does not give: hour 0 is off by all of it.
        let broken = try check(1e6)
        #expect(!broken.isPrimalFeasible)
        #expect(broken.worstRow == 1)
        #expect(try check(0).isPrimalFeasible)
    }

    /// A bent row is priced at its dual: 1e-6 MW taken from nowhere in hour 0, at 1200 kg per
    /// MWh, is worth 1.2e-3 kg, and a point that gains that much by bending is not certified.
    @Test func rowViolationsArePricedAtTheirDuals() throws {
        let lp = Self.badlyScaled()
        let bent = Solution(objective: 0, columnValues: [1e6, 1e12 - 1e6, 0, 1 - 1e-6], rowDuals: [0, -1200, 0],
                            columnDuals: [], iterations: 0, seconds: 0)
        let certificate = lp.certificate(of: bent, matrix: try lp.validatedMatrix())
        #expect(abs(certificate.violationValue - 1.2e-3) < 1e-12)
        #expect(!certificate.isOptimal)
    }

    /// Terms that cancel leave nothing behind: 1e16 + 1 - 1e16 is 1, not 0.
    @Test func compensatedSumsKeepWhatCancellationLoses() {
        var sum = CompensatedSum()
        sum.add(1e16); sum.add(1); sum.add(-1e16)
        #expect(sum.value == 1)
        var products = CompensatedSum()
        products.addProduct(1 + 0x1p-30, 1 - 0x1p-30)  // 1 - 2^-60: its low part is lost in a plain product
        products.add(-1)
        #expect(products.value == -0x1p-60)
    }

    @Test func polishingIsRefusedWithAToleranceOutsideGLPKsRange() throws {
        var options = SolverOptions()
        options.feasibilityTolerance = 0
        #expect(throws: LPError.self) { try GLPKProblem(Self.badlyScaled()).solve(options) }
    }
}
