/// report-data/*.csv: the figures behind every chart and table of report.html, for analysts who
/// plot them themselves (docs/report.md lists the files). Written with the report, in one
/// OutputDirectory set, so a reader never sees the page and its data from different runs.
extension Report {
    public static let dataFolder = "report-data"
    /// report-data/*.csv: each render writes all of them, so others there are stale (OutputDirectory).
    public static let ownedDataFiles = OutputDirectory.OwnedFiles(folder: dataFolder, suffix: ".csv")

    public static func dataFiles(plan: Plan, scenario: Scenario) -> [(name: String, contents: String)] {
        dataFiles(ReportFigures(plan: plan, scenario: scenario))
    }

    static func dataFiles(_ f: ReportFigures) -> [(name: String, contents: String)] {
        let plan = f.plan, scenario = f.scenario, pue = scenario.pue
        let T = plan.periods
        func start(_ t: Int) -> String { scenario.periodStart(t).description }
        func n(_ v: Double?) -> String { v.map(JSON.format) ?? "" }
        var files: [(String, String)] = []

        // The two system charts.
        var system = "period,start,renewable_used_mw,battery_discharge_mw,grid_mw,facility_mw,renewable_available_mw,baseline_facility_mw,carbon_kg,baseline_carbon_kg\n"
        for t in 0 ..< T {
            let b = plan.baseline?.periods.first { $0.period == t }
            system += "\(t),\(start(t)),\(n(f.renewableUsedMW[t])),\(n(f.batteryDischargeMW[t])),\(n(f.gridMW[t])),\(n(f.facilityMW[t])),"
            system += "\(n(f.renewableForecastMW[t])),\(n(b?.facilityMW)),\(n(f.planCarbonKg[t])),\(n(b?.carbonKg))\n"
        }
        files.append(("system.csv", system))

        // The per-node panels, for every node (the page draws some).
        var nodes = "node,period,start,renewable_available_mw,renewable_used_mw,battery_discharge_mw,grid_mw,facility_mw,grid_factor_kg_per_mwh,temperature_c,pue,battery_energy_mwh\n"
        for (k, node) in plan.nodes.enumerated() {
            guard let s = f.scenarioIndex[k] else { continue }
            for p in node.periods where (0 ..< min(T, scenario.periodCount)).contains(p.period) {
                let t = p.period
                nodes += "\(node.id),\(t),\(start(t)),\(n(scenario.renewableMW[s][t])),\(n(p.renewableUsedMW)),\(n(p.batteryDischargeMW)),\(n(p.gridMW)),"
                nodes += "\(n(p.facilityMW)),\(n(scenario.carbonKgPerMWh[s][t])),\(n(scenario.temperatureC[s][t])),\(n(pue[s][t])),"
                nodes += "\(scenario.nodes[s].battery == nil ? "" : n(p.batteryEnergyMWh))\n"
            }
        }
        files.append(("nodes.csv", nodes))

        var flows = "origin,node,cu_h\n"
        for (o, row) in f.flowCUh.enumerated() {
            for (d, cuH) in row.enumerated() where cuH > 0 { flows += "\(plan.nodes[o].id),\(plan.nodes[d].id),\(n(cuH))\n" }
        }
        files.append(("flows.csv", flows))

        var waiting = "class,waited,cu_h\n"
        let buckets = waitingBuckets(f.waitedCUh, periodHours: scenario.periodHours)
        for (w, row) in buckets.enumerated() {
            for (b, cuH) in row.enumerated() where cuH > 0 { waiting += "\(scenario.classes[w].id),\(waitBuckets[b].name),\(n(cuH))\n" }
        }
        files.append(("waiting.csv", waiting))

        var links = "from,to,period,start,cu_h,gb,bandwidth_use,network_carbon_kg\n"
        for l in usedLinks(f) {
            for t in 0 ..< T where l.cuH[t] > 0 {
                links += "\(l.from),\(l.to),\(t),\(start(t)),\(n(l.cuH[t])),\(n(l.gb[t])),\(n(l.use(t))),\(n(l.carbonKg[t]))\n"
            }
        }
        files.append(("links.csv", links))

        var curtailment = "node,period,start,curtailed_mwh,work_blocked_by,full_pools,battery\n"
        for c in f.curtailments {
            curtailment += "\(plan.nodes[c.node].id),\(c.period),\(start(c.period)),\(n(c.curtailedMWh)),\(c.work.rawValue),\(c.fullPools.joined(separator: " ")),\(c.battery.rawValue)\n"
        }
        files.append(("curtailment.csv", curtailment))

        var capacity = "node,pool,period,start,marginal_carbon_g_per_cu_h\n"
        for node in plan.nodes {
            for p in node.periods where (0 ..< T).contains(p.period) {
                for pool in p.pools ?? [] {
                    capacity += "\(node.id),\(pool.type),\(p.period),\(start(p.period)),\(n(1000 * max(0, pool.marginalCarbonKgPerCUh)))\n"
                }
            }
        }
        files.append(("marginal-capacity.csv", capacity))

        var table = "node,facility_energy_mwh,grid_energy_mwh,renewable_used_mwh,renewable_curtailed_mwh,renewable_share,carbon_kg,baseline_carbon_kg,"
        table += "work_cu_h,utilization,peak_utilization,facility_energy_change_mwh,carbon_change_kg,work_change_cu_h,carbon_g_per_cu_h\n"
        for r in f.nodeRows {
            table += "\(r.id),\(n(r.facilityEnergyMWh)),\(n(r.gridEnergyMWh)),\(n(r.renewableUsedMWh)),\(n(r.renewableCurtailedMWh)),\(n(r.renewableShare)),"
            table += "\(n(r.carbonKg)),\(n(r.baselineCarbonKg)),\(n(r.workCUh)),\(n(r.utilization)),\(n(r.peakUtilization)),"
            table += "\(n(r.baselineFacilityEnergyMWh.map { r.facilityEnergyMWh - $0 })),\(n(r.baselineCarbonKg.map { r.carbonKg - $0 })),"
            table += "\(n(r.baselineWorkCUh.map { r.workCUh - $0 })),\(n(r.gramsPerCUh))\n"
        }
        files.append(("node-table.csv", table))
        return files.map { (dataFolder + "/" + $0.0, $0.1) }
    }

    /// report.html and its report-data/ files, as one set for OutputDirectory; `settlement`, the
    /// plan's ledger when the caller has it (built from the plan otherwise).
    public static func files(plan: Plan, scenario: Scenario, settlement: [SettlementRow]? = nil) -> [(name: String, contents: String)] {
        let f = ReportFigures(plan: plan, scenario: scenario, settlement: settlement)
        return [("report.html", html(f))] + dataFiles(f)
    }
}
