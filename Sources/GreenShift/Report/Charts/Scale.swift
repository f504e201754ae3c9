import Foundation

/// Maps a data interval onto a pixel interval linearly. For a y axis, `range` runs from the
/// bottom pixel to the top one, so larger values are drawn higher.
public struct LinearScale: Sendable, Equatable {
    public var domain: ClosedRange<Double>
    public var range: (start: Double, end: Double)

    public init(domain: ClosedRange<Double>, range: (start: Double, end: Double)) {
        // An empty domain (all values equal) would divide by zero: widen it.
        self.domain = domain.lowerBound < domain.upperBound ? domain : domain.lowerBound - 1 ... domain.upperBound + 1
        self.range = range
    }

    public static func == (a: LinearScale, b: LinearScale) -> Bool {
        a.domain == b.domain && a.range == b.range
    }

    public func callAsFunction(_ v: Double) -> Double {
        range.start + (v - domain.lowerBound) / (domain.upperBound - domain.lowerBound) * (range.end - range.start)
    }

    /// "Nice" tick values (1, 2 or 5 times a power of ten apart) inside the domain, about `count` of them.
    public func ticks(count: Int = 5) -> [Double] {
        let step = Self.niceStep(domain.upperBound - domain.lowerBound, count: count)
        // The slack keeps 1.2 / 0.2 = 5.999999999999999 from losing the last tick.
        let first = (domain.lowerBound / step - 1e-9).rounded(.up), last = (domain.upperBound / step + 1e-9).rounded(.down)
        // A domain too wide for doubles (e.g. -1e308 ... 1e308) has no sensible ticks: draw none.
        guard first <= last, last - first <= Double(100 * max(1, count)) else { return [] }
        // Multiplying integers by the step avoids the drift of repeated addition (0.30000000000000004).
        return stride(from: first, through: last, by: 1).map { $0 * step }
    }

    /// The domain widened to the nearest ticks outside it, so that the axis starts and ends on a labelled value.
    /// Widening can call for a coarser step (0.1 ... 0.5 in 3 ticks becomes 0 ... 0.6 in steps of 0.2), so it
    /// repeats until the step settles: then `ticks(count:)` labels both ends.
    public func nice(count: Int = 5) -> LinearScale {
        var lower = domain.lowerBound, upper = domain.upperBound
        guard (upper - lower).isFinite else { return self }
        var step = 0.0
        for _ in 0 ..< 4 {
            let next = Self.niceStep(upper - lower, count: count)
            if next == step { break }
            step = next
            lower = (lower / step + 1e-9).rounded(.down) * step
            upper = (upper / step - 1e-9).rounded(.up) * step
        }
        return LinearScale(domain: lower ... upper, range: range)
    }

    static func niceStep(_ span: Double, count: Int) -> Double {
        guard span > 0, span.isFinite else { return 1 }
        let raw = span / Double(max(1, count))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        return magnitude * (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10)
    }

    /// The smallest domain from 0 (or the data's minimum, when negative) to the data's maximum.
    public static func domain(including values: some Sequence<Double>, zero: Bool = true) -> ClosedRange<Double> {
        var lo = zero ? 0.0 : Double.infinity, hi = zero ? 0.0 : -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        return lo <= hi ? lo ... hi : 0 ... 1
    }
}

/// Places `count` equal bands (categories, matrix cells) along a pixel interval.
public struct BandScale: Sendable, Equatable {
    public var count: Int
    public var start: Double
    public var end: Double

    public init(count: Int, start: Double, end: Double) {
        self.count = count; self.start = start; self.end = end
    }

    public var bandwidth: Double { count == 0 ? 0 : (end - start) / Double(count) }
    public func callAsFunction(_ index: Int) -> Double { start + Double(index) * bandwidth }
    public func center(_ index: Int) -> Double { self(index) + bandwidth / 2 }
}
