import Foundation

extension Backtest {
    public static let schemaVersion = "greenshift-backtest/1"

    /// backtest.json (docs/forecast.md, "backtest.json").
    public func json() -> JSON {
        func errors(_ e: Errors) -> JSON {
            .object([("mae", .number(e.mae)), ("rmse", .number(e.rmse)), ("wape", .optional(e.wape)), ("mase", .optional(e.mase))])
        }
        let series: [JSON] = columns.map { c in
            .object([
                ("file", .string(c.file)), ("column", .string(c.column)), ("best", .string(c.best.rawValue)),
                ("methods", .array(c.methods.map { r in
                    var members: [(String, JSON)] = [
                        ("method", .string(r.method.rawValue)),
                        ("overall", errors(r.overall)),
                        ("coverage", .object(zip(quantiles, r.coverage).map { (ForecastSet.quantileSuffix($0), .optional($1)) })),
                        ("seconds", .number(r.seconds)),
                        ("by_lead", .object([
                            ("mae", .array(r.byLead.map { .number($0.mae) })),
                            ("rmse", .array(r.byLead.map { .number($0.rmse) })),
                            ("wape", .array(r.byLead.map { .optional($0.wape) })),
                            ("mase", .array(r.byLead.map { .optional($0.mase) })),
                        ])),
                    ]
                    if r.method == .auto { members.append(("chosen", .array(r.chosen.map { .string($0.rawValue) }))) }
                    if !r.notes.isEmpty { members.append(("notes", .array(r.notes.map(JSON.string)))) }
                    return .object(members)
                })),
            ])
        }
        return .object([
            ("schema", .string(Self.schemaVersion)),
            ("start", .string(start.description)), ("period_minutes", .number(Double(periodMinutes))),
            ("horizon", .number(Double(horizon))), ("step", .number(Double(step))),
            ("origins", .array(origins.indices.map { .string(originTime($0).description) })),
            ("quantiles", .array(quantiles.map(JSON.number))),
            ("seconds", .number(seconds)),
            ("series", .array(series)),
        ])
    }
}

/// backtest.html: the backtest in the report's style and with its chart code.
public enum BacktestPage {
    static let colors: [ForecastMethod: String] = [
        .auto: Palette.black, .naiveDay: Palette.grey, .naiveWeek: Palette.orange, .holtWinters: Palette.blue,
        .decomposition: Palette.bluishGreen, .regression: Palette.reddishPurple,
    ]
    /// Columns drawn forecast against actual: those where auto's MASE is worst.
    public static let worstShown = 4

    public static func html(_ b: Backtest) -> String {
        var page = Report.pageStart("greenshift backtest")
        page += "<header><h1>Backtest of the forecasts</h1>\n<p class=\"horizon\">"
        func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
        page += "\(count(b.origins.count, "window")) of \(count(b.horizon, "period")) of \(b.periodMinutes) min, origins \(count(b.step, "period")) apart, "
        page += "from \(Report.esc(b.originTime(0).description)); \(count(b.columns.count, "column")); \(Format.grouped(b.seconds, decimals: 2)) s.</p></header>\n"
        page += Report.section("summary", "Accuracy by column and method", [table(b)])
        page += Report.section("lead", "Error by lead time", b.columns.map { leadChart($0, b) })
        let worst = b.columns.sorted { ($0.result(.auto)?.overall.mase ?? 0) > ($1.result(.auto)?.overall.mase ?? 0) }.prefix(worstShown)
        page += Report.section("worst", "Forecast against actual, the worst columns", worst.map { actualChart($0, b) })
        page += "<footer>greenshift backtest, schema \(Report.esc(Backtest.schemaVersion)).</footer>\n</body></html>\n"
        return page
    }

    static func table(_ b: Backtest) -> String {
        var out = "<table class=\"backtest\"><thead><tr><th>Series</th><th>Column</th><th>Method</th><th>MASE</th><th>WAPE (%)</th><th>MAE</th><th>RMSE</th>"
        out += b.quantiles.map { "<th>Coverage \(Report.esc(ForecastSet.quantileSuffix($0)))</th>" }.joined() + "<th>Time (s)</th></tr></thead><tbody>\n"
        for c in b.columns {
            for r in c.methods {
                let name = r.method == .auto ? "auto (\(Set(r.chosen).map(\.rawValue).sorted().joined(separator: ", ")))" : r.method.rawValue
                let bold = r.method == c.best ? " style=\"font-weight:bold\"" : ""
                out += "<tr\(bold)><td>\(Report.esc(c.file))</td><td>\(Report.esc(c.column))</td><td>\(Report.esc(name))</td>"
                out += "<td>\(r.overall.mase.map { Format.grouped($0, decimals: 3) } ?? "–")</td>"
                out += "<td>\(r.overall.wape.map { Format.grouped(100 * $0, decimals: 1) } ?? "–")</td>"
                out += "<td>\(Format.significant(r.overall.mae))</td><td>\(Format.significant(r.overall.rmse))</td>"
                out += r.coverage.map { "<td>\($0.map { Format.grouped($0, decimals: 2) } ?? "–")</td>" }.joined()
                out += "<td>\(Format.grouped(r.seconds, decimals: 3))</td></tr>\n"
            }
        }
        out += "</tbody></table>\n"
        return out + Report.caption("MASE: mean absolute error over that of naive-week on the same windows (so naive-week's is 1). "
            + "Coverage: share of actuals at or below the quantile forecast (honest when it is close to the level). Bold: the best method by MASE. "
            + "auto lists the methods it chose across windows; its time includes backtesting every candidate.")
    }

    /// MAE by lead time, one line per method: the report's frame, scales and axes, a lead-time axis underneath.
    static func leadChart(_ c: Backtest.ColumnResult, _ b: Backtest) -> String {
        let title = "\(c.file) \(c.column): MAE by lead time"
        let legend = c.methods.map { LegendItem($0.method.rawValue, color: colors[$0.method]!, mark: .line(dash: $0.method == .auto ? nil : "5 3")) }
        var frame = ChartFrame(width: Report.width, plotHeight: 180, title: title, legend: legend)
        let plot = frame.plot
        let x = LinearScale(domain: 0 ... Double(b.horizon), range: (plot.x, plot.maxX))
        let y = LinearScale(domain: LinearScale.domain(including: c.methods.flatMap { $0.byLead.map(\.mae) }), range: (plot.maxY, plot.y)).nice()
        Axis.left(&frame.svg, y, plot: plot, title: "MAE")
        for r in c.methods {
            let points = r.byLead.enumerated().map { Point(x(Double($0.offset) + 0.5), y($0.element.mae)) }
            frame.svg.path(points, stroke: colors[r.method]!, width: r.method == .auto ? 2.2 : 1.4, dash: r.method == .auto ? nil : "5 3")
        }
        let ticks = LinearScale(domain: 1 ... Double(b.horizon), range: (plot.x, plot.maxX)).ticks(count: 8)
        for t in ticks {
            let px = x(t - 0.5)
            frame.svg.line(x1: px, y1: plot.maxY, x2: px, y2: plot.maxY + 4, stroke: Axis.axisColor)
            frame.svg.text(Format.tick(t, step: 1), x: px, y: plot.maxY + 15, anchor: .middle)
        }
        frame.svg.line(x1: plot.x, y1: plot.maxY, x2: plot.maxX, y2: plot.maxY, stroke: Axis.axisColor)
        frame.svg.text("Lead time (periods of \(b.periodMinutes) min ahead)", x: plot.x + plot.width / 2, y: plot.maxY + 32,
                       anchor: .middle, cssClass: "axis-title")
        return frame.svg.rendered(title: title)
    }

    /// Actuals against auto's forecasts (and its outer quantiles) over the backtest windows.
    static func actualChart(_ c: Backtest.ColumnResult, _ b: Backtest) -> String {
        let first = b.origins[0], span = b.origins.last! + b.horizon - first
        var actual = [Double](repeating: .nan, count: span), forecast = actual
        let auto = c.result(.auto)!
        // Where windows overlap, the latest origin's forecast is shown.
        for (w, o) in b.origins.enumerated() {
            for h in 0 ..< b.horizon { actual[o - first + h] = c.actual[w][h]; forecast[o - first + h] = auto.forecasts[w][h] }
        }
        let time = TimeAxis(start: b.originTime(0), periodMinutes: b.periodMinutes, periods: span)
        let chart = TimeSeriesChart(
            title: "\(c.file) \(c.column): actual and auto's forecast (MASE \(auto.overall.mase.map { Format.grouped($0, decimals: 3) } ?? "–"))",
            yTitle: c.file, time: time,
            lines: [Series("actual", actual.map { $0.isNaN ? 0 : $0 }, color: Palette.black),
                    Series("forecast (auto)", forecast.map { $0.isNaN ? 0 : $0 }, color: Palette.plan, dash: "4 2")])
        return chart.svg(width: Report.width, plotHeight: 200)
    }
}
