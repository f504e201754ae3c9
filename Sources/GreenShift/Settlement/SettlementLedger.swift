/// Who used which energy where (issue 15): per period, host node, origin, class and pool, the
/// work, its energy and its emissions, read from a plan's own lines.
///
/// Allocation rule: in every node and period, the energy drawn (facility energy plus battery
/// charging) is supplied by renewables, battery discharge and grid in one mix, and every row gets
/// that mix in proportion to the energy it draws. A work row draws its IT energy
/// (it_mw_per_cu x cu_h) times the period's PUE; the host's row (empty class, origin = host)
/// draws the pools' idle load times PUE plus battery charging, so the host carries the losses and
/// the emissions of charging, and discharged energy reaches its users free of emissions. Network
/// energy of moved work is outside every node's balance (model.md): it sits on the moved row,
/// weighed with the origin's factor. Summed over all rows, every figure is the plan's total.
public struct SettlementRow: Sendable, Equatable, Decodable {
    public var period: Int
    public var start: String
    public var origin: String
    public var node: String
    /// Empty for the host's own row.
    public var classID: String
    public var pool: String
    public var cuH: Double
    public var itMWh: Double
    public var facilityMWh: Double
    public var networkMWh: Double
    public var renewableMWh: Double
    public var batteryMWh: Double
    public var gridMWh: Double
    /// Under the optimized signal.
    public var carbonKg: Double
    public var averageCarbonKg: Double
    /// Only when the scenario has marginal factors.
    public var marginalCarbonKg: Double?

    /// The one list of the ledger's names: settlement.csv's columns and the keys of plan.json's
    /// `settlement.rows[]`, in order: the row's keys, then its figures.
    enum CodingKeys: String, CodingKey, CaseIterable {
        case period, start, origin, node, classID = "class", pool, cuH = "cu_h", itMWh = "it_mwh", facilityMWh = "facility_mwh",
             networkMWh = "network_mwh", renewableMWh = "renewable_mwh", batteryMWh = "battery_mwh", gridMWh = "grid_mwh",
             carbonKg = "carbon_kg", averageCarbonKg = "average_carbon_kg", marginalCarbonKg = "marginal_carbon_kg"
    }

    /// The names of the figures after the row's keys, in the order of `figures`.
    static func figureKeys(marginal: Bool) -> [String] {
        CodingKeys.allCases.drop { $0 != .cuH }.filter { marginal || $0 != .marginalCarbonKg }.map(\.rawValue)
    }

    /// The figures after the row's keys, in the order of `figureKeys`.
    func figures(marginal: Bool) -> [Double] {
        [cuH, itMWh, facilityMWh, networkMWh, renewableMWh, batteryMWh, gridMWh, carbonKg, averageCarbonKg] + (marginal ? [marginalCarbonKg ?? 0] : [])
    }
}

extension Plan {
    /// plan.json's `settlement`: the rows of settlement.csv as objects, and the rule that allocated them.
    public struct Settlement: Sendable, Equatable, Decodable {
        /// The rule of `SettlementLedger` (docs/plan-format.md, settlement.csv).
        public static let proportionalToEnergyDrawn = "proportional_to_energy_drawn"
        public var allocation: String
        public var rows: [SettlementRow]

        public init(allocation: String = proportionalToEnergyDrawn, rows: [SettlementRow]) {
            (self.allocation, self.rows) = (allocation, rows)
        }

        func json() -> JSON {
            typealias K = SettlementRow.CodingKeys
            let keys = [false, true].map { SettlementRow.figureKeys(marginal: $0) }
            return .object([("allocation", .string(allocation)), ("rows", .array(rows.map { r in
                let marginal = r.marginalCarbonKg != nil
                return .object([(K.period.rawValue, .number(Double(r.period))), (K.start.rawValue, .string(r.start)),
                                (K.origin.rawValue, .string(r.origin)), (K.node.rawValue, .string(r.node)),
                                (K.classID.rawValue, .string(r.classID)), (K.pool.rawValue, .string(r.pool))]
                               + zip(keys[marginal ? 1 : 0], r.figures(marginal: marginal)).map { ($0, .number($1)) })
            }))])
        }
    }
}

public enum SettlementLedger {
    /// settlement.csv's required columns (issue 15), through `carbon_kg`.
    public static let columns = SettlementRow.CodingKeys.allCases.prefix { $0 != .averageCarbonKg }.map(\.rawValue).joined(separator: ",")

    /// The row's keys of settlement.csv, before its figures.
    static let keyColumns = SettlementRow.CodingKeys.allCases.prefix { $0 != .cuH }.map(\.rawValue).joined(separator: ",")

    static func figureColumns(marginal: Bool) -> String { SettlementRow.figureKeys(marginal: marginal).joined(separator: ",") }

    public static func rows(plan: Plan, scenario: Scenario) -> [SettlementRow] {
        let D = plan.periodHours
        let network = NetworkIndex(scenario)
        let classIndex = Dictionary(scenario.classes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var byNodePeriod: [Int: [Plan.Placement]] = [:]
        for p in plan.placements {
            guard let n = network.node(p.node) else { continue }
            byNodePeriod[n * plan.periods + p.period, default: []].append(p)
        }
        let starts = (0 ..< plan.periods).map { scenario.periodStart($0).description }
        var rows: [SettlementRow] = []
        // Period by period, nodes in the plan's order: the order of the rows.
        for t in 0 ..< plan.periods {
            for (n, schedule) in plan.nodes.enumerated() {
                let node = scenario.nodes[n], np = schedule.periods[t]
                let drawn = np.renewableUsedMW + np.batteryDischargeMW + np.gridMW
                func row(origin: String, classID: String, pool: String, cuH: Double, itMWh: Double, load: Double,
                         networkMWh: Double, originIndex: Int) -> SettlementRow {
                    let share = drawn > 0 ? load / (drawn * D) : 0
                    let grid = np.gridMW * D * share
                    func kg(_ factors: [[Double]]) -> Double { factors[n][t] * grid + factors[originIndex][t] * networkMWh }
                    return SettlementRow(period: t, start: starts[t], origin: origin, node: schedule.id,
                                         classID: classID, pool: pool, cuH: cuH, itMWh: itMWh, facilityMWh: np.pue * itMWh,
                                         networkMWh: networkMWh, renewableMWh: np.renewableUsedMW * D * share,
                                         batteryMWh: np.batteryDischargeMW * D * share, gridMWh: grid,
                                         carbonKg: kg(scenario.carbonKgPerMWh), averageCarbonKg: kg(scenario.averageKgPerMWh),
                                         marginalCarbonKg: scenario.marginalKgPerMWh.map(kg))
                }
                let idleMWh = node.idleITMW * D
                rows.append(row(origin: schedule.id, classID: "", pool: "", cuH: 0, itMWh: idleMWh,
                                load: np.pue * idleMWh + np.batteryChargeMW * D, networkMWh: 0, originIndex: n))
                let placed = (byNodePeriod[n * plan.periods + t] ?? []).sorted { ($0.classID, $0.origin) < ($1.classID, $1.origin) }
                for p in placed {
                    guard let w = classIndex[p.classID], let o = network.node(p.origin),
                          let pool = node.poolIndex(p.pool) else { continue }
                    let itMWh = node.pools[pool].itMWPerCU * p.cuH
                    let networkMWh = o == n ? 0 : (network.link(between: o, n)?.kwhPerGB ?? 0) / 1000 * scenario.classes[w].gbPerCUh * p.cuH
                    rows.append(row(origin: p.origin, classID: p.classID, pool: p.pool, cuH: p.cuH, itMWh: itMWh,
                                    load: np.pue * itMWh, networkMWh: networkMWh, originIndex: o))
                }
            }
        }
        return rows
    }

    /// settlement.csv: the required columns, then `average_carbon_kg` and, with marginal factors, `marginal_carbon_kg`.
    public static func csv(_ rows: [SettlementRow], marginal: Bool) -> String {
        var out = keyColumns + "," + figureColumns(marginal: marginal) + "\n"
        for r in rows {
            out += "\(r.period),\(r.start),\(r.origin),\(r.node),\(r.classID),\(r.pool)," + r.figures(marginal: marginal).map(JSON.format).joined(separator: ",") + "\n"
        }
        return out
    }

    /// settlement-summary.csv: per origin and host, the origin's work at `home` or `away` and the host's own load (`host`).
    public static func summaryCSV(_ rows: [SettlementRow], scenario: Scenario, marginal: Bool) -> String {
        let order = Dictionary(scenario.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable { let origin: String; let node: String; let kind: String }
        var sums: [Key: [Double]] = [:]
        for r in rows {
            let kind = r.classID.isEmpty ? "host" : r.origin == r.node ? "home" : "away"
            let figures = r.figures(marginal: marginal)
            let key = Key(origin: r.origin, node: r.node, kind: kind)
            sums[key] = zip(sums[key] ?? Array(repeating: 0, count: figures.count), figures).map { $0 + $1 }
        }
        let rank = ["home": 0, "away": 1, "host": 2]
        var out = "origin,node,kind," + figureColumns(marginal: marginal) + "\n"
        for k in sums.keys.sorted(by: { (order[$0.origin] ?? 0, rank[$0.kind]!, order[$0.node] ?? 0) < (order[$1.origin] ?? 0, rank[$1.kind]!, order[$1.node] ?? 0) }) {
            out += "\(k.origin),\(k.node),\(k.kind)," + sums[k]!.map(JSON.format).joined(separator: ",") + "\n"
        }
        return out
    }
}
