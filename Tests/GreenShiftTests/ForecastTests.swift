import Foundation
import Testing
@testable import GreenShift

@Suite struct ForecastTests {
    static let monday = try! Timestamp(parsing: "2026-11-02T00:00:00+08:00")

    static func history(_ values: [Double], name: String = "demand_web") -> History {
        History(start: monday, periodMinutes: 60, periodCount: values.count,
                files: [History.File(name: name, columns: ["a"], values: [values])])
    }

    static func column(_ values: [Double], demand: Bool = true) -> ForecastColumn {
        ForecastColumn(values: values, periodsPerDay: 24, nonNegative: true, demand: demand, temperature: nil)
    }

    static let calendar = ForecastCalendar(start: monday, periodMinutes: 60, holidays: Holidays())

    static func daily(_ t: Int) -> Double { 10 + 5 * sin(2 * Double.pi * Double(t % 24) / 24) }
    static func weekly(_ t: Int) -> Double { Double((t % 168) * 37 % 23) + 0.05 * Double(t) + 50 }

    @Test func everyMethodReproducesAPureDailyCycle() {
        let y = (0 ..< 504).map(Self.daily)
        for method in ForecastMethod.allCases where method != .auto {
            let f = Self.column(y).predict(upTo: 504, horizon: 48, method: method, calendar: Self.calendar).values
            for k in 0 ..< 48 { #expect(abs(f[k] - Self.daily(504 + k)) < 1e-6, "\(method) lead \(k)") }
        }
    }

    @Test func holtWintersAndRegressionReproduceATrendPlusWeeklyCycle() {
        let y = (0 ..< 504).map(Self.weekly)
        for method in [ForecastMethod.holtWinters, .regression] {
            let f = Self.column(y).predict(upTo: 504, horizon: 48, method: method, calendar: Self.calendar).values
            for k in 0 ..< 48 { #expect(abs(f[k] - Self.weekly(504 + k)) < 1e-5, "\(method) lead \(k)") }
        }
    }

    @Test func mstlCarriesAWeeklyCycleOnALevelWithinOnePercent() {
        // Not exactly: MSTL's daily loess, 11 days wide, takes a share of a weekly cycle that varies
        // from day to day, and two passes leave some of it (statsforecast's MSTL does the same;
        // STLDifferentialTests holds the decomposition to statsmodels').
        let flat = (0 ..< 504).map { Self.weekly($0) - 0.05 * Double($0) }
        let range = flat.max()! - flat.min()!
        let f = Self.column(flat).predict(upTo: 504, horizon: 48, method: .decomposition, calendar: Self.calendar).values
        for k in 0 ..< 48 { #expect(abs(f[k] - flat[(504 + k) % 168]) < 0.01 * range, "lead \(k)") }
    }

    @Test func naiveWeekHasMASEOneByConstruction() throws {
        var random = SplitMix64(seed: 7)
        let y = (0 ..< 24 * 24).map { Self.daily($0) + random.uniform(0, 2) }
        let b = try Backtest.run(history: Self.history(y), horizon: 24, windows: 3, quantiles: [0.1, 0.9])
        #expect(b.columns[0].result(.naiveWeek)!.overall.mase == 1)
        #expect(b.columns[0].methods.allSatisfy { $0.overall.mase!.isFinite })
    }

    @Test func quantilesCoverWhatTheyClaim() {
        // Daily cycle plus uniform noise: naive-day's errors are iid, so coverage is close to the level.
        var random = SplitMix64(seed: 11)
        let y = (0 ..< 24 * 60).map { Self.daily($0) + random.uniform(-1, 1) }
        let c = Self.column(y)
        var below = [0, 0], total = 0
        for o in stride(from: 24 * 30, to: 24 * 60, by: 24) {
            let r = c.forecast(upTo: o, horizon: 24, method: .naiveDay, quantiles: [0.1, 0.9], calendar: Self.calendar)!
            for h in 0 ..< 24 {
                total += 1
                if y[o + h] <= r.quantiles[0][h] { below[0] += 1 }
                if y[o + h] <= r.quantiles[1][h] { below[1] += 1 }
            }
        }
        // 720 periods: sampling error about 0.011; windows share no errors.
        #expect(abs(Double(below[0]) / Double(total) - 0.1) < 0.05)
        #expect(abs(Double(below[1]) / Double(total) - 0.9) < 0.05)
    }

    @Test func constantAndZeroColumnsAreForecastExactly() throws {
        for value in [0.0, 42.0] {
            let set = try Forecaster.forecast(history: Self.history([Double](repeating: value, count: 24 * 20)),
                                              from: Self.monday.adding(minutes: 60 * 24 * 20), periods: 24, quantiles: [0.1, 0.9])
            let file = set.files[0]
            #expect(file.point[0] == [Double](repeating: value, count: 24))
            #expect(file.columns[0].quantiles.allSatisfy { $0 == [Double](repeating: value, count: 24) })
        }
        let b = try Backtest.run(history: Self.history([Double](repeating: 0, count: 24 * 20)), horizon: 24, windows: 2)
        #expect(b.columns[0].methods.allSatisfy { $0.overall.mase == nil && $0.overall.mae == 0 })
    }

    @Test func hugeAndTinyValuesFitScaleFree() throws {
        var random = SplitMix64(seed: 3)
        let y = (0 ..< 24 * 21).map { Self.daily($0) + random.uniform(0, 1) }
        let from = Self.monday.adding(minutes: 60 * 24 * 21)
        let base = try Forecaster.forecast(history: Self.history(y), from: from, periods: 24, method: .holtWinters, quantiles: [0.1])
        for factor in [1e300, 1e-300] {
            let set = try Forecaster.forecast(history: Self.history(y.map { $0 * factor }), from: from, periods: 24, method: .holtWinters, quantiles: [0.1])
            for (a, b) in zip(set.files[0].point[0], base.files[0].point[0]) { #expect(abs(a / factor - b) <= 1e-6 * b) }
            #expect(set.files[0].columns[0].quantiles[0].allSatisfy { $0.isFinite && $0 >= 0 })
        }
    }

    @Test func shortHistoriesFallBackAndSaySo() throws {
        let tenDays = (0 ..< 240).map(Self.daily)
        let set = try Forecaster.forecast(history: Self.history(tenDays), from: Self.monday.adding(minutes: 60 * 240), periods: 24, method: .holtWinters)
        #expect(set.notes.contains { $0.contains("less than two weeks of history, daily season only") })
        let day = try Forecaster.forecast(history: Self.history(Array(tenDays.prefix(30))), from: Self.monday.adding(minutes: 60 * 30), periods: 24, method: .decomposition)
        #expect(day.notes.contains { $0.contains("less than two days of history") })
        // What was used, not what was asked for: the summary and backtest.json name it.
        #expect(day.files[0].columns[0].method == .naiveDay)
        #expect(throws: InputError.self) {
            try Forecaster.forecast(history: Self.history(tenDays), from: Self.monday.adding(minutes: 60 * 20), periods: 24)
        }
    }

    @Test func weatherSeriesFitNoWeeklySeason() throws {
        // Three weeks with a weekday/weekend step: demand keeps it, temperature and renewables
        // (weather keeps no week) are forecast from their daily season alone.
        var random = SplitMix64(seed: 3)
        let y = (0 ..< 504).map { t in Self.daily(t) + ((t / 24) % 7 >= 5 ? -3 : 0) + random.uniform(-0.5, 0.5) }
        let from = Self.monday.adding(minutes: 60 * 504)
        for method in [ForecastMethod.holtWinters, .decomposition] {
            let demand = try Forecaster.forecast(history: Self.history(y), from: from, periods: 48, method: method)
            let temperature = try Forecaster.forecast(history: Self.history(y, name: "temperature_c"), from: from, periods: 48, method: method)
            let renewable = try Forecaster.forecast(history: Self.history(y, name: "renewable_mw"), from: from, periods: 48, method: method)
            let scale = y.map(abs).max()!
            let daily = ForecastColumn(values: y.map { $0 / scale }, periodsPerDay: 24, nonNegative: false, demand: false,
                                       weekly: false, temperature: nil)
                .predict(upTo: 504, horizon: 48, method: method, calendar: Self.calendar).values.map { $0 * scale }
            for k in 0 ..< 48 {
                #expect(abs(temperature.files[0].columns[0].point[k] - daily[k]) < 1e-9, "\(method) temperature lead \(k)")
                #expect(abs(renewable.files[0].columns[0].point[k] - max(0, daily[k])) < 1e-9, "\(method) renewable lead \(k)")
            }
            // Monday after the weekend: demand's weekly season lifts it back, the daily-only forecast does not.
            let monday = demand.files[0].columns[0].point.prefix(24).reduce(0, +) / 24
            #expect(monday - daily.prefix(24).reduce(0, +) / 24 > 1, "\(method)")
            #expect(!(temperature.notes + renewable.notes).contains { $0.contains("weekly") || $0.contains("daily season only") })
        }
    }

    @Test func slotLeastSquaresIsTheDenseSolution() {
        // The slots eliminated first must give what the whole ridge system gives, solved densely
        // here by Gaussian elimination with partial pivoting; slot 5 is never seen.
        var random = SplitMix64(seed: 21)
        let p = 7, q = 3, n = 200
        let slots = (0 ..< n).map { t in t % 6 == 5 ? 6 : t % 6 }
        let features = (0 ..< n).map { t in [Double(t) / Double(n), random.uniform(-1, 1), random.uniform(0, 3)] }
        let targets = (0 ..< n).map { t in Double(slots[t]) * 2 + 3 * features[t][0] - features[t][1] + random.uniform(-0.1, 0.1) }
        let fit = LeastSquares.solve(slots: slots, slotCount: p, features: features, targets: targets)
        let k = p + q
        var a = [[Double]](repeating: [Double](repeating: 0, count: k + 1), count: k)
        for t in 0 ..< n {
            var x = [Double](repeating: 0, count: p)
            x[slots[t]] = 1
            x += features[t]
            for i in 0 ..< k {
                for j in 0 ..< k { a[i][j] += x[i] * x[j] }
                a[i][k] += x[i] * targets[t]
            }
        }
        for i in 0 ..< k { a[i][i] += 1e-9 * max(1, a[i][i]) }
        for c in 0 ..< k {
            let pivot = (c ..< k).max { abs(a[$0][c]) < abs(a[$1][c]) }!
            a.swapAt(c, pivot)
            for r in 0 ..< k where r != c {
                let f = a[r][c] / a[c][c]
                for j in c ... k { a[r][j] -= f * a[c][j] }
            }
        }
        let dense = (0 ..< k).map { a[$0][k] / a[$0][$0] }
        for (mine, theirs) in zip(fit.slot + fit.feature, dense) { #expect(abs(mine - theirs) < 1e-9, "\(mine) vs \(theirs)") }
        #expect(fit.slot[5] == 0)
    }

    @Test func aMemoAcrossAGrowingHistoryChangesNothing() throws {
        // A nightly loop passes one memo every night; each night must forecast what it would
        // without it (demand with temperature, so the regression's temperature ahead is reused too).
        var random = SplitMix64(seed: 13)
        let n = 24 * 34
        let temperature = (0 ..< n).map { Self.daily($0) + random.uniform(-2, 2) }
        let demand = (0 ..< n).map { Self.weekly($0) + 0.3 * temperature[$0] + random.uniform(-1, 1) }
        let memo = ForecastMemo()
        for days in [16, 17, 20, 26, 27] {
            let t = 24 * days
            let history = History(start: Self.monday, periodMinutes: 60, periodCount: t, files: [
                History.File(name: "demand_web", columns: ["a"], values: [Array(demand.prefix(t))]),
                History.File(name: "temperature_c", columns: ["a"], values: [Array(temperature.prefix(t))])])
            let from = Self.monday.adding(minutes: 60 * t)
            let periods = days == 26 ? 24 : 36
            let kept = try Forecaster.forecast(history: history, from: from, periods: periods, quantiles: [0.1, 0.9], memo: memo)
            let fresh = try Forecaster.forecast(history: history, from: from, periods: periods, quantiles: [0.1, 0.9])
            for (a, b) in zip(kept.files.flatMap(\.columns), fresh.files.flatMap(\.columns)) {
                #expect(a.method == b.method && a.point == b.point && a.quantiles == b.quantiles, "day \(days)")
            }
        }
    }

    @Test func aBacktestWindowIsWhatForecastWouldHaveWritten() throws {
        // The backtest fits each calibration origin once for all its windows; that must not change
        // what any window sees.
        var random = SplitMix64(seed: 9)
        let y = (0 ..< 24 * 40).map { Self.weekly($0) + random.uniform(-2, 2) }
        let history = Self.history(y)
        let b = try Backtest.run(history: history, horizon: 24, windows: 4, quantiles: [0.1, 0.9])
        let auto = b.columns[0].result(.auto)!
        var below = [0, 0]
        for k in 0 ..< 4 {
            let set = try Forecaster.forecast(history: history, from: b.originTime(k), periods: 24, quantiles: [0.1, 0.9])
            let c = set.files[0].columns[0]
            #expect(c.method == auto.chosen[k])
            #expect(c.point == auto.forecasts[k], "window \(k)")
            for (i, band) in c.quantiles.enumerated() {
                for h in 0 ..< 24 where b.columns[0].actual[k][h] <= band[h] { below[i] += 1 }
            }
        }
        // The quantiles too: their coverage is the backtest's, from the same bands.
        #expect(auto.coverage == below.map { Double($0) / 96 })
    }

    @Test func outputIsNeverNaNOrNegative() throws {
        var random = SplitMix64(seed: 5)
        // A series that drops to zero: trends and AR terms would go below it.
        let y = (0 ..< 24 * 21).map { t in max(0, 100 - Double(t) * 0.2 + random.uniform(-5, 5)) }
        for method in ForecastMethod.allCases {
            let set = try Forecaster.forecast(history: Self.history(y), from: Self.monday.adding(minutes: 60 * 24 * 21), periods: 72,
                                              method: method, quantiles: [0.05, 0.5, 0.95])
            let c = set.files[0].columns[0]
            #expect((c.point + c.quantiles.joined()).allSatisfy { $0.isFinite && $0 >= 0 }, "\(method)")
        }
    }

    static func folder(_ files: [String: String]) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-history-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try! text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        return dir
    }

    static func csv(_ hours: [Int]) -> String {
        "timestamp,a\n" + hours.map { monday.adding(minutes: 60 * $0).description + ",\(Self.daily($0))\n" }.joined()
    }

    @Test func gapsAndRepeatedTimestampsAreBadInputWithFileAndLine() {
        let gap = Array(0 ..< 10) + Array(11 ..< 60)
        let repeated = Array(0 ..< 10) + [9] + Array(10 ..< 60)
        // One missing or repeated row is one error (the rows after it are realigned), saying which;
        // one mistyped timestamp is one error too, and leaves the grid as it was; after a gap, a
        // repeat brings the grid back.
        let typo = Array(0 ..< 10) + [12] + Array(11 ..< 60)
        let gapThenRepeat = Array(0 ..< 10) + Array(11 ..< 30) + [29] + Array(30 ..< 60)
        for (hours, line, what, count) in [(gap, 12, "1 row missing before it", 1), (repeated, 12, "1 period back: a repeated or out-of-order row", 1),
                                           (typo, 12, "a wrong timestamp", 1), (gapThenRepeat, 12, "1 row missing before it", 2)] {
            let dir = Self.folder(["demand_web.csv": Self.csv(hours)])
            #expect {
                _ = try HistoryReader(directory: dir).read()
            } throws: { error in
                guard let e = error as? InputError, let d = e.diagnostics.first else { return false }
                return d.file.hasSuffix("demand_web.csv") && d.line == line && d.message.contains("should be") && d.message.contains(what)
                    && e.diagnostics.filter { $0.message.contains("should be") }.count == count
                    && !e.diagnostics.contains { d in d.message.hasPrefix("timestamp") && d.message.split(separator: " ")[1] == d.message.split(separator: " ")[4] }
            }
        }
    }

    @Test func lessThanADayIsBadInputWithTheReason() {
        let dir = Self.folder(["renewable_mw.csv": Self.csv(Array(0 ..< 20))])
        #expect {
            _ = try HistoryReader(directory: dir).read()
        } throws: { error in
            (error as? InputError)?.diagnostics.first?.message.contains("less than one day") == true
        }
    }

    @Test func readsAHistoryAndWritesTheScenarioLayout() throws {
        let dir = Self.folder(["demand_web.csv": Self.csv(Array(0 ..< 72))])
        let history = try HistoryReader(directory: dir).read()
        #expect(history.periodCount == 72 && history.files[0].columns == ["a"])
        let set = try Forecaster.forecast(history: history, from: Self.monday.adding(minutes: 60 * 72), periods: 2, method: .naiveDay, quantiles: [0.1])
        let files = set.csvFiles()
        #expect(files.map(\.name) == ["demand_web.csv", "demand_web.q10.csv"])
        #expect(files[0].contents.hasPrefix("timestamp,a\n2026-11-05T00:00:00+08:00,10\n"))
    }

    @Test func badHolidayLinesAreReportedWithTheirLine() {
        let dir = Self.folder(["holidays.txt": "# national days\n2026-10-01\n2026-13-01\n"])
        #expect {
            _ = try Holidays(file: dir + "/holidays.txt")
        } throws: { error in
            (error as? InputError)?.diagnostics.first?.line == 3
        }
    }
}
