/// A value per row (node) and period as coloured cells. Zero is left white, so that the few cells
/// that matter stand out; the colour scale stops at the 95th percentile when a few outliers
/// (the unserved-work penalty) would otherwise wash every other cell out.
public struct Heatmap: Sendable {
    public var title: String
    public var rowLabels: [String]
    /// `[row][period]`.
    public var values: [[Double]]
    public var time: TimeAxis
    /// What the colour shows, with its unit.
    public var valueTitle: String
    /// What a white (zero) cell means.
    public var zeroMeaning: String

    public init(title: String, rowLabels: [String], values: [[Double]], time: TimeAxis, valueTitle: String, zeroMeaning: String) {
        self.title = title; self.rowLabels = rowLabels; self.values = values; self.time = time
        self.valueTitle = valueTitle; self.zeroMeaning = zeroMeaning
    }

    /// The value that gets the darkest colour, and whether larger values were clipped to it.
    public var colorCap: (value: Double, clipped: Bool) {
        let positive = values.joined().filter { $0 > 0 && $0.isFinite }.sorted()
        guard let top = positive.last else { return (1, false) }
        let p95 = positive[Int(0.95 * Double(positive.count - 1))]
        return top > 4 * p95 ? (p95, true) : (top, false)
    }

    /// Cells small enough for 100 nodes, big enough to read a handful.
    var cellHeight: Double { rowLabels.count <= 40 ? 16 : 10 }

    public func svg(width: Double) -> String {
        let labelWidth = min(170, (rowLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 40) + 12)
        let colorBarHeight = 40.0
        var frame = ChartFrame(width: width, plotHeight: cellHeight * Double(rowLabels.count), title: title,
                               margins: .init(top: colorBarHeight, right: 16, bottom: 44, left: labelWidth))
        let plot = frame.plot
        let cap = colorCap
        let x = LinearScale(domain: 0 ... Double(max(1, time.periods)), range: (plot.x, plot.maxX))
        let band = BandScale(count: rowLabels.count, start: plot.y, end: plot.maxY)
        let tooltips = rowLabels.count * time.periods <= 5000
        frame.svg.rect(plot, fill: "#FFFFFF", stroke: Axis.gridColor)
        for (r, row) in values.enumerated() {
            for (t, v) in row.enumerated() where v > 0 {
                let f = v / cap.value
                frame.svg.rect(Rect(x: x(Double(t)), y: band(r), width: x(Double(t + 1)) - x(Double(t)), height: band.bandwidth),
                               fill: Palette.sequential(f),
                               title: tooltips ? "\(rowLabels[r]), period \(t): \(Format.significant(v)) \(valueTitle)" : nil)
            }
            frame.svg.text(rowLabels[r], x: plot.x - 6, y: band.center(r) + (cellHeight > 12 ? 4 : 3), anchor: .end,
                           cssClass: cellHeight > 12 ? "tick" : "small")
        }
        Axis.time(&frame.svg, x, plot: plot, axis: time)
        drawColorBar(&frame.svg, at: Point(plot.x, ChartFrame.titleHeight + 4), cap: cap)
        return frame.svg.rendered(title: title)
    }

    /// The colour legend: a white swatch for zero, then a bar from just above zero to the cap.
    private func drawColorBar(_ svg: inout SVG, at origin: Point, cap: (value: Double, clipped: Bool)) {
        svg.rect(Rect(x: origin.x, y: origin.y, width: 14, height: 12), fill: "#FFFFFF", stroke: Axis.axisColor)
        svg.text("0: \(zeroMeaning)", x: origin.x + 20, y: origin.y + 10, cssClass: "legend")
        let barX = origin.x + 30 + SVG.textWidth("0: \(zeroMeaning)", fontSize: 12) + 20
        let barWidth = 240.0, steps = 48
        for k in 0 ..< steps {
            svg.rect(Rect(x: barX + Double(k) * barWidth / Double(steps), y: origin.y, width: barWidth / Double(steps) + 0.3, height: 12),
                     fill: Palette.sequential((Double(k) + 0.5) / Double(steps)))
        }
        svg.text(">0", x: barX, y: origin.y + 24, anchor: .middle, cssClass: "tick")
        svg.text((cap.clipped ? "≥ " : "") + Format.significant(cap.value), x: barX + barWidth, y: origin.y + 24, anchor: .middle)
        svg.text(valueTitle, x: barX + barWidth + 28, y: origin.y + 10, cssClass: "legend")
    }
}
