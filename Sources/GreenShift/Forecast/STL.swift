import Foundation

/// Seasonal-trend decomposition by loess (Cleveland, Cleveland, McRae & Terpenning 1990), without
/// the robustness iterations, as statsmodels' `STL` computes it (which statsforecast's MSTL calls):
/// each inner pass detrends, smooths every cycle-subseries by loess (extended one cycle past both
/// ends), takes out the low-pass filter of those (moving averages of one season, one season and 3,
/// then a loess) so no trend leaks into the season, and smooths the deseasonalized series by loess
/// into the trend. Every loess is evaluated at every point (no jumps).
struct STL {
    let period: Int
    /// The cycle-subseries loess span, in cycles (odd, at least 3).
    let seasonalSpan: Int
    let seasonalDegree: Int
    let trendSpan: Int
    let lowPassSpan: Int
    let innerIterations: Int

    /// statsmodels' defaults for the trend span, 1.5 period / (1 - 1.5 / seasonal span), and the
    /// low-pass span, the period plus one, both made odd, with local lines for both. Two inner
    /// passes, R's `stl` default without robustness (statsmodels takes five; on the real histories
    /// of docs/forecast.md the day-ahead MASE moves by at most 0.003 and the fit takes half as long).
    init(period: Int, seasonalSpan: Int, seasonalDegree: Int = 0, innerIterations: Int = 2) {
        precondition(period >= 2 && seasonalSpan >= 3 && seasonalSpan % 2 == 1, "STL needs a period of 2 or more and an odd seasonal span of 3 or more")
        self.period = period
        self.seasonalSpan = seasonalSpan
        self.seasonalDegree = seasonalDegree
        let trend = Int((1.5 * Double(period) / (1 - 1.5 / Double(seasonalSpan))).rounded(.up))
        trendSpan = trend + (trend % 2 == 0 ? 1 : 0)
        lowPassSpan = period + 1 + ((period + 1) % 2 == 0 ? 1 : 0)
        self.innerIterations = innerIterations
    }

    /// The seasonal and trend components of `y` (the remainder is what is left).
    func decompose(_ y: [Double]) -> (seasonal: [Double], trend: [Double]) {
        let n = y.count, np = period
        var trend = [Double](repeating: 0, count: n)
        var seasonal = [Double](repeating: 0, count: n)
        for _ in 0 ..< innerIterations {
            let detrended = (0 ..< n).map { y[$0] - trend[$0] }
            // Cycle-subseries smoothed, one cycle before and after the data too: n + 2 np values.
            var cycles = [Double](repeating: 0, count: n + 2 * np)
            for phase in 0 ..< np {
                let sub = Swift.stride(from: phase, to: n, by: np).map { detrended[$0] }
                let k = sub.count
                guard k > 0 else { continue }
                var smooth = [Double](repeating: 0, count: k + 2)
                let inside = Self.smooth(sub, span: seasonalSpan, degree: seasonalDegree)
                for i in 0 ..< k { smooth[i + 1] = inside[i] }
                smooth[0] = Self.estimate(sub, span: seasonalSpan, degree: seasonalDegree, at: 0,
                                          left: 1, right: min(seasonalSpan, k)) ?? smooth[1]
                smooth[k + 1] = Self.estimate(sub, span: seasonalSpan, degree: seasonalDegree, at: k + 1,
                                              left: max(1, k - seasonalSpan + 1), right: k) ?? smooth[k]
                for (m, v) in smooth.enumerated() { cycles[m * np + phase] = v }
            }
            let lowPass = Self.smooth(Self.movingAverage(Self.movingAverage(Self.movingAverage(cycles, np), np), 3),
                                      span: lowPassSpan, degree: 1)
            seasonal = (0 ..< n).map { cycles[np + $0] - lowPass[$0] }
            trend = Self.smooth((0 ..< n).map { y[$0] - seasonal[$0] }, span: trendSpan, degree: 1)
        }
        return (seasonal, trend)
    }

    private static func movingAverage(_ x: [Double], _ length: Int) -> [Double] {
        guard x.count >= length else { return [] }
        var sum = x[0 ..< length].reduce(0, +)
        var out = [sum / Double(length)]
        for j in length ..< x.count {
            sum += x[j] - x[j - length]
            out.append(sum / Double(length))
        }
        return out
    }

    /// Loess of `y` (at positions 1 ... n) evaluated at every position, `span` nearest points each.
    /// Where the span lies wholly inside, the window is symmetric, so the local line's correction
    /// vanishes and the estimate is one fixed tricube kernel: applied as such, and `estimate` only
    /// near the ends.
    static func smooth(_ y: [Double], span: Int, degree: Int) -> [Double] {
        let n = y.count
        guard n >= 2 else { return y }
        var out = [Double](repeating: 0, count: n)
        if span >= n {
            for i in 0 ..< n { out[i] = estimate(y, span: span, degree: degree, at: i + 1, left: 1, right: n) ?? y[i] }
            return out
        }
        let half = (span - 1) / 2
        let kernel = span % 2 == 1 ? tricube(half: half) : nil
        let shift = (span + 2) / 2
        var left = 1, right = span
        for i in 0 ..< n {
            if i + 1 > shift && right != n { left += 1; right += 1 }
            if let kernel, left == i + 1 - half, right == i + 1 + half {
                var v = 0.0
                for k in 0 ..< span { v += kernel[k] * y[i - half + k] }
                out[i] = v
            } else {
                out[i] = estimate(y, span: span, degree: degree, at: i + 1, left: left, right: right) ?? y[i]
            }
        }
        return out
    }

    /// Normalized tricube weights at distances -half ... half, as `estimate` gives them (0 at +-half).
    private static func tricube(half: Int) -> [Double] {
        let h = Double(half)
        let raw = (-half ... half).map { j -> Double in
            let r = abs(Double(j))
            guard r <= 0.999 * h else { return 0 }
            let q = r / h
            return r <= 0.001 * h ? 1 : cube(1 - q * q * q)
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }

    /// The loess estimate at position `x` (1-based, may lie outside 1 ... n) from the points
    /// `left ... right`: tricube weights over the larger distance to either end (widened when the span
    /// exceeds the data), a local line when `degree` is 1. Nil when every weight is 0. One pass of
    /// weighted sums, distances taken from `x`; the same estimate as statsmodels' weight-vector form.
    static func estimate(_ y: [Double], span: Int, degree: Int, at x: Int, left: Int, right: Int) -> Double? {
        let n = y.count
        var h = Double(max(x - left, right - x))
        if span > n { h += Double((span - n) / 2) }
        let h9 = 0.999 * h, h1 = 0.001 * h
        var w0 = 0.0, w1 = 0.0, w2 = 0.0, v0 = 0.0, v1 = 0.0
        for j in left ... right {
            let d = Double(j - x), r = abs(d)
            guard r <= h9 else { continue }
            let q = r / h
            let w = r <= h1 ? 1 : cube(1 - q * q * q)
            w0 += w; w1 += w * d; w2 += w * d * d
            v0 += w * y[j - 1]; v1 += w * d * y[j - 1]
        }
        guard w0 > 0 else { return nil }
        let mean = v0 / w0
        guard h > 0 && degree > 0 else { return mean }
        let a = w1 / w0
        let c = w2 / w0 - a * a
        guard c.squareRoot() > 0.001 * Double(n - 1) else { return mean }
        return mean + (-a / c) * (v1 / w0 - a * mean)
    }
}

@inline(__always) private func cube(_ x: Double) -> Double { x * x * x }
