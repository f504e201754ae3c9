/// One horizontal bar per category split into segments by share of the category's total
/// (e.g. how long each class's work waited), with a note to the right of each bar.
public struct ShareBars: Sendable {
    public var title: String
    public var categories: [String]
    public var segments: [LegendItem]
    /// `[category][segment]`, in any unit: each bar shows shares of its own total.
    public var values: [[Double]]
    public var notes: [String]
    public var axisTitle: String

    public init(title: String, categories: [String], segments: [LegendItem], values: [[Double]], notes: [String], axisTitle: String) {
        self.title = title; self.categories = categories; self.segments = segments
        self.values = values; self.notes = notes; self.axisTitle = axisTitle
    }

    public func svg(width: Double) -> String {
        let labelWidth = min(170, (categories.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 40) + 12)
        let noteWidth = min(300, (notes.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0) + 16)
        var frame = ChartFrame(width: width, plotHeight: 28 * Double(categories.count), title: title, legend: segments,
                               margins: .init(top: 8, right: noteWidth, bottom: 40, left: labelWidth))
        let plot = frame.plot
        let x = LinearScale(domain: 0 ... 100, range: (plot.x, plot.maxX))
        let rows = BandScale(count: categories.count, start: plot.y, end: plot.maxY)
        for v in stride(from: 0.0, through: 100, by: 20) {
            frame.svg.line(x1: x(v), y1: plot.y, x2: x(v), y2: plot.maxY + 4, stroke: Axis.gridColor)
            frame.svg.text("\(Int(v))", x: x(v), y: plot.maxY + 16, anchor: .middle)
        }
        frame.svg.text(axisTitle, x: plot.x + plot.width / 2, y: plot.maxY + 32, anchor: .middle, cssClass: "axis-title")
        for (r, row) in values.enumerated() {
            let total = row.reduce(0, +)
            var share = 0.0
            let bar = rows(r) + 4, height = rows.bandwidth - 8
            for (s, v) in row.enumerated() where total > 0 && v > 0 {
                let p = 100 * v / total
                let cell = Rect(x: x(share), y: bar, width: x(share + p) - x(share), height: height)
                frame.svg.rect(cell, fill: segments[s].color, title: "\(categories[r]), \(segments[s].name): \(Format.percent(p))")
                if cell.width > 34 {
                    frame.svg.text(Format.percent(p, decimals: 0), x: cell.x + cell.width / 2, y: bar + height / 2 + 4,
                                   anchor: .middle, cssClass: "cell", fill: Self.textColor(on: segments[s].color))
                }
                share += p
            }
            frame.svg.text(categories[r], x: plot.x - 6, y: rows.center(r) + 4, anchor: .end)
            if r < notes.count { frame.svg.text(notes[r], x: plot.maxX + 8, y: rows.center(r) + 4) }
        }
        return frame.svg.rendered(title: title)
    }

    /// White on dark fills, black on light ones, by the fill's luminance.
    static func textColor(on hex: String) -> String {
        let digits = Array(hex.dropFirst()).compactMap { $0.hexDigitValue }
        guard digits.count == 6 else { return Palette.black }
        let r = Double(digits[0] * 16 + digits[1]), g = Double(digits[2] * 16 + digits[3]), b = Double(digits[4] * 16 + digits[5])
        return 0.299 * r + 0.587 * g + 0.114 * b < 140 ? "#FFFFFF" : Palette.black
    }
}
