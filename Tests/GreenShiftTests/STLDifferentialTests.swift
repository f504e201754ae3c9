import Foundation
import Testing
@testable import GreenShift

/// greenshift's STL and MSTL against statsmodels' STL (and MSTL composed from it as statsforecast
/// does) on seeded series: noise shorter than the seasonal span, a trend with a daily cycle, daily
/// and weekly cycles over three and six weeks; flat and linear seasonal loess. The reference comes
/// from Tests/Python/stl_reference.py in the venv of `make test-venv`.
@Suite(.enabled(if: python3OnPath, "python3 is not installed"))
struct STLDifferentialTests {
    struct Case: Decodable {
        struct Fit: Decodable { var period: Int; var span: Int; var degree: Int; var seasonal: [Double]; var trend: [Double] }
        var y: [Double]
        var stl: [Fit]
        var mstl_periods: [Int]
        var mstl: [[Double]]
    }

    static func reference(seed: Int) throws -> [Case] {
        let python = TOMLDifferentialTests.venvPython
        try #require(FileManager.default.isExecutableFile(atPath: python),
                     "no \(python): run `make test-venv` (python3 -m venv with Tests/Python/requirements.txt)")
        let process = Process()
        let out = Pipe()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [ScenarioFixture.repositoryRoot + "/Tests/Python/stl_reference.py", String(seed)]
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "stl_reference.py failed")
        return try JSONDecoder().decode([Case].self, from: data)
    }

    /// Largest difference relative to the series' range; infinite when the lengths differ or any
    /// value is not finite (so a NaN cannot slip through `max`).
    static func gap(_ a: [Double], _ b: [Double], range: Double) -> Double {
        guard a.count == b.count, !a.isEmpty, (a + b).allSatisfy(\.isFinite) else { return .infinity }
        return zip(a, b).map { abs($0 - $1) / range }.max()!
    }

    @Test(arguments: [1, 2])
    func decomposesAsStatsmodels(seed: Int) throws {
        for c in try Self.reference(seed: seed) {
            let range = (c.y.max()! - c.y.min()!)
            for fit in c.stl {
                let mine = STL(period: fit.period, seasonalSpan: fit.span, seasonalDegree: fit.degree).decompose(c.y)
                let what = "n \(c.y.count), period \(fit.period), span \(fit.span), degree \(fit.degree)"
                #expect(Self.gap(mine.seasonal, fit.seasonal, range: range) < 1e-9, "seasonal, \(what)")
                #expect(Self.gap(mine.trend, fit.trend, range: range) < 1e-9, "trend, \(what)")
            }
            let weekly = c.mstl_periods.count > 1
            let mine = Decomposition.components(c.y, day: 24, weekly: weekly)
            #expect(mine.map(\.period) == c.mstl_periods)
            for (season, theirs) in zip(mine, c.mstl) {
                #expect(Self.gap(season.values, theirs, range: range) < 1e-9, "MSTL season \(season.period), n \(c.y.count)")
            }
        }
    }
}
