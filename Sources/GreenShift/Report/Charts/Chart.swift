/// One named series of per-period values and how it is drawn.
public struct Series: Sendable {
    public var name: String
    public var values: [Double]
    public var color: String
    /// SVG dash pattern for lines, e.g. "5 3"; nil for a solid line.
    public var dash: String?

    public init(_ name: String, _ values: [Double], color: String, dash: String? = nil) {
        self.name = name; self.values = values; self.color = color; self.dash = dash
    }
}

public struct LegendItem: Sendable {
    public enum Mark: Sendable { case swatch, outlined, line(dash: String?) }
    public var name: String
    public var color: String
    public var mark: Mark

    public init(_ name: String, color: String, mark: Mark = .swatch) {
        self.name = name; self.color = color; self.mark = mark
    }
}

/// A row of legend entries that wraps onto further rows when it does not fit.
public enum Legend {
    static let rowHeight = 18.0
    static let fontSize = 12.0

    static func entryWidth(_ item: LegendItem) -> Double { 22 + SVG.textWidth(item.name, fontSize: fontSize) + 16 }

    /// Height the legend needs in `maxWidth`.
    public static func height(_ items: [LegendItem], maxWidth: Double) -> Double {
        items.isEmpty ? 0 : Double(rows(items, maxWidth: maxWidth).count) * rowHeight
    }

    static func rows(_ items: [LegendItem], maxWidth: Double) -> [[LegendItem]] {
        var rows: [[LegendItem]] = [[]]
        var used = 0.0
        for item in items {
            let w = entryWidth(item)
            if used + w > maxWidth, !rows[rows.count - 1].isEmpty { rows.append([]); used = 0 }
            rows[rows.count - 1].append(item)
            used += w
        }
        return rows
    }

    public static func draw(_ svg: inout SVG, _ items: [LegendItem], x: Double, y: Double, maxWidth: Double) {
        for (r, row) in rows(items, maxWidth: maxWidth).enumerated() {
            var px = x
            let cy = y + Double(r) * rowHeight + rowHeight / 2
            for item in row {
                switch item.mark {
                case .swatch:
                    svg.rect(Rect(x: px, y: cy - 6, width: 16, height: 12), fill: item.color)
                case .outlined:
                    svg.rect(Rect(x: px + 0.5, y: cy - 5.5, width: 15, height: 11), fill: item.color, stroke: Palette.black)
                case .line(let dash):
                    svg.line(x1: px, y1: cy, x2: px + 16, y2: cy, stroke: item.color, width: 2.5, dash: dash)
                }
                svg.text(item.name, x: px + 22, y: cy + 4, cssClass: "legend")
                px += entryWidth(item)
            }
        }
    }
}

/// The frame of a stand-alone chart: title on top, legend under it, then the plot rectangle
/// inside margins left for the axes. Every chart of the report starts here, so all look alike.
public struct ChartFrame {
    public struct Margins: Sendable {
        public var top = 8.0, right = 16.0, bottom = 44.0, left = 64.0
        public init(top: Double = 8, right: Double = 16, bottom: Double = 44, left: Double = 64) {
            self.top = top; self.right = right; self.bottom = bottom; self.left = left
        }
    }

    static let titleHeight = 24.0

    public var svg: SVG
    /// Where the data goes.
    public var plot: Rect

    /// `plotHeight` is the height of the plot area alone; the frame grows to fit title and legend.
    public init(width: Double, plotHeight: Double, title: String, legend: [LegendItem] = [], margins: Margins = Margins()) {
        let legendHeight = Legend.height(legend, maxWidth: width - margins.left - margins.right)
        let top = Self.titleHeight + legendHeight + (legend.isEmpty ? 0 : 6) + margins.top
        svg = SVG(width: width, height: top + plotHeight + margins.bottom)
        plot = Rect(x: margins.left, y: top, width: width - margins.left - margins.right, height: plotHeight)
        svg.text(title, x: 0, y: 17, cssClass: "chart-title")
        Legend.draw(&svg, legend, x: margins.left, y: Self.titleHeight, maxWidth: plot.width)
    }
}
