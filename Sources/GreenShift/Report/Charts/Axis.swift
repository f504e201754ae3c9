/// Axes: tick marks, tick labels, grid lines and axis titles, drawn beside a plot rectangle.
/// Font sizes come from the page's CSS classes `tick` (11 px) and `axis-title` (12 px).
public enum Axis {
    static let tickLength = 4.0
    static let axisColor = "#444444"
    static let gridColor = "#DDDDDD"

    /// A value axis on the left of `plot`, with grid lines across it. `title` is written rotated,
    /// `titleOffset` px left of the plot (room the caller left for the tick labels).
    public static func left(_ svg: inout SVG, _ y: LinearScale, plot: Rect, tickCount: Int = 5,
                            title: String? = nil, titleOffset: Double = 46) {
        let ticks = y.ticks(count: tickCount)
        let step = ticks.count > 1 ? ticks[1] - ticks[0] : LinearScale.niceStep(y.domain.upperBound - y.domain.lowerBound, count: tickCount)
        for v in ticks {
            let py = y(v)
            svg.line(x1: plot.x, y1: py, x2: plot.maxX, y2: py, stroke: gridColor, width: 0.8)
            svg.line(x1: plot.x - tickLength, y1: py, x2: plot.x, y2: py, stroke: axisColor)
            svg.text(Format.tick(v, step: step), x: plot.x - tickLength - 2, y: py + 3.5, anchor: .end)
        }
        svg.line(x1: plot.x, y1: plot.y, x2: plot.x, y2: plot.maxY, stroke: axisColor)
        if let title {
            let x = plot.x - titleOffset, yMid = plot.y + plot.height / 2
            svg.text(title, x: x, y: yMid, anchor: .middle, cssClass: "axis-title", rotate: -90)
        }
    }

    /// A time axis under `plot`: ticks on round local clock times, at most one per `minSpacing` px.
    public static func time(_ svg: inout SVG, _ x: LinearScale, plot: Rect, axis: TimeAxis,
                            minSpacing: Double = 56, title: Bool = true) {
        let maxCount = max(2, Int(plot.width / minSpacing))
        for tick in axis.ticks(maxCount: maxCount) {
            let px = x(tick.period)
            svg.line(x1: px, y1: plot.maxY, x2: px, y2: plot.maxY + tickLength, stroke: axisColor)
            svg.text(tick.label, x: px, y: plot.maxY + tickLength + 11, anchor: .middle)
        }
        svg.line(x1: plot.x, y1: plot.maxY, x2: plot.maxX, y2: plot.maxY, stroke: axisColor)
        if title {
            svg.text(axis.title, x: plot.x + plot.width / 2, y: plot.maxY + 32, anchor: .middle, cssClass: "axis-title")
        }
    }
}

/// The horizon as a time axis: positions are periods from the start (period t spans t ..< t+1),
/// labels are the scenario's local clock time.
public struct TimeAxis: Sendable {
    public var start: Timestamp
    public var periodMinutes: Int
    public var periods: Int

    public init(start: Timestamp, periodMinutes: Int, periods: Int) {
        self.start = start; self.periodMinutes = periodMinutes; self.periods = periods
    }

    var spanMinutes: Int { periodMinutes * periods }

    /// "Local time (UTC+08:00) from 2026-11-27", the axis title.
    public var title: String { "Local time (\(utcOffset)) from \(start.description.prefix(10))" }

    /// "UTC+08:00": the offset of every local time shown.
    public var utcOffset: String { "UTC" + String(start.description.suffix(6)) }

    /// Period `t`'s start as a table cell shows it: local date and clock time, "11-27 04:00"
    /// (the column names the offset, `utcOffset`; the title names the year).
    public func startLabel(_ t: Int) -> String {
        let local = start.adding(minutes: t * periodMinutes).description
        return String(local.dropFirst(5).prefix(5)) + " " + String(local.dropFirst(11).prefix(5))
    }

    /// At most `maxCount` ticks on the shortest round clock step that fits: 00:00, 06:00, 12:00...
    /// Steps of days count from the horizon's first midnight and are labelled with dates (MM-DD);
    /// shorter steps with clock times only, never a mix of both (the title names the first date).
    public func ticks(maxCount: Int) -> [(period: Double, label: String)] {
        let steps = [15, 30, 60, 120, 180, 360, 720, 1440, 2880, 4320, 10080, 20160, 43200]
        let step = steps.first { $0 >= periodMinutes && spanMinutes / $0 + 1 <= maxCount } ?? steps.last!
        let startLocal = Int((start.epochSeconds + Int64(start.offsetMinutes) * 60).floorDivided(by: 60))
        var ticks: [(Double, String)] = []
        let anchor = min(step, 1440)
        var m = startLocal + (anchor - startLocal.modulo(anchor)).modulo(anchor)
        while m <= startLocal + spanMinutes {
            let minuteOfDay = m.modulo(1440)
            let label: String
            if step >= 1440 {
                label = String(start.adding(minutes: m - startLocal).description.dropFirst(5).prefix(5))
            } else {
                label = Self.pad(minuteOfDay / 60) + ":" + Self.pad(minuteOfDay % 60)
            }
            ticks.append((Double(m - startLocal) / Double(periodMinutes), label))
            m += step
        }
        return ticks
    }

    private static func pad(_ v: Int) -> String { v < 10 ? "0\(v)" : "\(v)" }
}

extension Int {
    func modulo(_ d: Int) -> Int { ((self % d) + d) % d }
}

extension Int64 {
    func floorDivided(by d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
