/// A grid of small time-series panels: one row per item (node), one column per quantity. Every
/// panel of a column shares that column's value scale, so rows can be compared at a glance.
/// Rendered as a header (title, legend, column titles) and one SVG per row, so that a printed
/// page breaks between rows, never through one.
public struct SmallMultiples: Sendable {
    public struct Column: Sendable {
        public var title: String
        public var yDomain: ClosedRange<Double>
        /// Written in a panel that has no data (e.g. a node without a battery).
        public var emptyNote: String
        public init(title: String, yDomain: ClosedRange<Double>, emptyNote: String = "none") {
            self.title = title; self.yDomain = yDomain; self.emptyNote = emptyNote
        }
    }

    public struct Row: Sendable {
        public var label: String
        /// One per column; nil draws the column's `emptyNote`.
        public var panels: [TimeSeriesChart?]
        public init(label: String, panels: [TimeSeriesChart?]) { self.label = label; self.panels = panels }
    }

    public var title: String
    public var legend: [LegendItem]
    public var columns: [Column]
    public var rows: [Row]

    public init(title: String, legend: [LegendItem], columns: [Column], rows: [Row]) {
        self.title = title; self.legend = legend; self.columns = columns; self.rows = rows
    }

    static let plotHeight = 78.0
    /// Four ticks on 78 px: labels 20 px apart, and fine enough steps that a shared scale is not mostly empty.
    static let yTickCount = 4
    static let panelInsets = (top: 22.0, right: 12.0, bottom: 20.0, left: 44.0)

    /// The header, then one SVG per row.
    public func svgs(width: Double) -> [String] {
        let panelWidth = width / Double(max(1, columns.count))
        var header = ChartFrame(width: width, plotHeight: 18, title: title, legend: legend,
                                margins: .init(top: 4, right: 0, bottom: 0, left: 0))
        for (c, column) in columns.enumerated() {
            header.svg.text(column.title, x: Double(c) * panelWidth + Self.panelInsets.left, y: header.plot.y + 14, cssClass: "axis-title")
        }
        var out = [header.svg.rendered(title: title)]
        for row in rows {
            let height = Self.panelInsets.top + Self.plotHeight + Self.panelInsets.bottom
            var svg = SVG(width: width, height: height)
            svg.text(row.label, x: 0, y: 14, cssClass: "row-title")
            for (c, column) in columns.enumerated() {
                let plot = Rect(x: Double(c) * panelWidth, y: 0, width: panelWidth, height: height)
                    .inset(top: Self.panelInsets.top, right: Self.panelInsets.right, bottom: Self.panelInsets.bottom, left: Self.panelInsets.left)
                if c < row.panels.count, var panel = row.panels[c] {
                    panel.yDomain = column.yDomain
                    panel.draw(into: &svg, plot: plot, yTickCount: Self.yTickCount, timeTitle: false, minTimeTickSpacing: 40)
                } else {
                    svg.rect(plot, fill: "#F6F6F6")
                    svg.text(column.emptyNote, x: plot.x + plot.width / 2, y: plot.y + plot.height / 2 + 4, anchor: .middle, fill: "#666666")
                }
            }
            out.append(svg.rendered(title: "\(title): \(row.label)", cssClass: "chart row"))
        }
        return out
    }

    /// One value range for a column: from the data's minimum (or 0) to its maximum, widened to round ticks.
    public static func sharedDomain(_ values: some Sequence<Double>, zero: Bool = true) -> ClosedRange<Double> {
        LinearScale(domain: LinearScale.domain(including: values, zero: zero), range: (0, 1)).nice(count: yTickCount).domain
    }
}
