/// "Per class": where each class ran, its energy and emissions, read from the settlement ledger
/// (SettlementLedger), so the report's figures are the ones two provinces would settle on.
extension Report {
    static func classSection(_ f: ReportFigures) -> String {
        let rows = f.settlement
        // Scenario order of classes, then the hosts' own load (empty class) last.
        let order = f.scenario.classes.map(\.id) + [""]
        var out = "<table class=\"classes\"><caption>Per class, from settlement.csv: where it ran, its energy and emissions</caption>"
        out += "<thead><tr><th>Class</th><th>CU·h</th><th>Run at home</th><th>Hosts (most work first)</th><th>Facility energy (MWh)</th>"
        out += "<th>Network energy (MWh)</th><th>Renewable (MWh)</th><th>Battery (MWh)</th><th>Grid (MWh)</th><th>Emissions (kg CO₂)</th></tr></thead><tbody>"
        var byClass: [String: [SettlementRow]] = [:]
        for r in rows { byClass[r.classID, default: []].append(r) }
        for id in order {
            guard let mine = byClass[id] else { continue }
            func sum(_ k: (SettlementRow) -> Double) -> Double { mine.reduce(0) { $0 + k($1) } }
            let cuH = sum(\.cuH), home = mine.filter { $0.origin == $0.node }.reduce(0) { $0 + $1.cuH }
            var byHost: [String: Double] = [:]
            for r in mine { byHost[r.node, default: 0] += id.isEmpty ? r.facilityMWh : r.cuH }
            let hosts = byHost.filter { $0.value > 0 }.sorted { ($0.value, $1.key) > ($1.value, $0.key) }.prefix(3)
                .map { "<span class=\"nowrap\">\(esc($0.key)) \(Format.grouped($0.value, decimals: id.isEmpty ? 1 : 0))</span>" }.joined(separator: ", ")
            let figures = [sum(\.facilityMWh), sum(\.networkMWh), sum(\.renewableMWh), sum(\.batteryMWh), sum(\.gridMWh)]
            out += "<tr data-class=\"\(esc(id))\" data-carbon-kg=\"\(JSON.format(sum(\.carbonKg)))\" data-facility-mwh=\"\(JSON.format(figures[0]))\">"
            out += "<td>\(id.isEmpty ? "hosts' own (idle, battery charging)" : esc(id))</td><td>\(id.isEmpty ? "" : Format.grouped(cuH))</td>"
            out += "<td>\(id.isEmpty || cuH <= 0 ? "" : Format.percent(100 * home / cuH))</td><td>\(hosts)</td>"
            out += figures.map { "<td>\(Format.grouped($0, decimals: 1))</td>" }.joined()
            out += "<td>\(Format.grouped(sum(\.carbonKg)))</td></tr>"
        }
        return out + "</tbody></table>\n"
            + caption("Each node and period's renewables, battery discharge and grid are shared among the work it runs and its own load in proportion to the energy each draws; network energy is the origin's (docs/plan-format.md, settlement.csv).")
    }
}
