import Foundation

/// The forecasting methods of `greenshift forecast` (docs/forecast.md, "Methods").
public enum ForecastMethod: String, CaseIterable, Sendable {
    /// The one with the lowest mean absolute error in a rolling-origin backtest on the history.
    case auto
    /// Each period as the same period of the last day.
    case naiveDay = "naive-day"
    /// Each period as the same period of the last week.
    case naiveWeek = "naive-week"
    /// Additive Holt-Winters with a trend, a daily and a weekly season (Taylor 2003) and an AR(1)
    /// term on the one-step error; smoothing parameters by least squares.
    case holtWinters = "holt-winters"
    /// MSTL as statsforecast computes it: daily and weekly seasons by STL (`Decomposition`, `STL`);
    /// the rest (trend plus remainder) by simple exponential smoothing fitted by least squares.
    case decomposition = "mstl"
    /// Least squares on the calendar (hour of week, public holidays as Sundays), a linear trend
    /// and, for demand, temperature; AR(1) on the residual.
    case regression

    /// The methods `auto` chooses among for a column.
    static func candidates(demand: Bool) -> [ForecastMethod] {
        [.naiveDay, .naiveWeek, .holtWinters, .decomposition] + (demand ? [.regression] : [])
    }
}

/// What a method sees of one column: its history and, for the periods to forecast too, the calendar
/// and the temperature.
struct MethodInput {
    /// The history, divided by `scale` (so fitting is scale-free).
    var values: [Double]
    var periodsPerDay: Int
    /// Whether the seasonal methods fit a weekly season besides the daily one (given two weeks).
    var weeklySeason: Bool
    /// Local period of the week (Monday 00:00 is 0) of every period, history and horizon; holidays
    /// are Sundays.
    var weekSlot: (Int) -> Int
    /// Temperature at every period, history and horizon, when known.
    var temperature: [Double]?

    var count: Int { values.count }
    var week: Int { 7 * periodsPerDay }
}

/// A method's forecast, and why it did less than asked (a fallback for a short history).
struct MethodOutput {
    var values: [Double]
    var note: String?
    /// The method that made `values` when a short history made the asked one fall back.
    var fellBackTo: ForecastMethod? = nil
}

enum Methods {
    static func run(_ method: ForecastMethod, _ input: MethodInput, horizon: Int) -> MethodOutput {
        let y = input.values, m = input.periodsPerDay
        // A constant column (all zeros included) is its own forecast, exactly.
        if let first = y.first, y.allSatisfy({ $0 == first }) { return MethodOutput(values: Array(repeating: first, count: horizon)) }
        switch method {
        case .auto, .naiveDay:
            return MethodOutput(values: seasonalNaive(y, season: m, horizon: horizon))
        case .naiveWeek:
            guard y.count >= input.week else {
                return MethodOutput(values: seasonalNaive(y, season: m, horizon: horizon),
                                    note: "naive-week: less than a week of history, used the last day", fellBackTo: .naiveDay)
            }
            return MethodOutput(values: seasonalNaive(y, season: input.week, horizon: horizon))
        case .holtWinters, .decomposition:
            guard y.count >= 2 * m else { return shortFallback(method, y, m, horizon) }
            // A weekly season needs two weeks; a series without one (weather) never asks.
            let short = input.weeklySeason && y.count < 2 * input.week
            let weekly = input.weeklySeason && !short
            let values = method == .holtWinters ? HoltWinters.forecast(y, day: m, weekly: weekly, horizon: horizon)
                                                : Decomposition.forecast(y, day: m, weekly: weekly, horizon: horizon)
            return MethodOutput(values: values, note: short ? "\(method.rawValue): less than two weeks of history, daily season only" : nil)
        case .regression:
            guard y.count >= 2 * m else { return shortFallback(method, y, m, horizon) }
            return CalendarRegression.forecast(input, horizon: horizon)
        }
    }

    private static func shortFallback(_ method: ForecastMethod, _ y: [Double], _ m: Int, _ horizon: Int) -> MethodOutput {
        MethodOutput(values: seasonalNaive(y, season: m, horizon: horizon),
                     note: "\(method.rawValue): less than two days of history, used the last day (naive-day)", fellBackTo: .naiveDay)
    }

    /// Period `n + k` as period `n + k - season * ceil((k + 1) / season)`, the last one of its phase.
    static func seasonalNaive(_ y: [Double], season: Int, horizon: Int) -> [Double] {
        let n = y.count
        let s = min(season, n)
        return (0 ..< horizon).map { y[n - s + $0 % s] }
    }
}

// MARK: - Fitting

/// Nelder-Mead simplex minimization over the unit box: parameters pass through a logistic map,
/// so any point of R^k is a valid parameter vector. Deterministic.
enum NelderMead {
    static func minimize(_ start: [Double], iterations: Int = 400, _ f: ([Double]) -> Double) -> [Double] {
        let k = start.count
        func logit(_ p: Double) -> Double { let q = min(max(p, 1e-6), 1 - 1e-6); return log(q / (1 - q)) }
        func unit(_ x: [Double]) -> [Double] { x.map { 1 / (1 + exp(-$0)) } }
        var simplex = [start.map(logit)]
        for i in 0 ..< k {
            var v = simplex[0]
            v[i] += 1.0
            simplex.append(v)
        }
        var values = simplex.map { f(unit($0)) }
        for _ in 0 ..< iterations {
            let order = values.indices.sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }
            if abs(values[k] - values[0]) <= 1e-8 * (abs(values[0]) + 1e-30) { break }
            var centroid = [Double](repeating: 0, count: k)
            for v in simplex.prefix(k) { for i in 0 ..< k { centroid[i] += v[i] / Double(k) } }
            func along(_ t: Double) -> [Double] { (0 ..< k).map { centroid[$0] + t * (simplex[k][$0] - centroid[$0]) } }
            let reflected = along(-1), fr = f(unit(reflected))
            if fr < values[0] {
                let expanded = along(-2), fe = f(unit(expanded))
                (simplex[k], values[k]) = fe < fr ? (expanded, fe) : (reflected, fr)
            } else if fr < values[k - 1] {
                (simplex[k], values[k]) = (reflected, fr)
            } else {
                let contracted = fr < values[k] ? along(-0.5) : along(0.5)
                let fc = f(unit(contracted))
                if fc < min(fr, values[k]) {
                    (simplex[k], values[k]) = (contracted, fc)
                } else {
                    for j in 1 ... k {
                        simplex[j] = (0 ..< k).map { simplex[0][$0] + 0.5 * (simplex[j][$0] - simplex[0][$0]) }
                        values[j] = f(unit(simplex[j]))
                    }
                }
            }
        }
        let best = values.indices.min { values[$0] < values[$1] }!
        return unit(simplex[best])
    }
}

/// Least squares with one level per slot (a one-hot calendar column) and a few dense features, by
/// the normal equations with a ridge of 1e-9 of each diagonal entry (at least 1e-9) so that an
/// unseen slot or a constant feature stays solvable. The slots' block is diagonal, so it is
/// eliminated first (its Schur complement): O(n q^2 + p q^2) for p slots and q features instead of
/// the O(p^3) of a dense factorization, which at 15-minute periods (p = 672) was most of a forecast.
enum LeastSquares {
    static func solve(slots: [Int], slotCount p: Int, features: [[Double]], targets: [Double],
                      ridge: Double = 1e-9) -> (slot: [Double], feature: [Double]) {
        let q = features.first?.count ?? 0
        var count = [Double](repeating: 0, count: p), sumY = [Double](repeating: 0, count: p)
        var cross = [Double](repeating: 0, count: p * q)            // sum of each feature per slot
        var gram = [Double](repeating: 0, count: q * q), xy = [Double](repeating: 0, count: q)
        for (t, s) in slots.enumerated() {
            let x = features[t], y = targets[t]
            count[s] += 1; sumY[s] += y
            for i in 0 ..< q {
                cross[s * q + i] += x[i]
                xy[i] += x[i] * y
                for j in 0 ... i { gram[i * q + j] += x[i] * x[j] }
            }
        }
        let diagonal = count.map { $0 + ridge * max(1, $0) }
        for i in 0 ..< q {
            gram[i * q + i] += ridge * max(1, gram[i * q + i])
            for j in 0 ..< i { gram[j * q + i] = gram[i * q + j] }
        }
        // The features' system once the slot levels are eliminated.
        for s in 0 ..< p where count[s] > 0 {
            for i in 0 ..< q {
                let b = cross[s * q + i] / diagonal[s]
                xy[i] -= b * sumY[s]
                for j in 0 ..< q { gram[i * q + j] -= b * cross[s * q + j] }
            }
        }
        let feature = Cholesky.solve(gram, xy, size: q)
        let slot = (0 ..< p).map { s in
            (sumY[s] - (0 ..< q).reduce(0) { $0 + cross[s * q + $1] * feature[$1] }) / diagonal[s]
        }
        return (slot, feature)
    }
}

/// A symmetric positive (semi)definite system a x = b, a row-major size x size, by Cholesky
/// (a pivot that is not positive counts as tiny, so a singular direction gets no weight).
enum Cholesky {
    static func solve(_ a: [Double], _ b: [Double], size p: Int) -> [Double] {
        var a = a
        // In place: a = L L^T, lower triangle.
        for j in 0 ..< p {
            var d = a[j * p + j]
            for k in 0 ..< j { d -= a[j * p + k] * a[j * p + k] }
            let l = d > 0 ? d.squareRoot() : 1e-150
            a[j * p + j] = l
            for i in (j + 1) ..< max(j + 1, p) {
                var s = a[i * p + j]
                for k in 0 ..< j { s -= a[i * p + k] * a[j * p + k] }
                a[i * p + j] = s / l
            }
        }
        var z = b
        for i in 0 ..< p {
            for k in 0 ..< i { z[i] -= a[i * p + k] * z[k] }
            z[i] /= a[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1) ..< max(i + 1, p) { z[i] -= a[k * p + i] * z[k] }
            z[i] /= a[i * p + i]
        }
        return z
    }
}
