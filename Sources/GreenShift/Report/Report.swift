/// report.html (plan.md): one self-contained page for the analysts who review a plan before
/// schedulers act on it. Inline SVG and CSS only: nothing is fetched, nothing runs, it prints.
/// The page is also well-formed XML, so tests can parse it whole.
///
/// One function per section or chart below; the charts themselves live in `Charts/`.
public enum Report {
    /// Nodes drawn one by one (the ones with the most facility energy); all are in the table.
    public static let drawnNodeLimit = 12
    /// Origins and nodes shown in the flow matrix; the rest are summed into "other".
    public static let matrixLimit = 15
    static let width = 1160.0

    public static func html(plan: Plan, scenario: Scenario) -> String { html(ReportFigures(plan: plan, scenario: scenario)) }

    static func html(_ f: ReportFigures) -> String {
        let plan = f.plan, scenario = f.scenario
        let time = TimeAxis(start: scenario.start, periodMinutes: plan.periodMinutes, periods: plan.periods)
        var page = pageStart("greenshift plan: \(esc(plan.scenario))")
        page += header(f)
        page += section("system", "All nodes", [
            powerBySourceChart(f, time),
            emissionsChart(f, time),
        ])
        page += section("nodes", "Node by node", [nodeSmallMultiples(f, time)])
        page += section("work", "Where the work went", [flowMatrix(f), waitingChart(f)])
        page += section("links", "Links: work and data moved", [linkTable(f)] + (f.linkFlows.contains { $0.gb.contains { $0 > 0 } } ? [linkHeatmap(f, time)] : []))
        page += section("curtailment", "Why renewable energy was curtailed", [curtailmentTable(f, time)])
        page += section("classes", "Per class", [classSection(f)])
        page += section("capacity", "Where more capacity would cut most emissions", [marginalHeatmap(f, time)])
        page += section("table", "Nodes", [nodeTable(f)])
        page += "<footer>greenshift report of plan schema \(esc(plan.schema)).</footer>\n</body></html>\n"
        return page
    }

    // MARK: - Header

    static func header(_ f: ReportFigures) -> String {
        let plan = f.plan, s = plan.summary, scenario = f.scenario
        let end = scenario.periodStart(plan.periods)
        var out = "<header><h1>Plan for \(esc(plan.scenario))</h1>\n<p class=\"horizon\">"
        out += "\(esc(plan.start)) to \(esc(end.description)): \(plan.periods) periods of \(plan.periodMinutes) min; "
        out += "\(plan.nodes.count) nodes, \(scenario.classes.count) workload classes.</p>\n"
        if let solver = plan.solver {
            out += "<p class=\"solver\" data-key=\"solver.status\" data-value=\"\(esc(solver.status))\">Solve: <strong>\(esc(solver.status))</strong> in "
            out += "\(Format.grouped(solver.solveSeconds, decimals: 2)) s (baseline \(Format.grouped(solver.baselineSeconds, decimals: 2)) s), "
            out += "\(esc(solver.solver)), \(esc(solver.method)); \(solver.iterations) iterations; "
            out += "\(solver.variables) variables, \(solver.constraints) constraints; tie-break: \(esc(solver.tieBreak)).</p>\n"
        }
        if s.unservedCUh > 0 {
            out += "<p class=\"banner alert\"><strong>\(Format.grouped(s.unservedCUh)) CU·h of work is left unserved.</strong> "
            out += "The nodes cannot run it within its deadline; see the table of unserved work below.</p>\n"
        }
        let moved = s.workCUh > 0 ? 100 * s.movedCUh / s.workCUh : 0
        var figures = [
            // Tonnes with three decimals, as `greenshift optimize` prints them.
            figure("carbon_kg", "Emissions", s.carbonKg, "t CO₂", decimals: 3, scale: 0.001,
                   note: "grid \(Format.grouped(s.gridCarbonKg / 1000, decimals: 3)) + network \(Format.grouped(s.networkCarbonKg / 1000, decimals: 3)) t"),
            figure("baseline_carbon_kg", "Baseline (no shifting)", s.baselineCarbonKg, "t CO₂", decimals: 3, scale: 0.001,
                   note: "saved \(Format.grouped((s.baselineCarbonKg - s.carbonKg) / 1000, decimals: 3)) t"),
            figure("reduction_percent", "Reduction against baseline", s.reductionPercent, "%", decimals: 2),
            figure("renewable_used_mwh", "Renewable energy used", s.renewableUsedMWh, "MWh", decimals: 1,
                   note: "of \(Format.grouped(s.facilityEnergyMWh, decimals: 1)) MWh facility energy"),
            figure("renewable_curtailed_mwh", "Renewable energy curtailed", s.renewableCurtailedMWh, "MWh", decimals: 1),
            figure("moved_cu_h", "Work moved", s.movedCUh, "CU·h",
                   note: "\(Format.percent(moved)) of \(Format.grouped(s.workCUh)) CU·h run"),
            figure("unserved_cu_h", "Unserved work", s.unservedCUh, "CU·h",
                   note: "baseline \(Format.grouped(s.baselineUnservedCUh)) CU·h", alert: s.unservedCUh > 0),
        ]
        if let cost = s.cost { figures.append(figure("cost", "Electricity cost", cost, "", decimals: 2)) }
        out += "<div class=\"figures\">\n" + figures.joined(separator: "\n") + "\n</div>\n"
        if !plan.unserved.isEmpty { out += unservedTable(plan) }
        return out + "</header>\n"
    }

    /// A key figure of plan.json's summary: shown rounded (times `scale`, for the display unit),
    /// with the exact value of the key in `data-value`.
    static func figure(_ key: String, _ label: String, _ value: Double, _ unit: String, decimals: Int = 0, scale: Double = 1,
                       note: String? = nil, alert: Bool = false) -> String {
        "<div class=\"figure\(alert ? " alert" : "")\" data-key=\"\(key)\" data-value=\"\(JSON.format(value))\">"
            + "<div class=\"label\">\(esc(label))</div><div class=\"value\">\(display(value * scale, decimals: decimals, unit: unit))</div>"
            + (note.map { "<div class=\"note\">\(esc($0))</div>" } ?? "") + "</div>"
    }

    /// How a figure with `decimals` decimals and `unit` is written; the tests use it too.
    static func display(_ value: Double, decimals: Int, unit: String) -> String {
        Format.grouped(value, decimals: decimals) + (unit.isEmpty ? "" : " " + esc(unit))
    }

    static func unservedTable(_ plan: Plan) -> String {
        let shown = plan.unserved.sorted { $0.cuH > $1.cuH }.prefix(20)
        var out = "<div class=\"scroll\"><table class=\"unserved\"><caption>Unserved work, largest first\(plan.unserved.count > shown.count ? " (20 of \(plan.unserved.count))" : "")</caption>"
        out += "<thead><tr><th>Arrived in period</th><th>Class</th><th>Origin</th><th>CU·h</th></tr></thead><tbody>"
        for u in shown {
            // Backlog carried in from state.json has no arrival period here, only its due time.
            let arrived = u.period.map(String.init) ?? "before the plan (due \(u.due ?? "unknown"))"
            out += "<tr><td>\(esc(arrived))</td><td>\(esc(u.classID))</td><td>\(esc(u.origin))</td><td>\(Format.grouped(u.cuH))</td></tr>"
        }
        return out + "</tbody></table></div>\n"
    }

    // MARK: - All nodes

    static func powerBySourceChart(_ f: ReportFigures, _ time: TimeAxis) -> String {
        var lines = [Series("facility power", f.facilityMW, color: Palette.plan)]
        if let baseline = f.plan.baseline {
            lines.append(Series("baseline facility power", baseline.periods.map(\.facilityMW), color: Palette.baseline, dash: "6 4"))
        }
        lines.append(Series("renewables available", f.renewableForecastMW, color: Palette.black, dash: "2 2"))
        let chart = TimeSeriesChart(
            title: "Facility power by source, all nodes", yTitle: "Power (MW)", time: time,
            stacked: [Series("renewables used", f.renewableUsedMW, color: Palette.renewable),
                      Series("battery discharge", f.batteryDischargeMW, color: Palette.battery),
                      Series("grid", f.gridMW, color: Palette.grid)],
            lines: lines)
        return chart.svg(width: width, plotHeight: 240)
            + caption("Sources add up to facility power plus battery charging: where the stack rises above the facility line, batteries are charging. "
                + "The gap between renewables available and used is curtailed.")
    }

    static func emissionsChart(_ f: ReportFigures, _ time: TimeAxis) -> String {
        var lines = [Series("plan (grid + network)", f.planCarbonKg, color: Palette.plan)]
        if let baseline = f.plan.baseline {
            lines.append(Series("baseline", baseline.periods.map(\.carbonKg), color: Palette.baseline, dash: "6 4"))
        }
        return TimeSeriesChart(title: "Emissions per period: plan against baseline", yTitle: "Emissions (kg CO₂)",
                               time: time, lines: lines).svg(width: width, plotHeight: 200)
    }

    // MARK: - Node by node

    static func nodeSmallMultiples(_ f: ReportFigures, _ time: TimeAxis) -> String {
        let drawn = f.nodesToDraw(limit: drawnNodeLimit)
        let pue = f.scenario.pue
        let D = Double(f.plan.periodMinutes) / 60
        var rows: [SmallMultiples.Row] = []
        var power: [Double] = [], factor: [Double] = [], temperature: [Double] = [], pues: [Double] = [], stored: [Double] = []
        for k in drawn {
            let node = f.plan.nodes[k], periods = node.periods
            guard let s = f.scenarioIndex[k] else { continue }
            let forecast = f.scenario.renewableMW[s], used = periods.map(\.renewableUsedMW)
            let battery = f.scenario.nodes[s].battery
            func chart(stacked: [Series] = [], lines: [Series] = []) -> TimeSeriesChart {
                TimeSeriesChart(title: node.id, yTitle: "", time: time, stacked: stacked, lines: lines)
            }
            let sources = [Series("renewables used", used, color: Palette.renewable),
                           Series("battery discharge", periods.map(\.batteryDischargeMW), color: Palette.battery),
                           Series("grid", periods.map(\.gridMW), color: Palette.grid)]
            let panels: [TimeSeriesChart?] = [
                chart(stacked: [sources[0]], lines: [Series("renewables available", forecast, color: Palette.black, dash: "2 2")]),
                chart(stacked: sources, lines: [Series("facility power", periods.map(\.facilityMW), color: Palette.plan)]),
                chart(lines: [Series("grid factor", f.scenario.carbonKgPerMWh[s], color: Palette.gridFactor)]),
                chart(lines: [Series("temperature", f.scenario.temperatureC[s], color: Palette.temperature)]),
                chart(lines: [Series("PUE", pue[s], color: Palette.pue)]),
                battery == nil ? nil : chart(stacked: [Series("battery energy", periods.map(\.batteryEnergyMWh), color: Palette.batteryEnergy)]),
            ]
            power += forecast + [panels[1]!.dataDomain.upperBound]
            factor += f.scenario.carbonKgPerMWh[s]; temperature += f.scenario.temperatureC[s]; pues += pue[s]
            if let battery { stored.append(battery.energyMWh) }
            let row = f.nodeRows[k]
            // Names can be long ("Yangtze River Delta demonstration zone (...)"): keep the row title on one line.
            var label = node.id + (row.name != node.id ? " — \(row.name.count > 48 ? row.name.prefix(47) + "…" : row.name)" : "")
            label += ": \(Format.grouped(row.facilityEnergyMWh, decimals: 1)) MWh, \(Format.percent(100 * row.renewableShare, decimals: 0)) renewable"
            if let battery { label += ", battery \(Format.grouped(battery.energyMWh, decimals: 0)) MWh / \(Format.grouped(battery.powerMW, decimals: 0)) MW" }
            rows.append(.init(label: label, panels: panels))
        }
        let columns = [
            SmallMultiples.Column(title: "Renewables (MW)", yDomain: SmallMultiples.sharedDomain(power)),
            SmallMultiples.Column(title: "Facility power (MW)", yDomain: SmallMultiples.sharedDomain(power)),
            SmallMultiples.Column(title: "Grid factor (kg CO₂/MWh)", yDomain: SmallMultiples.sharedDomain(factor)),
            SmallMultiples.Column(title: "Temperature (°C)", yDomain: SmallMultiples.sharedDomain(temperature, zero: false)),
            SmallMultiples.Column(title: "PUE (cooling model)", yDomain: SmallMultiples.sharedDomain(pues, zero: false)),
            SmallMultiples.Column(title: "Battery energy (MWh)", yDomain: SmallMultiples.sharedDomain(stored), emptyNote: "no battery"),
        ]
        let legend = [LegendItem("renewables available (forecast)", color: Palette.black, mark: .line(dash: "2 2")),
                      LegendItem("renewables used", color: Palette.renewable),
                      LegendItem("battery discharge", color: Palette.battery),
                      LegendItem("grid", color: Palette.grid),
                      LegendItem("facility power", color: Palette.plan, mark: .line(dash: nil)),
                      LegendItem("grid factor", color: Palette.gridFactor, mark: .line(dash: nil)),
                      LegendItem("temperature", color: Palette.temperature, mark: .line(dash: nil)),
                      LegendItem("PUE", color: Palette.pue, mark: .line(dash: nil)),
                      LegendItem("battery energy", color: Palette.batteryEnergy)]
        let grid = SmallMultiples(title: "Forecasts and plan per node", legend: legend, columns: columns, rows: rows)
        var note = "Each column has one scale for all nodes; the two power columns share theirs. Periods are \(f.plan.periodMinutes) min (\(Format.grouped(D, decimals: 2)) h)."
        if drawn.count < f.plan.nodes.count {
            note += " Shown: the \(drawnNodeLimit / 2) or fewer nodes that received the most work from elsewhere, then those with the most facility energy "
                + "(\(drawn.count) in all); all \(f.plan.nodes.count) are in the table below."
        }
        return grid.svgs(width: width).joined(separator: "\n") + caption(note)
    }

    // MARK: - Where the work went

    static func flowMatrix(_ f: ReportFigures) -> String {
        let n = f.plan.nodes.count
        // Busiest origins (by work) and destinations (by work received from elsewhere); the rest summed.
        let originWork = (0 ..< n).map { o in f.flowCUh[o].reduce(0, +) }
        let received = (0 ..< n).map { d in (0 ..< n).reduce(0.0) { $0 + ($1 == d ? 0 : f.flowCUh[$1][d]) } }
        func pick(_ weights: [Double]) -> (shown: [Int], other: [Int]) {
            guard n > matrixLimit else { return (Array(0 ..< n), []) }
            let ranked = (0 ..< n).sorted { weights[$0] > weights[$1] }
            return (Array(ranked.prefix(matrixLimit)).sorted(), Array(ranked.dropFirst(matrixLimit)))
        }
        let origins = pick(originWork), nodes = pick(received)
        let rowGroups = origins.shown.map { [$0] } + (origins.other.isEmpty ? [] : [origins.other])
        let columnGroups = nodes.shown.map { [$0] } + (nodes.other.isEmpty ? [] : [nodes.other])
        func label(_ group: [Int]) -> String { group.count == 1 ? f.plan.nodes[group[0]].id : "\(group.count) others" }
        let values = rowGroups.map { rg in columnGroups.map { cg in rg.reduce(0.0) { acc, o in cg.reduce(acc) { $0 + f.flowCUh[o][$1] } } } }
        let notes = rowGroups.map { rg -> String in
            let total = rg.reduce(0.0) { $0 + originWork[$1] }, stayed = rg.reduce(0.0) { $0 + f.flowCUh[$1][$1] }
            return total > 0 ? "\(Format.percent(100 * (total - stayed) / total, decimals: 0)) moved" : "no work"
        }
        // A cell holds work that stayed wherever its origins and nodes share one (always, for "others" and "others").
        let stayed = rowGroups.map { rg in columnGroups.map { cg in !Set(rg).isDisjoint(with: cg) } }
        let matrix = FlowMatrix(title: "Work by origin and the node it ran at (CU·h)", rowTitle: "Origin", columnTitle: "Ran at",
                                rowLabels: rowGroups.map(label), columnLabels: columnGroups.map(label), values: values,
                                unit: "CU·h", rowNotes: notes, stayed: stayed)
        var note = "All classes and periods. Amounts in CU·h (k = thousand, M = million); hover a cell for the exact figure."
        if n > matrixLimit { note += " The \(matrixLimit) busiest origins and destinations are shown; the rest are summed into \"others\"." }
        return matrix.svg(width: width) + caption(note)
    }

    /// Hours-waited buckets: upper bounds in hours (the first is exactly 0, the last open-ended).
    static let waitBuckets: [(name: String, upToHours: Double)] = [
        ("0 h", 0), ("≤ 1 h", 1), ("1–2 h", 2), ("2–4 h", 4), ("4–8 h", 8), ("8–12 h", 12), ("12–24 h", 24), ("> 24 h", .infinity),
    ]

    /// Below this share of a class's work, a cell of the waiting matrix is solver round-off
    /// (e.g. 2e-7 CU·h "over 24 h" beside thousands run on time) and is not drawn.
    static let waitingRelativeTolerance = 1e-6

    /// CU*h per class and wait bucket (`waitBuckets`), leaving out round-off cells.
    static func waitingBuckets(_ byPeriods: [[Double]], periodHours: Double) -> [[Double]] {
        byPeriods.map { row in
            let tolerance = waitingRelativeTolerance * row.reduce(0, +)
            var bucket = [Double](repeating: 0, count: waitBuckets.count)
            for (k, cuH) in row.enumerated() where cuH > tolerance {
                let hours = Double(k) * periodHours
                bucket[waitBuckets.firstIndex { hours <= $0.upToHours + 1e-9 }!] += cuH
            }
            return bucket
        }
    }

    static func waitingChart(_ f: ReportFigures) -> String {
        let byPeriods = f.waitedCUh
        let D = Double(f.plan.periodMinutes) / 60
        let buckets = waitingBuckets(byPeriods, periodHours: D)
        // Only the buckets some class uses, coloured light (short wait) to dark (long).
        let used = waitBuckets.indices.filter { b in buckets.contains { $0[b] > 0 } }
        let segments = used.enumerated().map { i, b in
            LegendItem(waitBuckets[b].name, color: Palette.sequential(used.count == 1 ? 0 : Double(i) / Double(used.count - 1)))
        }
        let notes = byPeriods.enumerated().map { w, row -> String in
            let total = row.reduce(0, +)
            let mean = total > 0 ? row.enumerated().reduce(0.0) { $0 + Double($1.offset) * D * $1.element } / total : 0
            return "\(Format.grouped(total)) CU·h, mean \(Format.grouped(mean, decimals: 1)) h, deadline \(Format.grouped(f.scenario.classes[w].deadlineHours, decimals: 1)) h"
        }
        let chart = ShareBars(title: "How long work waited to run, by class", categories: f.scenario.classes.map(\.id),
                              segments: segments, values: buckets.map { row in used.map { row[$0] } }, notes: notes,
                              axisTitle: "Share of the class's work run (%)")
        return chart.svg(width: width)
            + caption("Waiting is the time from the period work arrived in to the period it ran in, matching arrivals to runs first in, first out per class and origin. "
                + "Amounts below a millionth of a class's work are solver round-off and are left out.")
    }

    // MARK: - Links

    /// The link directions that carried work, in scenario order.
    static func usedLinks(_ f: ReportFigures) -> [ReportFigures.LinkFlow] { f.linkFlows.filter { $0.cuH.contains { $0 > 0 } } }

    static func linkTable(_ f: ReportFigures) -> String {
        let used = usedLinks(f)
        guard !used.isEmpty else { return caption("No work moved between nodes.") }
        var out = "<div class=\"scroll\"><table class=\"links\"><thead><tr><th>From</th><th>To</th><th>Work moved (CU·h)</th><th>Data moved (GB)</th>"
        out += "<th>Peak bandwidth use (%)</th><th>Periods at full bandwidth</th><th>Network emissions (kg CO₂)</th></tr></thead><tbody>\n"
        for l in used {
            let periods = l.cuH.indices
            let peak = l.gbPerPeriodLimit == nil ? "unlimited" : Format.grouped(100 * (periods.compactMap(l.use).max() ?? 0), decimals: 1)
            let full = l.gbPerPeriodLimit == nil ? "–" : "\(periods.filter { (l.use($0) ?? 0) >= 1 - ReportFigures.bindingTolerance }.count)"
            out += "<tr><td>\(esc(l.from))</td><td>\(esc(l.to))</td><td>\(Format.grouped(l.cuH.reduce(0, +)))</td><td>\(Format.grouped(l.gb.reduce(0, +)))</td>"
            out += "<td>\(peak)</td><td>\(full)</td><td>\(Format.grouped(l.carbonKg.reduce(0, +)))</td></tr>\n"
        }
        let carbonKg = used.reduce(0.0) { $0 + $1.carbonKg.reduce(0, +) }
        out += "</tbody><tfoot><tr><th>All links</th><th></th><td>\(Format.grouped(used.reduce(0.0) { $0 + $1.cuH.reduce(0, +) }))</td>"
        out += "<td>\(Format.grouped(used.reduce(0.0) { $0 + $1.gb.reduce(0, +) }))</td><td></td><td></td><td>\(Format.grouped(carbonKg))</td></tr></tfoot></table></div>\n"
        return out + caption("Each direction of a link on its own line (bandwidth limits are per direction, model.md row 9). Data: the classes' GB per CU·h times the work moved. "
            + "Bandwidth use: data over what the direction carries in one period. Network emissions: the link's kWh per GB at the origin's grid factor.")
    }

    static func linkHeatmap(_ f: ReportFigures, _ time: TimeAxis) -> String {
        let used = usedLinks(f)
        let map = Heatmap(title: "Data moved per link direction and period (GB)", rowLabels: used.map { "\($0.from) → \($0.to)" },
                          values: used.map(\.gb), time: time, valueTitle: "GB per period", zeroMeaning: "nothing moved")
        return map.svg(width: width) + caption("Rows: the link directions that carried work, as in the table above.")
    }

    // MARK: - Curtailment

    /// Rows shown in the curtailment table, largest first; report-data/curtailment.csv has all.
    static let curtailmentRowLimit = 30

    static func curtailmentTable(_ f: ReportFigures, _ time: TimeAxis) -> String {
        guard !f.curtailments.isEmpty else { return caption("No renewable energy was curtailed.") }
        let shown = f.curtailments.sorted { $0.curtailedMWh > $1.curtailedMWh }.prefix(curtailmentRowLimit)
        var counts: [String] = []
        for cause in [ReportFigures.WorkBlock.capacityFull, .poolFull, .linkBandwidth, .noWorkInReach] {
            let rows = f.curtailments.filter { $0.work == cause }
            if !rows.isEmpty { counts.append("\(cause.rawValue): \(rows.count) (\(Format.grouped(rows.reduce(0) { $0 + $1.curtailedMWh }, decimals: 1)) MWh)") }
        }
        var out = "<p class=\"curtailment-causes\">Node-periods with curtailment, by what kept more work away: \(esc(counts.joined(separator: "; "))).</p>\n"
        out += "<div class=\"scroll\"><table class=\"curtailment\"><caption>Largest curtailments\(f.curtailments.count > shown.count ? " (\(shown.count) of \(f.curtailments.count))" : "")</caption>"
        out += "<thead><tr><th>Node</th><th>Period start (\(time.utcOffset))</th><th>Curtailed (MWh)</th><th>More work could not run because</th><th>Battery</th></tr></thead><tbody>\n"
        for c in shown {
            out += "<tr><td>\(esc(f.plan.nodes[c.node].id))</td><td>\(esc(time.startLabel(c.period)))</td>"
            out += "<td>\(Format.grouped(c.curtailedMWh, decimals: 1))</td><td>\(esc(c.workText))</td><td>\(c.battery.rawValue)</td></tr>\n"
        }
        out += "</tbody></table></div>\n"
        return out + caption("Curtailed renewables could only have been used by more work at the node or by its battery. "
            + "Work: capacity full when the node ran all it could; else pool full when one of its pools did (that pool's classes could not run more here); "
            + "else link bandwidth when every link into it has a bandwidth and was full; "
            + "else no flexible work was in reach (deadlines, latency limits and allowed nodes kept the rest where it was). "
            + "Battery: full, charging at its full power, or with room left (charging it would not have cut emissions). "
            + "A constraint counts as binding within a millionth of its limit.")
    }

    // MARK: - Capacity

    static func marginalHeatmap(_ f: ReportFigures, _ time: TimeAxis) -> String {
        // One row per node and pool; a node's pools in its order, named by type where any node has several kinds.
        let types = Set(f.plan.nodes.flatMap { $0.periods.first?.pools?.map(\.type) ?? [] })
        var labels: [String] = [], values: [[Double]] = []
        for node in f.plan.nodes {
            for (k, pool) in (node.periods.first?.pools ?? []).enumerated() {
                labels.append(types.count > 1 ? "\(node.id) · \(pool.type)" : node.id)
                values.append(node.periods.map { 1000 * max(0, $0.pools?[k].marginalCarbonKgPerCUh ?? 0) })
            }
        }
        let map = Heatmap(title: "Emissions one more CU·h of capacity would save, by node\(types.count > 1 ? ", pool" : "") and period",
                          rowLabels: labels,
                          values: values,
                          time: time, valueTitle: "g CO₂ saved per extra CU·h", zeroMeaning: "capacity not binding")
        var note = "Minus the dual value of each node's capacity constraint, one per pool. "
        if map.colorCap.clipped { note += "The colour scale stops at the 95th percentile; darker cells are at least that. " }
        let s = f.plan.summary
        if s.workCUh > 0 {
            note += "For scale: the plan emits \(Format.grouped(1000 * s.carbonKg / s.workCUh)) g CO₂ per CU·h run on average, so a cell of that value means one more CU·h of capacity there saves about as much as an average CU·h emits. "
        }
        note += "Values at the unserved-work penalty (\(Format.grouped(1000 * f.scenario.unservedPenaltyKgPerCUh)) g per CU·h) mean extra capacity would serve unserved work."
        return map.svg(width: width) + caption(note)
    }

    // MARK: - Table

    static func nodeTable(_ f: ReportFigures) -> String {
        var out = "<div class=\"scroll\"><table class=\"nodes\"><thead><tr><th>Node</th><th class=\"name\">Name</th><th>Facility energy (MWh)</th><th>Grid energy (MWh)</th>"
        out += "<th>Renewable used (MWh)</th><th>Renewable curtailed (MWh)</th><th>Renewable share (%)</th><th>Emissions (kg CO₂)</th>"
        out += "<th>Baseline emissions (kg CO₂)</th><th>Work run (CU·h)</th><th>Utilization (%)</th><th>Peak utilization (%)</th>"
        out += "<th>Energy vs baseline (MWh)</th><th>Emissions vs baseline (kg CO₂)</th><th>Work vs baseline (CU·h)</th><th>Carbon per work (g CO₂/CU·h)</th></tr></thead><tbody>\n"
        func cells(_ values: [(Double?, Int)]) -> String {
            values.map { v, decimals in "<td>\(v.map { Format.grouped($0, decimals: decimals) } ?? "–")</td>" }.joined()
        }
        func change(_ plan: Double, _ baseline: Double?) -> Double? { baseline.map { plan - $0 } }
        for row in f.nodeRows {
            out += "<tr><td>\(esc(row.id))</td><td class=\"name\">\(esc(row.name))</td>"
            out += cells([(row.facilityEnergyMWh, 1), (row.gridEnergyMWh, 1), (row.renewableUsedMWh, 1), (row.renewableCurtailedMWh, 1),
                          (100 * row.renewableShare, 1), (row.carbonKg, 0), (row.baselineCarbonKg, 0), (row.workCUh, 0),
                          (100 * row.utilization, 1), (100 * row.peakUtilization, 1),
                          (change(row.facilityEnergyMWh, row.baselineFacilityEnergyMWh), 1), (change(row.carbonKg, row.baselineCarbonKg), 0),
                          (change(row.workCUh, row.baselineWorkCUh), 0), (row.gramsPerCUh, 0)]) + "</tr>\n"
        }
        let s = f.plan.summary
        let share = s.renewableUsedMWh + s.gridEnergyMWh > 0 ? 100 * s.renewableUsedMWh / (s.renewableUsedMWh + s.gridEnergyMWh) : 0
        out += "</tbody><tfoot><tr><th>All nodes</th><th></th>"
        out += cells([(s.facilityEnergyMWh, 1), (s.gridEnergyMWh, 1), (s.renewableUsedMWh, 1), (s.renewableCurtailedMWh, 1),
                      (share, 1), (s.gridCarbonKg, 0), (s.baselineCarbonKg, 0), (s.workCUh, 0), (nil, 0), (nil, 0),
                      (nil, 0), (s.gridCarbonKg - s.baselineCarbonKg, 0), (nil, 0), (s.workCUh > 0 ? 1000 * s.gridCarbonKg / s.workCUh : nil, 0)])
        out += "</tr></tfoot></table></div>\n"
        return out + caption("Emissions here are the grid's; the plan's network emissions (\(Format.grouped(s.networkCarbonKg)) kg) come on top. "
            + "Renewable share: renewable energy over all energy drawn (renewables and grid). Utilization: work run over what the node could run in the horizon. "
            + "The changes are the plan's total at the node minus the no-shifting baseline's (negative: less than without shifting). "
            + "Carbon per work: the node's grid emissions over the work it ran.")
    }

    // MARK: - Page

    /// A section's body scrolls sideways on its own in a narrow window, where charts keep a
    /// legible minimum width (stylesheet) instead of shrinking their text to nothing.
    static func section(_ id: String, _ title: String, _ parts: [String]) -> String {
        "<section id=\"\(id)\"><h2>\(esc(title))</h2>\n<div class=\"scroll\">" + parts.joined(separator: "\n") + "</div>\n</section>\n"
    }

    /// The start of a self-contained page in the report's style, up to the open body; `title` is HTML.
    static func pageStart(_ title: String) -> String {
        """
        <!DOCTYPE html>
        <html xmlns="http://www.w3.org/1999/xhtml" lang="en"><head><meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title>\(title)</title>
        <style>\(stylesheet)</style></head><body>

        """
    }

    static func caption(_ text: String) -> String { "<p class=\"caption\">\(esc(text))</p>\n" }

    static func esc(_ s: String) -> String { SVG.escape(s) }

    /// Sized for a 1280 px window; charts scale down (viewBox) for narrower windows and paper.
    static let stylesheet = """
        body { font-family: "DejaVu Sans", "Helvetica Neue", Arial, sans-serif; color: #222; max-width: 1160px; margin: 0 auto; padding: 16px 24px; }
        h1 { font-size: 24px; margin: 0 0 4px; }
        h2 { font-size: 19px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 1px solid #BBB; }
        p { margin: 4px 0; font-size: 14px; }
        .caption { color: #444; font-size: 13px; max-width: 900px; margin-bottom: 20px; }
        .figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 10px; margin: 14px 0; }
        .figure { border: 1px solid #CCC; border-radius: 4px; padding: 8px 12px; }
        .figure .label { font-size: 13px; color: #444; }
        .figure .value { font-size: 22px; font-weight: bold; margin: 2px 0; }
        .figure .note { font-size: 12px; color: #555; }
        .alert { border: 2px solid #D55E00; background: #FBE3D2; }
        .banner { padding: 8px 12px; border-radius: 4px; margin: 10px 0; }
        svg.chart { display: block; max-width: 100%; height: auto; margin: 12px 0 4px; overflow: visible; }
        svg.row { margin: 0; }
        svg text { font-family: inherit; }
        .chart-title { font-size: 15px; font-weight: bold; }
        .row-title { font-size: 12px; font-weight: bold; }
        .axis-title { font-size: 12px; }
        .legend { font-size: 12px; }
        .tick { font-size: 11px; }
        .cell { font-size: 10px; }
        .small { font-size: 9px; }
        table { border-collapse: collapse; font-size: 12px; margin: 8px 0; }
        caption { text-align: left; font-weight: bold; padding: 4px 0; }
        th, td { padding: 3px 6px; border-bottom: 1px solid #E2E2E2; text-align: right; }
        th { background: #F2F2F2; font-weight: bold; vertical-align: bottom; }
        td:first-child, th:first-child, .name { text-align: left; }
        td:first-child { white-space: nowrap; }
        /* A number or a timestamp broken over lines reads as two in a narrow window. */
        .nowrap, table.classes td:not(:nth-child(4)), table.curtailment td:nth-child(-n+3) { white-space: nowrap; }
        table.links td:nth-child(2), table.links th:nth-child(2) { text-align: left; white-space: nowrap; }
        table.curtailment td:nth-child(n+4), table.curtailment th:nth-child(n+4) { text-align: left; }
        td.name { min-width: 180px; max-width: 260px; }
        tfoot th, tfoot td { border-top: 2px solid #999; font-weight: bold; }
        footer { margin: 32px 0 8px; font-size: 12px; color: #666; }
        .scroll { overflow-x: auto; max-width: 100%; }
        @media (max-width: 700px) {
          body { padding: 8px 10px; }
          .figures { grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); }
          .figure .value { font-size: 18px; }
          svg.chart { min-width: 820px; }
        }
        @media print {
          body { max-width: none; padding: 0; }
          .scroll { overflow: visible; }
          svg.chart, tr, .figure, .caption { break-inside: avoid; }
          h2, svg.chart { break-after: avoid; }
          .caption { break-before: avoid; }
          /* The total never starts a page alone: it keeps the last rows above it. */
          tfoot { display: table-row-group; break-before: avoid; }
          tbody tr:nth-last-child(-n+3) { break-before: avoid; }
        }
        @page { size: A4 landscape; margin: 12mm; }
        """
}
