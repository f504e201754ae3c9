import Foundation

/// Forecasts from a history (docs/forecast.md). The entry point for `greenshift forecast` and for
/// callers that forecast in memory, such as a nightly loop:
///
///     let history = try HistoryReader(directory: "history").read()
///     let set = try Forecaster.forecast(history: history, from: night, periods: 24)
///     set.series("renewable_mw")?.point   // [column][period], >= 0
public enum Forecaster {
    /// Backtest windows a forecast is chosen and calibrated on: origins one day apart, the latest
    /// ending with the history.
    public static let calibrationWindows = 28

    /// Forecasts every column of every file of `history` for `periods` periods from `from`, using
    /// only the history before `from` (so a loop can pass its whole history and each night's start).
    /// `from` may lie past the end of the history, on its period grid; the periods between are
    /// forecast and dropped. Quantile levels in (0, 1) add one forecast each, from the backtest's
    /// errors by lead time.
    ///
    /// `memo` keeps the backtest fits for the next call on the same history grown longer (a
    /// nightly loop passes one memo every night, so each night fits only its new origins).
    public static func forecast(history: History, from: Timestamp, periods: Int, method: ForecastMethod = .auto,
                                quantiles: [Double] = [], holidays: Holidays = Holidays(),
                                memo: ForecastMemo? = nil) throws(InputError) -> ForecastSet {
        let m = history.periodsPerDay
        let minutes = Int((from.epochSeconds - history.start.epochSeconds) / 60)
        guard (from.epochSeconds - history.start.epochSeconds) % 60 == 0, minutes % history.periodMinutes == 0 else {
            throw InputError([Diagnostic(file: "--from", "\(from) is not on the history's period grid (\(history.start) + k x \(history.periodMinutes) min)")])
        }
        let offset = minutes / history.periodMinutes
        let known = min(max(offset, 0), history.periodCount)
        guard known >= m else {
            throw InputError([Diagnostic(file: "--from", "only \(known) periods of history before \(from); a forecast needs at least one day (\(m) periods)")])
        }
        guard periods >= 1 else { throw InputError([Diagnostic(file: "--periods", "must be at least 1")]) }
        let skip = offset - known
        let horizon = skip + periods
        let calendar = ForecastCalendar(start: history.start, periodMinutes: history.periodMinutes, holidays: holidays)
        var files: [ForecastSet.File] = []
        var notes: [String] = []
        for file in history.files {
            var columns: [ColumnForecast] = []
            for (c, id) in file.columns.enumerated() {
                let column = ForecastColumn(history, file, c)
                let result = column.forecast(upTo: known, horizon: horizon, method: method, quantiles: quantiles, calendar: calendar,
                                             memo: memo.map { ($0, file.name, id) })
                guard let result else {
                    throw InputError([Diagnostic(file: file.name + ".csv", "column '\(id)': \(known) periods of history are too few for quantiles; they need at least one backtest window: two days (\(2 * m) periods) to train on and the \(horizon) periods it forecasts\(skip > 0 ? " (the \(skip) from the history's end to --from included)" : ""), \(2 * m + horizon) in all")])
                }
                notes += result.notes.map { "\(file.name).csv column '\(id)': \($0)" }
                columns.append(ColumnForecast(column: id, method: result.method, point: Array(result.point.dropFirst(skip)),
                                              quantiles: result.quantiles.map { Array($0.dropFirst(skip)) },
                                              backtestMAE: result.backtestMAE))
            }
            files.append(ForecastSet.File(name: file.name, columns: columns))
        }
        return ForecastSet(start: history.start.adding(minutes: offset * history.periodMinutes), periodMinutes: history.periodMinutes,
                           periods: periods, quantiles: quantiles, files: files, notes: notes)
    }
}

/// Backtest errors kept from one `Forecaster.forecast` to the next, by file, column, method,
/// horizon and origin. An origin's errors depend only on the history before it and the periods it
/// forecasts, so they hold for any later call on the same history grown longer (same start,
/// period, holidays and values where both have them); pass one memo only to such calls.
public final class ForecastMemo: @unchecked Sendable {
    struct Key: Hashable { var file: String; var column: String; var method: ForecastMethod; var horizon: Int }
    private var origins: [Key: [Int: [Double]]] = [:]
    private let lock = NSLock()

    public init() {}

    func withOrigins(_ key: Key, _ body: (inout [Int: [Double]]) -> [[Double]]) -> [[Double]] {
        lock.lock()
        defer { lock.unlock() }
        return body(&origins[key, default: [:]])
    }
}

/// Public holidays, as local dates: their periods take the profile of a Sunday.
public struct Holidays: Sendable {
    /// Days since 1970-01-01 of each holiday.
    var days: Set<Int>

    public init() { days = [] }

    /// `YYYY-MM-DD` dates, one a line; `#` starts a comment. Bad lines are bad input, with their line.
    public init(file: String) throws(InputError) {
        var days = Set<Int>(), problems: [Diagnostic] = []
        switch TextFile.read(file, displayName: file) {
        case .failure(let d): throw InputError([d])
        case .success(let text):
            for (k, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let line = raw.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
                if line.isEmpty { continue }
                if let stamp = try? Timestamp(parsing: line + "T00:00:00Z") {
                    days.insert(Int(stamp.epochSeconds / 86_400))
                } else {
                    problems.append(Diagnostic(file: file, line: k + 1, column: 1, "'\(line)' is not a date YYYY-MM-DD"))
                }
            }
        }
        guard problems.isEmpty else { throw InputError(problems) }
        self.days = days
    }
}

/// The forecasts of one run: per file, per column, the point forecast and one series per quantile.
public struct ForecastSet: Sendable {
    public struct File: Sendable {
        public var name: String
        public var columns: [ColumnForecast]
        /// `[column][period]`.
        public var point: [[Double]] { columns.map(\.point) }
    }

    public var start: Timestamp
    public var periodMinutes: Int
    public var periods: Int
    public var quantiles: [Double]
    public var files: [File]
    /// Fallbacks taken for short histories, per column.
    public var notes: [String]

    public func series(_ name: String) -> File? { files.first { $0.name == name } }

    /// `<series>.csv` and `<series>.q10.csv` etc., in the scenario's wide layout.
    public func csvFiles() -> [(name: String, contents: String)] {
        var out: [(String, String)] = []
        for file in files {
            out.append((file.name + ".csv", csv(file.columns.map(\.id), file.columns.map(\.point))))
            for (k, q) in quantiles.enumerated() {
                out.append((file.name + "." + Self.quantileSuffix(q) + ".csv", csv(file.columns.map(\.id), file.columns.map { $0.quantiles[k] })))
            }
        }
        return out
    }

    /// `q10` for 0.1, `q05` for 0.05, `q975` for 0.975.
    public static func quantileSuffix(_ q: Double) -> String {
        var digits = String(format: "%.4f", q).dropFirst(2)
        while digits.count > 2, digits.last == "0" { digits = digits.dropLast() }
        return "q" + digits
    }

    private func csv(_ ids: [String], _ values: [[Double]]) -> String {
        var out = "timestamp," + ids.joined(separator: ",") + "\n"
        for t in 0 ..< periods {
            out += start.adding(minutes: t * periodMinutes).description
            for column in values { out += "," + Self.number(column[t]) }
            out += "\n"
        }
        return out
    }

    /// Six significant digits, without trailing zeros; below 0.001 and from 1e15 on, where fixed
    /// decimals grow long or the integer would not fit, in exponent notation (`9.6e-10`), which the
    /// series reader reads back. `predict` hands no non-finite value; one would be written as 0.
    static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let magnitude = v == 0 ? 0 : Int(floor(log10(abs(v)))) + 1
        guard v == 0 || (-2 ... 15).contains(magnitude) else { return String(format: "%.6g", v) }
        var s = ScenarioGenerator.fixed(v, max(0, 6 - magnitude))
        if s.contains(".") {
            while s.last == "0" { s.removeLast() }
            if s.last == "." { s.removeLast() }
        }
        return s == "-0" ? "0" : s
    }
}

public struct ColumnForecast: Sendable {
    public var id: String
    /// The method used; for `auto`, the one it chose.
    public var method: ForecastMethod
    public var point: [Double]
    /// One series per quantile level asked for, in that order.
    public var quantiles: [[Double]]
    /// Mean absolute error of each candidate in the backtest that chose the method (empty when forced).
    public var backtestMAE: [(ForecastMethod, Double)]

    init(column: String, method: ForecastMethod, point: [Double], quantiles: [[Double]], backtestMAE: [(ForecastMethod, Double)]) {
        self.id = column; self.method = method; self.point = point; self.quantiles = quantiles; self.backtestMAE = backtestMAE
    }
}

/// Local calendar of the history's periods, in the offset its timestamps are written in.
struct ForecastCalendar {
    var start: Timestamp
    var periodMinutes: Int
    var holidays: Holidays

    /// Period of the week, Monday 00:00 local being 0; a holiday is a Sunday.
    func weekSlot(_ t: Int) -> Int {
        let local = start.epochSeconds + Int64(start.offsetMinutes) * 60 + Int64(t * periodMinutes) * 60
        let day = Int(local.floorDivided(by: 86_400))
        let minuteOfDay = Int(local - Int64(day) * 86_400) / 60
        let weekday = holidays.days.contains(day) ? 6 : (day + 3).modulo(7)
        return (weekday * 1440 + minuteOfDay) / periodMinutes
    }
}

/// One column of a history, ready to be forecast from any origin.
struct ForecastColumn {
    let values: [Double]
    let periodsPerDay: Int
    let nonNegative: Bool
    let demand: Bool
    /// Whether the methods fit a weekly season (History.File.hasWeeklyCycle).
    let weekly: Bool
    /// The same node's temperature history, for demand.
    let temperature: [Double]?

    init(_ history: History, _ file: History.File, _ c: Int) {
        values = file.values[c]
        periodsPerDay = history.periodsPerDay
        nonNegative = file.nonNegative
        demand = file.isDemand
        weekly = file.hasWeeklyCycle
        let temperatures = file.isDemand ? history.files.first { $0.name == "temperature_c" } : nil
        temperature = temperatures.flatMap { t in t.columns.firstIndex(of: file.columns[c]).map { t.values[$0] } }
    }

    init(values: [Double], periodsPerDay: Int, nonNegative: Bool, demand: Bool, weekly: Bool = true, temperature: [Double]?) {
        self.values = values; self.periodsPerDay = periodsPerDay; self.nonNegative = nonNegative
        self.demand = demand; self.weekly = weekly; self.temperature = temperature
    }

    struct Result {
        var method: ForecastMethod
        var point: [Double]
        var quantiles: [[Double]]
        var notes: [String]
        var backtestMAE: [(ForecastMethod, Double)]
    }

    /// One method fitted on the first `n` periods.
    func predict(upTo n: Int, horizon: Int, method: ForecastMethod, calendar: ForecastCalendar) -> MethodOutput {
        let y = Array(values.prefix(n))
        // Scale-free fitting: the methods see the series divided by its largest magnitude.
        let scale = y.map(abs).max() ?? 0
        guard scale > 0, scale.isFinite else { return MethodOutput(values: Array(repeating: 0, count: horizon)) }
        var temperatureAhead: [Double]?
        if method == .regression, let temperature, temperature.count >= n {
            // The temperature to come is not known: the decomposition forecasts it from the same history.
            let past = Array(temperature.prefix(n))
            let ahead = ForecastColumn(values: past, periodsPerDay: periodsPerDay, nonNegative: false, demand: false, weekly: false, temperature: nil)
                .predict(upTo: n, horizon: horizon, method: .decomposition, calendar: calendar).values
            temperatureAhead = past + ahead
        }
        let input = MethodInput(values: y.map { $0 / scale }, periodsPerDay: periodsPerDay, weeklySeason: weekly,
                                weekSlot: calendar.weekSlot, temperature: temperatureAhead)
        var out = Methods.run(method, input, horizon: horizon)
        out.values = out.values.map { v in
            let x = v * scale
            return !x.isFinite ? 0 : nonNegative ? max(0, x) : x
        }
        return out
    }

    /// Origins of the backtest windows inside the first `n` periods: one day apart, the latest at
    /// `n - horizon`, each with two weeks to train on when the history allows (else half of it, at
    /// least two days).
    func calibrationOrigins(upTo n: Int, horizon: Int) -> [Int] {
        let m = periodsPerDay
        let train = n - horizon >= 17 * m ? 14 * m : max(2 * m, (n - horizon) / 2)
        return stride(from: n - horizon, through: train, by: -m).prefix(Forecaster.calibrationWindows).reversed()
    }

    /// Where a column's calibration errors are kept (`ForecastMemo`), and under which file and column.
    typealias Memo = (store: ForecastMemo, file: String, column: String)

    /// Forecast errors (actual - forecast) of `method` in each calibration window, by lead. With
    /// `memo`, each origin is fitted once for every call that shares it: a forecast sees only the
    /// history before its origin, so a backtest's windows one day apart, or a nightly loop's
    /// nights, share all but one of their calibration origins.
    func calibrationErrors(upTo n: Int, horizon: Int, method: ForecastMethod, calendar: ForecastCalendar,
                           memo: Memo? = nil) -> [[Double]] {
        func errors(at o: Int) -> [Double] {
            let f = predict(upTo: o, horizon: horizon, method: method, calendar: calendar).values
            return (0 ..< horizon).map { values[o + $0] - f[$0] }
        }
        let origins = calibrationOrigins(upTo: n, horizon: horizon)
        guard let memo else { return origins.map(errors) }
        return memo.store.withOrigins(.init(file: memo.file, column: memo.column, method: method, horizon: horizon)) { kept in
            origins.map { o in
                if let known = kept[o] { return known }
                let e = errors(at: o)
                kept[o] = e
                return e
            }
        }
    }

    /// The forecast of the first `n` periods with `method` (auto: the candidate with the least
    /// backtest MAE), its quantiles, and the notes of the fallbacks it took. Nil when quantiles
    /// are asked for and there is no backtest window to calibrate them on.
    func forecast(upTo n: Int, horizon: Int, method: ForecastMethod, quantiles: [Double], calendar: ForecastCalendar,
                  memo: Memo? = nil) -> Result? {
        let candidates = method == .auto ? ForecastMethod.candidates(demand: demand) : [method]
        var errors: [ForecastMethod: [[Double]]] = [:]
        if method == .auto || !quantiles.isEmpty {
            for c in candidates { errors[c] = calibrationErrors(upTo: n, horizon: horizon, method: c, calendar: calendar, memo: memo) }
        }
        return forecast(upTo: n, horizon: horizon, method: method, quantiles: quantiles, calendar: calendar, errors: errors)
    }

    /// As above, with the calibration errors of every candidate given.
    func forecast(upTo n: Int, horizon: Int, method: ForecastMethod, quantiles: [Double], calendar: ForecastCalendar,
                  errors: [ForecastMethod: [[Double]]]) -> Result? {
        var notes: [String] = []
        var chosen = method
        var maes: [(ForecastMethod, Double)] = []
        if method == .auto {
            let candidates = ForecastMethod.candidates(demand: demand)
            maes = candidates.compactMap { c in
                let e = errors[c] ?? []
                let count = e.reduce(0) { $0 + $1.count }
                return count > 0 ? (c, e.joined().reduce(0) { $0 + abs($1) } / Double(count)) : nil
            }
            if let best = maes.min(by: { $0.1 < $1.1 }) {
                chosen = best.0
            } else {
                chosen = .naiveDay
                notes.append("auto: too little history for a backtest window (two days to train on and \(horizon) periods to forecast), used naive-day")
            }
        }
        let out = predict(upTo: n, horizon: horizon, method: chosen, calendar: calendar)
        if let note = out.note { notes.append(note) }
        var bands: [[Double]] = []
        if !quantiles.isEmpty {
            guard let e = errors[chosen], !e.isEmpty else { return nil }
            let model = ErrorQuantiles(errors: e, horizon: horizon)
            bands = quantiles.map { q in
                (0 ..< horizon).map { h in
                    let v = out.values[h] + model.offset(q, lead: h)
                    return nonNegative ? max(0, v) : v
                }
            }
            // Quantile forecasts never cross: sorted period by period, in the order of the levels.
            let order = quantiles.indices.sorted { quantiles[$0] < quantiles[$1] }
            for h in 0 ..< horizon {
                let sorted = order.map { bands[$0][h] }.sorted()
                for (k, i) in order.enumerated() { bands[i][h] = sorted[k] }
            }
        }
        return Result(method: out.fellBackTo ?? chosen, point: out.values, quantiles: bands, notes: notes, backtestMAE: maes)
    }
}

/// Quantiles of the forecast error by lead time, from backtest windows: the errors of each lead are
/// divided by that lead's root mean square error (smoothed over neighbouring leads), pooled over
/// all leads and windows, and their empirical quantile (at rank q (N + 1), the conformal choice)
/// scaled back by the lead's RMSE. Pooling gives enough errors for the tails from a few windows;
/// the per-lead scale keeps the band narrow at night for solar and wide at long leads.
struct ErrorQuantiles {
    let scale: [Double]
    let pooled: [Double]

    init(errors: [[Double]], horizon: Int) {
        // Squares of huge errors (1e200) would overflow: the RMS is taken of errors over their largest.
        let largest = errors.joined().map(abs).max() ?? 0
        let unit = largest > 0 && largest.isFinite ? largest : 1
        var rms = (0 ..< horizon).map { h -> Double in
            let e = errors.map { $0[h] / unit }
            return unit * (e.map { $0 * $0 }.reduce(0, +) / Double(max(1, e.count))).squareRoot()
        }
        // Leads whose errors are all zero (solar at night) stay zero: no band there.
        rms = (0 ..< horizon).map { h in
            guard rms[h] > 0 else { return 0 }
            let near = (max(0, h - 2) ... min(horizon - 1, h + 2)).map { rms[$0] }.filter { $0 > 0 }
            return near.reduce(0, +) / Double(near.count)
        }
        scale = rms
        var z: [Double] = []
        for w in errors { for h in 0 ..< horizon where rms[h] > 0 { z.append(w[h] / rms[h]) } }
        pooled = z.sorted()
    }

    /// What to add to the point forecast at `lead` for quantile `q`.
    func offset(_ q: Double, lead: Int) -> Double {
        guard scale[lead] > 0, !pooled.isEmpty else { return 0 }
        let n = pooled.count
        let rank = q * Double(n + 1) - 1
        let lo = Int(floor(rank)), hi = lo + 1
        let z: Double
        if lo < 0 { z = pooled[0] } else if hi >= n { z = pooled[n - 1] } else {
            z = pooled[lo] + (rank - Double(lo)) * (pooled[hi] - pooled[lo])
        }
        return z * scale[lead]
    }
}
