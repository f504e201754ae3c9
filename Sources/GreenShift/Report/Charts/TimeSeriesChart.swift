/// Per-period values over the horizon: stacked areas (bottom layer first) under lines.
/// Values are period averages, so both are drawn as steps: period t is flat from t to t+1.
public struct TimeSeriesChart: Sendable {
    public var title: String
    /// Value axis title with its unit, e.g. "Power (MW)".
    public var yTitle: String
    public var time: TimeAxis
    public var stacked: [Series] = []
    public var lines: [Series] = []
    /// A fixed value range, so that small multiples share one scale; nil fits the data.
    public var yDomain: ClosedRange<Double>?

    public init(title: String, yTitle: String, time: TimeAxis, stacked: [Series] = [], lines: [Series] = [],
                yDomain: ClosedRange<Double>? = nil) {
        self.title = title; self.yTitle = yTitle; self.time = time
        self.stacked = stacked; self.lines = lines; self.yDomain = yDomain
    }

    public var legend: [LegendItem] {
        stacked.map { LegendItem($0.name, color: $0.color) }
            + lines.map { LegendItem($0.name, color: $0.color, mark: .line(dash: $0.dash)) }
    }

    /// The value range the data needs: from 0 (or below, for negative values) to the stack's top or the highest line.
    public var dataDomain: ClosedRange<Double> {
        var tops = [Double](repeating: 0, count: time.periods)
        for s in stacked { for (t, v) in s.values.prefix(time.periods).enumerated() { tops[t] += max(0, v) } }
        return LinearScale.domain(including: tops + lines.flatMap(\.values))
    }

    /// A stand-alone chart with title and legend.
    public func svg(width: Double, plotHeight: Double = 220) -> String {
        var frame = ChartFrame(width: width, plotHeight: plotHeight, title: title, legend: legend)
        draw(into: &frame.svg, plot: frame.plot)
        return frame.svg.rendered(title: title)
    }

    /// Axes and marks inside `plot`; used alone or as one panel of small multiples.
    public func draw(into svg: inout SVG, plot: Rect, yTickCount: Int = 5, timeTitle: Bool = true,
                     yTitleOffset: Double = 46, minTimeTickSpacing: Double = 56) {
        let x = LinearScale(domain: 0 ... Double(max(1, time.periods)), range: (plot.x, plot.maxX))
        var y = LinearScale(domain: yDomain ?? dataDomain, range: (plot.maxY, plot.y))
        if yDomain == nil { y = y.nice(count: yTickCount) }
        Axis.left(&svg, y, plot: plot, tickCount: yTickCount, title: yTitle.isEmpty ? nil : yTitle, titleOffset: yTitleOffset)
        var base = [Double](repeating: 0, count: time.periods)
        for s in stacked {
            let top = zip(base, s.values).map { $0 + max(0, $1) }
            // Upper edge left to right, then the lower edge back.
            let points = Self.steps(top, x: x, y: y) + Self.steps(base, x: x, y: y).reversed()
            svg.path(points, fill: s.color, closed: true)
            base = top
        }
        for s in lines {
            svg.path(Self.steps(s.values, x: x, y: y), stroke: s.color, width: s.dash == nil ? 1.8 : 1.5, dash: s.dash)
        }
        Axis.time(&svg, x, plot: plot, axis: time, minSpacing: minTimeTickSpacing, title: timeTitle)
    }

    /// The corners of a step curve: (t, v_t) and (t+1, v_t) for every period.
    static func steps(_ values: [Double], x: LinearScale, y: LinearScale) -> [Point] {
        var points: [Point] = []
        points.reserveCapacity(2 * values.count)
        for (t, v) in values.enumerated() {
            let py = y(v)
            points.append(Point(x(Double(t)), py))
            points.append(Point(x(Double(t + 1)), py))
        }
        return points
    }
}
