/// simulation.html (docs/simulate.md): the policies side by side, in the style and with the
/// charts of report.html. Self-contained: inline SVG and CSS, nothing fetched.
public enum SimulationPage {
    static let colors: [String: (color: String, dash: String?)] = [
        SimulationPolicy.greenshift.rawValue: (Palette.plan, nil),
        SimulationPolicy.noShift.rawValue: (Palette.baseline, "6 4"),
        SimulationPolicy.greedyIntensity.rawValue: (Palette.orange, "4 2"),
        SimulationPolicy.greedyRenewable.rawValue: (Palette.reddishPurple, "4 2"),
        SimulationPolicy.hindsight.rawValue: (Palette.renewable, "2 2"),
    ]

    public static func html(_ r: SimulationReport) -> String {
        let start = (try? Timestamp(parsing: r.start)) ?? Timestamp(epochSeconds: 0)
        let time = TimeAxis(start: start, periodMinutes: 24 * 60, periods: r.days)
        var page = Report.pageStart("greenshift simulation: \(Report.esc(r.history))")
        page += header(r)
        page += Report.section("emissions", "Emissions over the days", [cumulativeChart(r, time)])
        if r.policies.contains(where: { $0.dailyRegretKg != nil }) {
            page += Report.section("regret", "Daily regret against hindsight", [regretChart(r, time), lossTable(r)])
        }
        page += "<footer>greenshift simulation, schema \(Report.esc(SimulationReport.schemaVersion)).</footer>\n</body></html>\n"
        return page
    }

    static func header(_ r: SimulationReport) -> String {
        var out = "<header><h1>Simulation of \(Report.esc(r.history))</h1>\n<p class=\"horizon\">"
        out += "\(r.days) days from \(Report.esc(r.start)); every night plans \(r.periodsPerDay) committed periods plus \(r.lookAheadHours) h of look-ahead "
        out += Report.esc(r.forecastsDescription) + ", "
        out += "and the committed day is carried out on the actuals.</p>\n"
        let fallbacks = r.policies.filter { $0.total.fallbackDays > 0 }
        if !fallbacks.isEmpty {
            out += "<p class=\"banner alert\"><strong>Some nights had no plan and fell back to no-shift:</strong> "
            out += fallbacks.map { p in
                "\(Report.esc(p.name)) on " + p.days.filter { $0.fallback != nil }.map { "\(Report.esc($0.date)) (\(Report.esc($0.fallback!)))" }.joined(separator: ", ")
            }.joined(separator: "; ") + ".</p>\n"
        }
        let figures = r.policies.map { p in
            Report.figure("\(p.name).objective_kg", p.name, p.total.objectiveKg / 1000, "t",
                          note: "\(Format.grouped(p.total.carbonKg / 1000)) t CO₂ + penalty on \(Format.grouped(p.total.unservedCUh)) CU·h unserved"
                              + (p.total.regretKg.map { "; regret \(Format.grouped($0 / 1000)) t" } ?? ""),
                          alert: p.total.unservedCUh > 0)
        }
        out += "<div class=\"figures\">\n" + figures.joined(separator: "\n") + "\n</div>\n"
        return out + policyTable(r) + "</header>\n"
    }

    static func policyTable(_ r: SimulationReport) -> String {
        var out = "<div class=\"scroll\"><table class=\"policies\"><thead><tr><th>Policy</th><th>Emissions (t CO₂)</th><th>Unserved (CU·h)</th>"
        out += "<th>Objective (t)</th><th>Regret (t)</th><th>Share of hindsight's cut, emissions / objective (%)</th><th>Curtailed (MWh)</th>"
        out += "<th>Fallback days</th><th>Time (s)</th></tr></thead><tbody>\n"
        for p in r.policies {
            let t = p.total
            out += "<tr><td>\(Report.esc(p.name))</td><td>\(Format.grouped(t.carbonKg / 1000, decimals: 1))</td><td>\(Format.grouped(t.unservedCUh))</td>"
            out += "<td>\(Format.grouped(t.objectiveKg / 1000, decimals: 1))</td><td>\(t.regretKg.map { Format.grouped($0 / 1000, decimals: 1) } ?? "–")</td>"
            out += "<td>\(t.shareOfHindsightCarbonCutPercent.map { Format.grouped($0, decimals: 1) } ?? "–") / "
                + "\(t.shareOfHindsightReductionPercent.map { Format.grouped($0, decimals: 1) } ?? "–")</td>"
            out += "<td>\(Format.grouped(t.renewableCurtailedMWh))</td><td>\(t.fallbackDays)</td><td>\(Format.grouped(t.seconds, decimals: 1))</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out + Report.caption("Objective: emissions plus \(Format.grouped(r.penaltyKgPerCUh)) kg per CU·h unserved. "
            + "Regret: objective minus hindsight's (one LP over every day on the actuals). Share of hindsight's cut: (no-shift − policy) / (no-shift − hindsight), on emissions and on the objective.")
    }

    static func series(_ r: SimulationReport, _ values: (SimulationReport.PolicyResult) -> [Double]?) -> [Series] {
        r.policies.compactMap { p in
            values(p).map { Series(p.name, $0, color: colors[p.name]?.color ?? Palette.black, dash: colors[p.name]?.dash) }
        }
    }

    static func cumulativeChart(_ r: SimulationReport, _ time: TimeAxis) -> String {
        let chart = TimeSeriesChart(
            title: "Cumulative realized emissions per policy", yTitle: "Emissions (t CO₂)", time: time,
            lines: series(r) { p in
                var sum = 0.0
                return p.days.map { sum += $0.carbonKg / 1000; return sum }
            })
        return chart.svg(width: Report.width, plotHeight: 260)
            + Report.caption("Each point is the total up to the end of that day. Emissions only; unserved work is in the table above.")
    }

    static func regretChart(_ r: SimulationReport, _ time: TimeAxis) -> String {
        let chart = TimeSeriesChart(
            title: "Daily regret: objective minus hindsight's for the same day", yTitle: "Regret (t)", time: time,
            lines: series(r) { p in p.name == SimulationPolicy.hindsight.rawValue ? nil : p.dailyRegretKg?.map { $0 / 1000 } })
        return chart.svg(width: Report.width, plotHeight: 220)
            + Report.caption("Hindsight's days are slices of one LP, which may spend more on one day to save on another, so a single day's regret can be below 0; the total cannot.")
    }

    /// Where each policy lost: its three days of largest regret.
    static func lossTable(_ r: SimulationReport) -> String {
        var out = "<div class=\"scroll\"><table class=\"losses\"><caption>Where each policy lost most: its three days of largest regret</caption>"
        out += "<thead><tr><th>Policy</th><th>Day</th><th>Regret (t)</th><th>Emissions (t CO₂)</th><th>Unserved (CU·h)</th><th>Backlog carried (CU·h)</th><th>Curtailed (MWh)</th></tr></thead><tbody>\n"
        for p in r.policies where p.name != SimulationPolicy.hindsight.rawValue {
            guard let regret = p.dailyRegretKg else { continue }
            for k in regret.indices.sorted(by: { regret[$0] > regret[$1] }).prefix(3) {
                let d = p.days[k]
                out += "<tr><td>\(Report.esc(p.name))</td><td>\(Report.esc(d.date))</td><td>\(Format.grouped(regret[k] / 1000, decimals: 1))</td>"
                out += "<td>\(Format.grouped(d.carbonKg / 1000, decimals: 1))</td><td>\(Format.grouped(d.unservedCUh))</td>"
                out += "<td>\(Format.grouped(d.backlogOutCUh))</td><td>\(Format.grouped(d.renewableCurtailedMWh))</td></tr>\n"
            }
        }
        return out + "</tbody></table></div>\n"
    }
}
