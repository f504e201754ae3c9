import Foundation

/// Additive exponential smoothing in error-correction form: a level, a linear trend, any number of
/// additive seasons (daily, weekly), and an AR(1) term on the one-step error (Taylor 2003,
/// "Short-term electricity demand forecasting using double seasonal exponential smoothing").
/// Smoothing parameters minimize the sum of squared one-step errors (Nelder-Mead).
struct ExponentialSmoothing {
    let y: [Double]
    let seasons: [Int]
    /// Without them: simple exponential smoothing plus the seasons.
    let trendAndAR: Bool
    private let level0: Double, trend0: Double
    private let seasonal0: [[Double]]

    /// Upper bounds of alpha, beta, one gamma per season, phi. The trend moves slowly: an undamped
    /// trend that follows noise runs away over a day-ahead horizon.
    private var upper: [Double] { [1, trendAndAR ? 0.05 : 0] + seasons.map { _ in 1 } + [trendAndAR ? 0.98 : 0] }

    /// Initial state from the first two cycles of the longest season (or of up to a day without one):
    /// level and trend from the two cycle means, each season from the detrended phase means, the
    /// longer ones net of the shorter.
    init(_ y: [Double], seasons: [Int], dayLength: Int, trendAndAR: Bool = true) {
        self.y = y
        self.seasons = seasons
        self.trendAndAR = trendAndAR
        let cycle = seasons.max() ?? max(1, min(dayLength, y.count / 2))
        let mean1 = y[0 ..< cycle].reduce(0, +) / Double(cycle)
        let mean2 = y[cycle ..< 2 * cycle].reduce(0, +) / Double(cycle)
        let trend = trendAndAR ? (mean2 - mean1) / Double(cycle) : 0
        // The level one period before the first.
        let level = mean1 - trend * Double(cycle + 1) / 2
        var rest = (0 ..< 2 * cycle).map { y[$0] - (level + trend * Double($0 + 1)) }
        var found: [[Double]] = []
        for s in seasons.sorted() {
            var phase = [Double](repeating: 0, count: s)
            var count = [Double](repeating: 0, count: s)
            for (t, v) in rest.enumerated() { phase[t % s] += v; count[t % s] += 1 }
            phase = zip(phase, count).map { $0 / $1 }
            let mean = phase.reduce(0, +) / Double(s)
            phase = phase.map { $0 - mean }
            for t in rest.indices { rest[t] -= phase[t % s] }
            found.append(phase)
        }
        // Back in the order `seasons` gave.
        let sorted = seasons.sorted()
        (level0, trend0) = (level, trend)
        seasonal0 = seasons.map { found[sorted.firstIndex(of: $0)!] }
    }

    private func parameters(_ unit: [Double]) -> [Double] { zip(unit, upper).map { $0 * $1 } }

    /// Runs the recursions over the history; returns the sum of squared one-step errors and the end state.
    private func filter(_ p: [Double]) -> (sse: Double, level: Double, trend: Double, seasonal: [[Double]], error: Double) {
        let alpha = p[0], beta = p[1], phi = p[p.count - 1]
        let gammas = Array(p[2 ..< 2 + seasons.count])
        var level = level0, trend = trend0, seasonal = seasonal0
        var previous = 0.0, sse = 0.0
        for t in 0 ..< y.count {
            var base = level + trend
            for (k, s) in seasons.enumerated() { base += seasonal[k][t % s] }
            let u = y[t] - base
            let e = u - phi * previous
            sse += e * e
            level += trend + alpha * u
            trend += beta * u
            for (k, s) in seasons.enumerated() { seasonal[k][t % s] += gammas[k] * u }
            previous = u
        }
        return (sse, level, trend, seasonal, previous)
    }

    func forecast(horizon: Int) -> [Double] {
        let start = [0.2, 0.1] + seasons.map { _ in 0.2 } + [0.5]
        let best = parameters(NelderMead.minimize(start) { filter(parameters($0)).sse })
        let end = filter(best)
        let phi = best[best.count - 1]
        let n = y.count
        var decay = 1.0
        return (0 ..< horizon).map { k in
            decay *= phi
            var v = end.level + Double(k + 1) * end.trend + decay * end.error
            for (j, s) in seasons.enumerated() { v += end.seasonal[j][(n + k) % s] }
            return v
        }
    }
}

enum HoltWinters {
    static func forecast(_ y: [Double], day: Int, weekly: Bool, horizon: Int) -> [Double] {
        ExponentialSmoothing(y, seasons: weekly ? [day, 7 * day] : [day], dayLength: day).forecast(horizon: horizon)
    }
}

/// MSTL-style: seasons taken out one by one around a moving-average trend (twice over, each
/// season estimated with the others removed), then the seasonally adjusted series (trend plus
/// remainder) forecast by Holt's linear method and the seasons carried on from their last cycle.
enum Decomposition {
    /// Cycles each season's phase levels are fitted over, the latest last: STL's default seasonal
    /// windows for a daily and a weekly season (7 + 4 i, as in statsforecast's MSTL).
    static let dailyWindow = 11, weeklyWindow = 15

    static func forecast(_ y: [Double], day m: Int, weekly: Bool, horizon: Int) -> [Double] {
        let (daily, weeklyShape) = seasons(y, day: m, weekly: weekly)
        let n = y.count
        let adjusted = (0 ..< n).map { y[$0] - daily[$0 % m] - (weeklyShape?[$0 % (7 * m)] ?? 0) }
        let rest = ExponentialSmoothing(adjusted, seasons: [], dayLength: m, trendAndAR: false).forecast(horizon: horizon)
        return (0 ..< horizon).map { k in rest[k] + daily[(n + k) % m] + (weeklyShape?[(n + k) % (7 * m)] ?? 0) }
    }

    /// The daily and (when asked) weekly seasons by phase of the series' own start, as they stand
    /// at the end of the history, each summing to 0.
    static func seasons(_ y: [Double], day m: Int, weekly: Bool) -> ([Double], [Double]?) {
        let n = y.count, w = 7 * m
        var daily = [Double](repeating: 0, count: m)
        var weeklyShape: [Double]? = weekly ? [Double](repeating: 0, count: w) : nil
        for _ in 0 ..< 2 {
            // Each season around its own trend, as wide as STL's: 1.5 season / (1 - 1.5 / window),
            // two days for the daily one, so day-to-day swings stay out of the daily shape.
            let withoutWeekly = (0 ..< n).map { y[$0] - (weeklyShape?[$0 % w] ?? 0) }
            let dailyTrend = movingAverage(withoutWeekly, window: trendWindow(m, dailyWindow))
            daily = phaseLevels((0 ..< n).map { withoutWeekly[$0] - dailyTrend[$0] }, season: m, window: dailyWindow)
            if weekly {
                let withoutDaily = (0 ..< n).map { y[$0] - daily[$0 % m] }
                let weeklyTrend = movingAverage(withoutDaily, window: trendWindow(w, weeklyWindow))
                weeklyShape = phaseLevels((0 ..< n).map { withoutDaily[$0] - weeklyTrend[$0] }, season: w, window: weeklyWindow)
            }
        }
        return (daily, weeklyShape)
    }

    /// STL's trend window, 1.5 season / (1 - 1.5 / window), rounded up to whole seasons so that a
    /// pure cycle leaves no trace in the trend.
    static func trendWindow(_ season: Int, _ window: Int) -> Int {
        season * Int((1.5 / (1 - 1.5 / Double(window))).rounded(.up))
    }

    /// Each phase's level at its latest cycle: the mean of that phase's values in the last `window`
    /// cycles, tricube weights by age (STL's cycle-subseries loess of degree 0, one-sided at the
    /// end, as statsforecast's MSTL sets it). Centred to sum to 0.
    static func phaseLevels(_ r: [Double], season: Int, window: Int) -> [Double] {
        let n = r.count
        var levels = [Double](repeating: 0, count: season)
        for p in 0 ..< min(season, n) {
            let last = (n - 1 - p) / season
            var sw = 0.0, sy = 0.0
            for k in max(0, last - window + 1) ... last {
                let age = Double(last - k) / Double(window)
                let weight = pow(1 - age * age * age, 3)
                sw += weight; sy += weight * r[p + k * season]
            }
            levels[p] = sy / sw
        }
        let mean = levels.reduce(0, +) / Double(season)
        return levels.map { $0 - mean }
    }

    /// A centred moving average over `window` periods (2 x window for an even one, so it is centred),
    /// continued past both ends along the slope of its last day inside.
    static func movingAverage(_ y: [Double], window: Int) -> [Double] {
        let n = y.count
        let half = window / 2
        guard n > 2 * half + 1 else {
            let mean = y.reduce(0, +) / Double(max(1, n))
            return [Double](repeating: mean, count: n)
        }
        var prefix = [0.0]
        for v in y { prefix.append(prefix.last! + v) }
        func sum(_ a: Int, _ b: Int) -> Double { prefix[b] - prefix[a] }
        var trend = [Double](repeating: 0, count: n)
        let inside = half ..< (n - half)
        for t in inside {
            if window % 2 == 1 {
                trend[t] = sum(t - half, t + half + 1) / Double(window)
            } else {
                trend[t] = (sum(t - half, t + half) + sum(t - half + 1, t + half + 1)) / Double(2 * window)
            }
        }
        let span = max(1, min(window, inside.count - 1))
        let lo = inside.lowerBound, hi = inside.upperBound - 1
        let slopeStart = (trend[lo + span] - trend[lo]) / Double(span)
        let slopeEnd = (trend[hi] - trend[hi - span]) / Double(span)
        for t in 0 ..< lo { trend[t] = trend[lo] - slopeStart * Double(lo - t) }
        for t in (hi + 1) ..< n { trend[t] = trend[hi] + slopeEnd * Double(t - hi) }
        return trend
    }
}

/// Demand on the calendar: one level per period of the week (per period of a weekday, a Saturday
/// and a Sunday when the history is shorter than three weeks), public holidays as Sundays, a
/// linear trend and, when the temperature is known, temperature and its square (heating and
/// cooling). The residual's AR(1) carries the last error into the first hours.
enum CalendarRegression {
    static func forecast(_ input: MethodInput, horizon: Int) -> MethodOutput {
        let y = input.values, n = y.count, m = input.periodsPerDay
        let fullWeek = n >= 3 * input.week
        func slot(_ t: Int) -> Int {
            let s = input.weekSlot(t)
            if fullWeek { return s }
            let day = s / m
            return (day < 5 ? 0 : day - 4) * m + s % m
        }
        let slots = fullWeek ? input.week : 3 * m
        var seen = Set((0 ..< n).map(slot))
        // A day type the history never saw would be forecast as zero: use one daily profile instead.
        let daily = seen.count < slots
        func column(_ t: Int) -> Int { daily ? slot(t) % m : slot(t) }
        if daily { seen = Set((0 ..< n).map(column)) }
        let slotCount = daily ? m : slots
        var note: String? = nil
        if daily { note = "regression: the history misses a day type (weekday, Saturday, Sunday): one daily profile" }

        var temperature: (mean: Double, sd: Double, values: [Double])?
        if let temp = input.temperature, temp.count >= n + horizon {
            let history = temp.prefix(n)
            let mean = history.reduce(0, +) / Double(n)
            let sd = (history.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n)).squareRoot()
            if sd > 0 { temperature = (mean, sd, temp) }
        }
        func features(_ t: Int) -> [Double] {
            var x = [Double](repeating: 0, count: slotCount)
            x[column(t)] = 1
            x.append(Double(t) / Double(n))
            if let temperature {
                let z = (temperature.values[t] - temperature.mean) / temperature.sd
                x += [z, z * z]
            }
            return x
        }
        let rows = (0 ..< n).map(features)
        let beta = LeastSquares.solve(rows: rows, targets: y)
        func fitted(_ x: [Double]) -> Double { zip(x, beta).reduce(0) { $0 + $1.0 * $1.1 } }
        let residual = (0 ..< n).map { y[$0] - fitted(rows[$0]) }
        var lagged = 0.0, squared = 0.0
        for t in 1 ..< n { lagged += residual[t] * residual[t - 1]; squared += residual[t - 1] * residual[t - 1] }
        let rho = squared > 0 ? min(max(lagged / squared, 0), 0.99) : 0
        var decay = 1.0
        let values = (0 ..< horizon).map { k -> Double in
            decay *= rho
            return fitted(features(n + k)) + decay * residual[n - 1]
        }
        return MethodOutput(values: values, note: note)
    }
}
