/// evaluation.html (docs/evaluation.md): the morning-after page, in the style and with the charts of
/// report.html, so the two read alike. Self-contained: inline SVG and CSS, nothing fetched.
public enum EvaluationPage {
    public static func html(_ e: Evaluation, forecast: Scenario, actuals: Actuals) -> String {
        let time = TimeAxis(start: forecast.start, periodMinutes: e.periodMinutes, periods: e.periods)
        var page = Report.pageStart("greenshift evaluation: \(Report.esc(e.scenario))")
        page += header(e, forecast)
        page += Report.section("emissions", "Emissions: planned, realized and in hindsight", [emissionsChart(e, time), nodeTable(e)])
        var forecasts = [accuracyTable(e)]
        if actuals.measured.contains("renewable_mw") { forecasts.insert(renewablesChart(forecast, actuals, time), at: 0) }
        forecasts += actuals.measured.map { errorHeatmap($0, forecast, actuals, time) }
        page += Report.section("forecasts", "How good the forecasts were", forecasts)
        page += "<footer>greenshift evaluation, schema \(Report.esc(Evaluation.schemaVersion)).</footer>\n</body></html>\n"
        return page
    }

    // MARK: - Header

    static func header(_ e: Evaluation, _ forecast: Scenario) -> String {
        let s = e.summary
        var out = "<header><h1>Evaluation of the plan for \(Report.esc(e.scenario))</h1>\n<p class=\"horizon\">"
        out += "\(Report.esc(e.start)) to \(Report.esc(forecast.periodStart(e.periods).description)): \(e.periods) periods of \(e.periodMinutes) min. "
        out += "Measured: \(Report.esc(e.measuredSeries.isEmpty ? "nothing" : e.measuredSeries.joined(separator: ", "))); "
        out += "as forecast: \(Report.esc(e.seriesAsForecast.isEmpty ? "nothing" : e.seriesAsForecast.joined(separator: ", "))).</p>\n"
        if s.realizedUnservedCUh > 0 {
            out += "<p class=\"banner alert\"><strong>\(Format.grouped(s.realizedUnservedCUh)) CU·h of the plan's work went unserved under the actual conditions.</strong> "
            out += "See the table of unserved work below.</p>\n"
        }
        let figures = [
            Report.figure("planned_carbon_kg", "Planned emissions", s.plannedCarbonKg, "kg CO₂",
                          note: "on the forecasts; baseline \(Format.grouped(s.plannedBaselineCarbonKg)) kg"),
            Report.figure("realized_carbon_kg", "Realized emissions", s.realizedCarbonKg, "kg CO₂",
                          note: "grid \(Format.grouped(s.realizedGridCarbonKg)) + network \(Format.grouped(s.realizedNetworkCarbonKg)) kg"),
            Report.figure("realized_baseline_carbon_kg", "Realized baseline (no shifting)", s.realizedBaselineCarbonKg, "kg CO₂",
                          note: "saved \(Format.grouped(s.realizedBaselineCarbonKg - s.realizedCarbonKg)) kg"),
            Report.figure("realized_reduction_percent", "Realized reduction", s.realizedReductionPercent, "%", decimals: 2),
            Report.figure("hindsight_carbon_kg", "Hindsight optimum", s.hindsightCarbonKg, "kg CO₂",
                          note: "the best plan had the actuals been known"),
            Report.figure("regret_kg", "Regret", s.regretKg, "kg CO₂",
                          note: "realized minus hindsight, with the unserved penalty"),
            Report.figure("actual_work_cu_h", "Work that arrived", s.actualWorkCUh, "CU·h",
                          note: "forecast \(Format.grouped(s.forecastWorkCUh)); \(Format.grouped(s.extraWorkCUh)) extra, \(Format.grouped(s.missingWorkCUh)) missing"),
            Report.figure("realized_unserved_cu_h", "Unserved work", s.realizedUnservedCUh, "CU·h",
                          note: "baseline \(Format.grouped(s.realizedBaselineUnservedCUh)), hindsight \(Format.grouped(s.hindsightUnservedCUh))",
                          alert: s.realizedUnservedCUh > 0),
        ]
        out += "<div class=\"figures\">\n" + figures.joined(separator: "\n") + "\n</div>\n"
        if !e.unserved.isEmpty { out += unservedTable(e) }
        if !e.demand.isEmpty { out += demandTable(e) }
        return out + "</header>\n"
    }

    static func unservedTable(_ e: Evaluation) -> String {
        let shown = e.unserved.sorted { $0.cuH > $1.cuH }.prefix(20)
        var out = "<table class=\"unserved\"><caption>Work the nodes could not run, largest first\(e.unserved.count > shown.count ? " (20 of \(e.unserved.count))" : "")</caption>"
        out += "<thead><tr><th>Period</th><th>Class</th><th>Node</th><th>CU·h</th></tr></thead><tbody>"
        for u in shown {
            out += "<tr><td>\(u.period)</td><td>\(Report.esc(u.classID))</td><td>\(Report.esc(u.node))</td><td>\(Format.grouped(u.cuH))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    static func demandTable(_ e: Evaluation) -> String {
        var out = "<table class=\"demand\"><caption>Work that arrived unlike the forecast</caption>"
        out += "<thead><tr><th>Class</th><th>Origin</th><th>Forecast (CU·h)</th><th>Arrived (CU·h)</th><th>Extra, run at origin on arrival (CU·h)</th><th>Missing, not run (CU·h)</th></tr></thead><tbody>"
        for d in e.demand {
            out += "<tr><td>\(Report.esc(d.classID))</td><td>\(Report.esc(d.origin))</td><td>\(Format.grouped(d.forecastCUh))</td>"
            out += "<td>\(Format.grouped(d.actualCUh))</td><td>\(Format.grouped(d.extraCUh))</td><td>\(Format.grouped(d.missingCUh))</td></tr>"
        }
        return out + "</tbody></table>\n"
    }

    // MARK: - Emissions

    static func emissionsChart(_ e: Evaluation, _ time: TimeAxis) -> String {
        let chart = TimeSeriesChart(
            title: "Emissions per period, all nodes and the network", yTitle: "Emissions (kg CO₂)", time: time,
            lines: [Series("planned (forecasts)", e.byPeriod.map(\.plannedKg), color: Palette.plan, dash: "2 2"),
                    Series("realized", e.byPeriod.map(\.realizedKg), color: Palette.plan),
                    Series("realized baseline", e.byPeriod.map(\.realizedBaselineKg), color: Palette.baseline, dash: "6 4"),
                    Series("hindsight optimum", e.byPeriod.map(\.hindsightKg), color: Palette.renewable)])
        return chart.svg(width: Report.width, plotHeight: 220)
            + Report.caption("Realized: the plan's placements with power dispatched against the actual renewables, temperatures and grid factors. "
                + "The hindsight optimum may run work at other times and places than the plan, so per period it can lie above the realized line.")
    }

    static func nodeTable(_ e: Evaluation) -> String {
        var out = "<table class=\"nodes\"><thead><tr><th>Node</th><th>Planned (kg CO₂)</th><th>Realized (kg CO₂)</th>"
        out += "<th>Realized − planned (kg CO₂)</th><th>Realized baseline (kg CO₂)</th><th>Hindsight (kg CO₂)</th></tr></thead><tbody>\n"
        for n in e.byNode {
            out += "<tr><td>\(Report.esc(n.id))</td>" + [n.plannedGridKg, n.realizedGridKg, n.realizedGridKg - n.plannedGridKg,
                                                        n.realizedBaselineGridKg, n.hindsightGridKg]
                .map { "<td>\(Format.grouped($0))</td>" }.joined() + "</tr>\n"
        }
        out += "</tbody></table>\n"
        return out + Report.caption("Grid emissions of each node over the horizon; network emissions belong to no node.")
    }

    // MARK: - Forecasts

    static func renewablesChart(_ forecast: Scenario, _ actuals: Actuals, _ time: TimeAxis) -> String {
        func total(_ series: [[Double]]) -> [Double] { (0 ..< time.periods).map { t in series.reduce(0) { $0 + $1[t] } } }
        let chart = TimeSeriesChart(
            title: "Renewable power available, all nodes: forecast and actual", yTitle: "Power (MW)", time: time,
            lines: [Series("forecast", total(forecast.renewableMW), color: Palette.renewable, dash: "2 2"),
                    Series("actual", total(actuals.scenario.renewableMW), color: Palette.renewable)])
        return chart.svg(width: Report.width, plotHeight: 200)
    }

    static func accuracyTable(_ e: Evaluation) -> String {
        var out = "<table class=\"accuracy\"><thead><tr><th>Series</th><th>Node</th><th>Forecast mean</th><th>Actual mean</th>"
        out += "<th>MAE</th><th>RMSE</th><th>Bias</th><th>WAPE (%)</th></tr></thead><tbody>\n"
        for a in e.accuracy {
            let s = a.overall
            out += "<tr><td>\(Report.esc(a.series))</td><td>\(Report.esc(a.node))</td>"
            out += [a.forecastMean, a.actualMean, s.mae, s.rmse, s.bias].map { "<td>\(Format.significant($0))</td>" }.joined()
            out += "<td>\(s.wape.map { Format.grouped(100 * $0, decimals: 1) } ?? "–")</td></tr>\n"
        }
        out += "</tbody></table>\n"
        return out + Report.caption("Errors are forecast minus actual, in the series' unit: a positive bias means the forecast was too high. "
            + "WAPE is the sum of absolute errors over the sum of absolute actuals; – where the actuals sum to 0, and for temperatures, whose zero is arbitrary. "
            + "evaluation.json also gives every statistic by hour of day.")
    }

    static let seriesTitles = ["renewable_mw": ("Renewable power", "MW"), "carbon_intensity": ("Grid emission factor", "kg CO₂/MWh"),
                               "temperature_c": ("Temperature", "°C"), "price": ("Grid price", "per MWh")]

    /// Absolute forecast error by node and period for one measured series.
    static func errorHeatmap(_ series: String, _ forecast: Scenario, _ actuals: Actuals, _ time: TimeAxis) -> String {
        let actual = actuals.scenario
        let (f, a): ([[Double]], [[Double]])
        switch series {
        case "renewable_mw": (f, a) = (forecast.renewableMW, actual.renewableMW)
        case "carbon_intensity": (f, a) = (forecast.carbonKgPerMWh, actual.carbonKgPerMWh)
        case "temperature_c": (f, a) = (forecast.temperatureC, actual.temperatureC)
        case "price": (f, a) = (forecast.pricePerMWh ?? [], actual.pricePerMWh ?? [])
        default:
            let w = forecast.classes.firstIndex { "demand_\($0.id)" == series }!
            (f, a) = (forecast.demandCUh[w], actual.demandCUh[w])
        }
        let (title, unit) = seriesTitles[series] ?? ("Work arriving, class \(series.dropFirst("demand_".count))", "CU·h")
        let map = Heatmap(title: "\(title): absolute forecast error by node and period",
                          rowLabels: forecast.nodes.map(\.id),
                          values: zip(f, a).map { zip($0, $1).map { abs($0 - $1) } },
                          time: time, valueTitle: unit, zeroMeaning: "as forecast")
        return map.svg(width: Report.width)
    }
}
