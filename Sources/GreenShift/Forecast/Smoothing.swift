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

    /// Runs the recursions over the history; returns the sum of squared one-step errors and the end
    /// state (the seasons as one flat array, each season's phases in turn). The hot loop of every
    /// fit: flat buffers and phase counters instead of nested arrays and remainders.
    private func filter(_ p: [Double]) -> (sse: Double, level: Double, trend: Double, seasonal: [Double], error: Double) {
        let alpha = p[0], beta = p[1], phi = p[p.count - 1]
        let k = seasons.count
        let gammas = Array(p[2 ..< 2 + k])
        var offsets = [Int](repeating: 0, count: k)
        for i in 1 ..< max(1, k) { offsets[i] = offsets[i - 1] + seasons[i - 1] }
        var level = level0, trend = trend0
        var state = seasonal0.flatMap { $0 }
        var slot = offsets
        var previous = 0.0, sse = 0.0
        state.withUnsafeMutableBufferPointer { season in
            y.withUnsafeBufferPointer { y in
                for t in 0 ..< y.count {
                    var base = level + trend
                    for i in 0 ..< k { base += season[slot[i]] }
                    let u = y[t] - base
                    let e = u - phi * previous
                    sse += e * e
                    level += trend + alpha * u
                    trend += beta * u
                    for i in 0 ..< k {
                        season[slot[i]] += gammas[i] * u
                        slot[i] += 1
                        if slot[i] == offsets[i] + seasons[i] { slot[i] = offsets[i] }
                    }
                    previous = u
                }
            }
        }
        return (sse, level, trend, state, previous)
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
            var offset = 0
            for s in seasons { v += end.seasonal[offset + (n + k) % s]; offset += s }
            return v
        }
    }
}

enum HoltWinters {
    static func forecast(_ y: [Double], day: Int, weekly: Bool, horizon: Int) -> [Double] {
        ExponentialSmoothing(y, seasons: weekly ? [day, 7 * day] : [day], dayLength: day).forecast(horizon: horizon)
    }
}

/// MSTL (Bandara, Hyndman & Bergmeir 2021) as statsforecast runs it: the daily, then the weekly
/// season taken out by STL with seasonal spans of 11 and 15 cycles and a flat (degree 0) seasonal
/// loess, twice over, each season estimated with the others removed; the seasonally adjusted
/// series (trend plus remainder) forecast by simple exponential smoothing and each season carried
/// on from its last cycle.
enum Decomposition {
    /// STL's seasonal spans for the daily and the weekly season (7 + 4 i, R's and statsforecast's).
    static let dailySpan = 11, weeklySpan = 15

    static func forecast(_ y: [Double], day m: Int, weekly: Bool, horizon: Int) -> [Double] {
        let n = y.count
        let seasons = components(y, day: m, weekly: weekly)
        var adjusted = y
        for (_, s) in seasons { for t in 0 ..< n { adjusted[t] -= s[t] } }
        let rest = ExponentialSmoothing(adjusted, seasons: [], dayLength: m, trendAndAR: false).forecast(horizon: horizon)
        return (0 ..< horizon).map { k in
            seasons.reduce(rest[k]) { v, s in v + s.values[n - s.period + k % s.period] }
        }
    }

    /// Each season's component over the history, the shorter season first.
    static func components(_ y: [Double], day m: Int, weekly: Bool) -> [(period: Int, values: [Double])] {
        let n = y.count
        let fits = [STL(period: m, seasonalSpan: dailySpan)] + (weekly ? [STL(period: 7 * m, seasonalSpan: weeklySpan)] : [])
        var seasons = fits.map { (period: $0.period, values: [Double](repeating: 0, count: n)) }
        var adjusted = y
        for _ in 0 ..< (fits.count > 1 ? 2 : 1) {
            for (i, stl) in fits.enumerated() {
                for t in 0 ..< n { adjusted[t] += seasons[i].values[t] }
                seasons[i].values = stl.decompose(adjusted).seasonal
                for t in 0 ..< n { adjusted[t] -= seasons[i].values[t] }
            }
        }
        return seasons
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
            var x = [Double(t) / Double(n)]
            if let temperature {
                let z = (temperature.values[t] - temperature.mean) / temperature.sd
                x += [z, z * z]
            }
            return x
        }
        let rows = (0 ..< n).map(features)
        let fit = LeastSquares.solve(slots: (0 ..< n).map(column), slotCount: slotCount, features: rows, targets: y)
        func fitted(_ t: Int, _ x: [Double]) -> Double { fit.slot[column(t)] + zip(x, fit.feature).reduce(0) { $0 + $1.0 * $1.1 } }
        let residual = (0 ..< n).map { y[$0] - fitted($0, rows[$0]) }
        var lagged = 0.0, squared = 0.0
        for t in 1 ..< n { lagged += residual[t] * residual[t - 1]; squared += residual[t - 1] * residual[t - 1] }
        let rho = squared > 0 ? min(max(lagged / squared, 0), 0.99) : 0
        var decay = 1.0
        let values = (0 ..< horizon).map { k -> Double in
            decay *= rho
            return fitted(n + k, features(n + k)) + decay * residual[n - 1]
        }
        return MethodOutput(values: values, note: note)
    }
}
