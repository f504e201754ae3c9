/// How much went from each row (origin) to each column (destination), as a shaded grid with the
/// amounts written in the cells. Cells that hold work that stayed at its origin (row and column are,
/// or share, a place) are grey and outlined, and left out of the colour scale, which they would dominate.
public struct FlowMatrix: Sendable {
    public var title: String
    public var rowTitle: String
    public var columnTitle: String
    public var rowLabels: [String]
    public var columnLabels: [String]
    /// `[row][column]`.
    public var values: [[Double]]
    public var unit: String
    /// A note for each row, written to the right of it (e.g. the share moved away).
    public var rowNotes: [String]
    /// `[row][column]`: true where the cell holds work that ran at its origin.
    public var stayed: [[Bool]]

    public init(title: String, rowTitle: String, columnTitle: String, rowLabels: [String], columnLabels: [String],
                values: [[Double]], unit: String, rowNotes: [String] = [], stayed: [[Bool]] = []) {
        self.title = title; self.rowTitle = rowTitle; self.columnTitle = columnTitle
        self.rowLabels = rowLabels; self.columnLabels = columnLabels; self.values = values
        self.unit = unit; self.rowNotes = rowNotes; self.stayed = stayed
    }

    static let stayedFill = "#E8E8E8"

    func stayed(_ r: Int, _ c: Int) -> Bool { r < stayed.count && c < stayed[r].count && stayed[r][c] }

    public func svg(width: Double) -> String {
        let labelWidth = min(170, max((rowLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 40),
                                      SVG.textWidth("\(rowTitle) ↓", fontSize: 12), SVG.textWidth("\(columnTitle) →", fontSize: 12)) + 12)
        // Column labels are rotated 45 degrees: they need their width times cos 45 above the grid, and
        // the last one as much to the right of its column.
        let longestColumnLabel = (columnLabels.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 40) * 0.72
        let headerHeight = min(130, longestColumnLabel + 12)
        let noteWidth = max(rowNotes.isEmpty ? 16 : min(240, (rowNotes.map { SVG.textWidth($0, fontSize: 11) }.max() ?? 0) + 16),
                            longestColumnLabel)
        let cellWidth = min(90, (width - labelWidth - noteWidth) / Double(max(1, columnLabels.count)))
        let cellHeight = rowLabels.count <= 25 ? 22.0 : 14.0
        let legend = [LegendItem("moved: darker is more \(unit)", color: Palette.sequential(0.7)),
                      LegendItem("ran at its origin (or includes such work)", color: Self.stayedFill, mark: .outlined)]
        var frame = ChartFrame(width: width, plotHeight: cellHeight * Double(rowLabels.count), title: title, legend: legend,
                               margins: .init(top: headerHeight, right: width - labelWidth - cellWidth * Double(columnLabels.count),
                                              bottom: 8, left: labelWidth))
        let plot = frame.plot
        let columns = BandScale(count: columnLabels.count, start: plot.x, end: plot.maxX)
        let rows = BandScale(count: rowLabels.count, start: plot.y, end: plot.maxY)
        var top = 0.0
        for (r, row) in values.enumerated() { for (c, v) in row.enumerated() where !stayed(r, c) { top = max(top, v) } }
        let showAmounts = cellWidth >= 40 && cellHeight >= 14
        for (r, row) in values.enumerated() {
            for (c, v) in row.enumerated() {
                let cell = Rect(x: columns(c), y: rows(r), width: columns.bandwidth, height: rows.bandwidth)
                let f = top > 0 ? 0.08 + 0.92 * v / top : 0
                let fill = stayed(r, c) ? Self.stayedFill : v > 0 ? Palette.sequential(f) : "#FFFFFF"
                frame.svg.rect(cell, fill: fill, stroke: Axis.gridColor,
                               title: "\(rowLabels[r]) → \(columnLabels[c]): \(Format.grouped(v)) \(unit)")
                if showAmounts, v > 0 {
                    frame.svg.text(Format.compact(v), x: cell.x + cell.width / 2, y: cell.y + cell.height / 2 + 4,
                                   anchor: .middle, cssClass: "cell",
                                   fill: stayed(r, c) ? Palette.black : Palette.textOnSequential(f))
                }
            }
            frame.svg.text(rowLabels[r], x: plot.x - 6, y: rows.center(r) + 4, anchor: .end)
            if r < rowNotes.count { frame.svg.text(rowNotes[r], x: plot.maxX + 8, y: rows.center(r) + 4) }
        }
        for r in rowLabels.indices {
            for c in columnLabels.indices where stayed(r, c) {
                frame.svg.rect(Rect(x: columns(c) + 1, y: rows(r) + 1, width: columns.bandwidth - 2, height: rows.bandwidth - 2),
                               fill: "none", stroke: Palette.black)
            }
        }
        for (c, label) in columnLabels.enumerated() {
            frame.svg.text(label, x: columns.center(c), y: plot.y - 6, cssClass: "tick", rotate: -45)
        }
        // Both axis titles in the free corner above the row labels.
        frame.svg.text("\(columnTitle) →", x: plot.x - 6, y: plot.y - 24, anchor: .end, cssClass: "axis-title")
        frame.svg.text("\(rowTitle) ↓", x: plot.x - 6, y: plot.y - 6, anchor: .end, cssClass: "axis-title")
        return frame.svg.rendered(title: title)
    }
}
