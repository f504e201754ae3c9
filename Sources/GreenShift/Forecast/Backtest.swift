import Foundation

/// Rolling-origin evaluation of every method on every column of a history (docs/forecast.md,
/// "Backtest"): `windows` forecasts of `horizon` periods, origins `step` apart, the last ending
/// with the history. Each forecast sees only the history before its origin, including `auto`'s
/// choice and every method's quantiles, so what is measured is what `greenshift forecast` would
/// have written.
public struct Backtest: Sendable {
    /// MAE, RMSE, WAPE and MASE over a set of (forecast, actual) pairs.
    public struct Errors: Sendable {
        public var mae: Double
        public var rmse: Double
        /// Sum |error| / sum |actual|; nil when the actuals sum to 0 and for temperatures.
        public var wape: Double?
        /// MAE over the MAE of naive-week on the same windows (so naive-week's is 1); nil when that is 0.
        public var mase: Double?
    }

    public struct MethodResult: Sendable {
        public var method: ForecastMethod
        public var overall: Errors
        public var byLead: [Errors]
        /// Share of actuals at or below each quantile forecast, in the order of `Backtest.quantiles`;
        /// nil where no window had enough history before it to calibrate.
        public var coverage: [Double?]
        /// Time to fit and calibrate this method over all windows; for auto, its choice among all.
        public var seconds: Double
        /// `[window][lead]`.
        public var forecasts: [[Double]]
        /// For auto: the method chosen in each window.
        public var chosen: [ForecastMethod]
        public var notes: [String]
    }

    public struct ColumnResult: Sendable {
        public var file: String
        public var column: String
        /// `[window][lead]`.
        public var actual: [[Double]]
        public var methods: [MethodResult]

        public func result(_ method: ForecastMethod) -> MethodResult? { methods.first { $0.method == method } }
        /// The method with the lowest MASE (MAE when MASE is undefined), auto left out.
        public var best: ForecastMethod {
            methods.filter { $0.method != .auto }.min { ($0.overall.mase ?? $0.overall.mae) < ($1.overall.mase ?? $1.overall.mae) }!.method
        }
    }

    public var start: Timestamp
    public var periodMinutes: Int
    public var horizon: Int
    public var step: Int
    /// Period index of each window's first forecast period.
    public var origins: [Int]
    public var quantiles: [Double]
    public var columns: [ColumnResult]
    public var seconds: Double

    public func originTime(_ k: Int) -> Timestamp { start.adding(minutes: origins[k] * periodMinutes) }

    public static func run(history: History, horizon: Int, windows: Int, step: Int? = nil, quantiles: [Double] = [0.1, 0.5, 0.9],
                           holidays: Holidays = Holidays()) throws(InputError) -> Backtest {
        let step = step ?? horizon
        let m = history.periodsPerDay, n = history.periodCount
        guard horizon >= 1, windows >= 1, step >= 1 else {
            throw InputError([Diagnostic(file: "backtest", "--horizon, --windows and --step must be at least 1")])
        }
        let first = n - horizon - (windows - 1) * step
        guard first >= m else {
            throw InputError([Diagnostic(file: "backtest", "\(windows) window\(windows == 1 ? "" : "s") of \(horizon) period\(horizon == 1 ? "" : "s"), \(step) apart, leave \(max(0, first)) periods of the \(n) to train the first on; it needs at least one day (\(m)). Ask for fewer windows or a shorter horizon")])
        }
        let origins = (0 ..< windows).map { first + $0 * step }
        let calendar = ForecastCalendar(start: history.start, periodMinutes: history.periodMinutes, holidays: holidays)
        let clock = ContinuousClock()
        let begin = clock.now
        var columns: [ColumnResult] = []
        for file in history.files {
            for (c, id) in file.columns.enumerated() {
                let column = ForecastColumn(history, file, c)
                columns.append(evaluate(column, file: file, id: id, origins: origins, horizon: horizon,
                                        quantiles: quantiles, calendar: calendar))
            }
        }
        return Backtest(start: history.start, periodMinutes: history.periodMinutes, horizon: horizon, step: step,
                        origins: origins, quantiles: quantiles, columns: columns, seconds: (clock.now - begin).seconds)
    }

    private static func evaluate(_ column: ForecastColumn, file: History.File, id: String, origins: [Int], horizon: Int,
                                 quantiles: [Double], calendar: ForecastCalendar) -> ColumnResult {
        let candidates = ForecastMethod.candidates(demand: column.demand)
        let clock = ContinuousClock()
        var seconds: [ForecastMethod: Double] = [:]
        var results: [ForecastMethod: [ForecastColumn.Result?]] = [:]
        let memo: ForecastColumn.Memo = (ForecastMemo(), file.name, id)
        for o in origins {
            var errors: [ForecastMethod: [[Double]]] = [:]
            for method in candidates {
                let begin = clock.now
                errors[method] = column.calibrationErrors(upTo: o, horizon: horizon, method: method, calendar: calendar, memo: memo)
                results[method, default: []].append(column.forecast(upTo: o, horizon: horizon, method: method, quantiles: quantiles,
                                                                   calendar: calendar, errors: errors))
                seconds[method, default: 0] += (clock.now - begin).seconds
            }
            // Auto reuses the candidates' calibration; its own cost is theirs plus the refit of its choice.
            let begin = clock.now
            results[.auto, default: []].append(column.forecast(upTo: o, horizon: horizon, method: .auto, quantiles: quantiles,
                                                              calendar: calendar, errors: errors))
            seconds[.auto, default: 0] += (clock.now - begin).seconds
        }
        seconds[.auto, default: 0] += candidates.reduce(0) { $0 + (seconds[$1] ?? 0) }
        let actual = origins.map { o in (0 ..< horizon).map { column.values[o + $0] } }
        let ratioScale = file.name != "temperature_c"
        let point: [ForecastMethod: [[Double]]] = results.mapValues { rs in
            rs.enumerated().map { k, r in r?.point ?? column.predict(upTo: origins[k], horizon: horizon, method: .naiveDay, calendar: calendar).values }
        }
        let scale = meanAbsolute(point[.naiveWeek]!, actual)
        let methods = ([.auto] + candidates).map { method -> MethodResult in
            let f = point[method]!
            let rs = results[method]!
            let coverage = quantiles.indices.map { k -> Double? in
                var below = 0, total = 0
                for (w, r) in rs.enumerated() {
                    guard let r, k < r.quantiles.count else { continue }
                    for h in 0 ..< horizon { total += 1; if actual[w][h] <= r.quantiles[k][h] { below += 1 } }
                }
                return total > 0 ? Double(below) / Double(total) : nil
            }
            let notes = Array(Set(rs.compactMap { $0 }.flatMap(\.notes))).sorted()
            return MethodResult(
                method: method, overall: errors(f, actual, scale: scale, ratioScale: ratioScale),
                byLead: (0 ..< horizon).map { h in errors(f.map { [$0[h]] }, actual.map { [$0[h]] }, scale: scale, ratioScale: ratioScale) },
                coverage: coverage, seconds: seconds[method] ?? 0, forecasts: f,
                chosen: method == .auto ? rs.map { $0?.method ?? .naiveDay } : [], notes: notes)
        }
        return ColumnResult(file: file.name, column: id, actual: actual, methods: methods)
    }

    private static func meanAbsolute(_ f: [[Double]], _ a: [[Double]]) -> Double {
        errors(f, a, scale: 0, ratioScale: false).mae
    }

    /// Sums of huge values (1e300) would overflow: every error and actual is divided by the
    /// largest magnitude first, and the statistics multiplied back.
    static func errors(_ f: [[Double]], _ a: [[Double]], scale: Double, ratioScale: Bool) -> Errors {
        let pairs = Array(zip(f.joined(), a.joined()))
        let largest = pairs.map { max(abs($0.0), abs($0.1)) }.max() ?? 0
        let unit = largest > 0 && largest.isFinite ? largest : 1
        var absolute = 0.0, squared = 0.0, weight = 0.0
        for (x, y) in pairs {
            let e = x / unit - y / unit
            absolute += abs(e); squared += e * e; weight += abs(y / unit)
        }
        let count = Double(max(1, pairs.count))
        let mae = unit * absolute / count
        return Errors(mae: mae, rmse: unit * (squared / count).squareRoot(),
                      wape: ratioScale && weight > 0 ? absolute / weight : nil,
                      mase: scale > 0 ? mae / scale : nil)
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
