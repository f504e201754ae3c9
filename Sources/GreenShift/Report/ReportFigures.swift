/// What the report shows that the plan does not state directly: totals over nodes per period,
/// totals over periods per node, work flows, waiting times. Derived here once so that the page
/// code only lays out, and the tests can check the figures against the plan.
struct ReportFigures {
    let plan: Plan
    let scenario: Scenario
    /// The scenario's index of each of the plan's nodes (nil for a node the scenario lacks).
    let scenarioIndex: [Int?]

    /// System-wide per period, MW (power) or kg.
    var renewableUsedMW: [Double] = [], batteryDischargeMW: [Double] = [], batteryChargeMW: [Double] = []
    var gridMW: [Double] = [], facilityMW: [Double] = [], renewableForecastMW: [Double] = []
    var gridCarbonKg: [Double] = [], networkCarbonKg: [Double] = []
    var planCarbonKg: [Double] { zip(gridCarbonKg, networkCarbonKg).map(+) }

    struct NodeRow {
        var id: String
        var name: String
        var facilityEnergyMWh = 0.0, gridEnergyMWh = 0.0, renewableUsedMWh = 0.0, renewableCurtailedMWh = 0.0
        var carbonKg = 0.0, workCUh = 0.0
        /// The no-shifting baseline's totals at this node (nil without a baseline).
        var baselineCarbonKg: Double?, baselineFacilityEnergyMWh: Double?, baselineWorkCUh: Double?
        /// Grid emissions per unit of work run here, g CO₂ per CU*h (nil where no work ran).
        var gramsPerCUh: Double? { workCUh > 0 ? 1000 * carbonKg / workCUh : nil }
        /// Work run over what the node could have run in the horizon.
        var utilization = 0.0, peakUtilization = 0.0
        /// Renewable energy over all energy drawn (renewables and grid).
        var renewableShare: Double { renewableUsedMWh + gridEnergyMWh > 0 ? renewableUsedMWh / (renewableUsedMWh + gridEnergyMWh) : 0 }
    }
    var nodeRows: [NodeRow] = []

    /// CU*h of each class by periods waited (Waiting), for the waiting chart and its CSV.
    var waitedCUh: [[Double]] = []
    /// The plan's settlement ledger, for the per-class section.
    var settlement: [SettlementRow] = []

    /// CU*h run at each node by origin: `[origin][node]`, both in the plan's node order.
    var flowCUh: [[Double]] = []

    /// One direction of a scenario link and what moved over it per period.
    struct LinkFlow {
        var from: String, to: String
        var cuH: [Double], gb: [Double], carbonKg: [Double]
        /// What the direction carries in one period at full bandwidth (model.md, row 9); nil: unlimited.
        var gbPerPeriodLimit: Double?
        func use(_ t: Int) -> Double? { gbPerPeriodLimit.map { $0 > 0 ? gb[t] / $0 : 0 } }
    }
    /// Both directions of every scenario link between nodes of the plan, a→b then b→a.
    var linkFlows: [LinkFlow] = []

    /// What kept renewable energy from use at a node in a period (docs/report.md). Surplus
    /// renewables could have gone to more work here or into the battery; curtailment means both
    /// ways were shut.
    enum WorkBlock: String {
        case capacityFull = "capacity full", poolFull = "a pool full", linkBandwidth = "link bandwidth", noWorkInReach = "no flexible work in reach"
    }
    enum BatteryBlock: String { case none = "no battery", full = "battery full", power = "battery charging at full power", room = "battery had room" }
    struct Curtailment {
        var node: Int, period: Int, curtailedMWh: Double, work: WorkBlock, battery: BatteryBlock
        /// The node's pools that ran at capacity (for `poolFull`, the ones named).
        var fullPools: [String]
        var workText: String { work == .poolFull ? "pool full: " + fullPools.joined(separator: ", ") : work.rawValue }
    }
    var curtailments: [Curtailment] = []
    /// Relative margin within which a constraint counts as binding (solver round-off).
    static let bindingTolerance = 1e-6

    /// `settlement`: the ledger when the caller has built it already (optimize writes it too).
    init(plan: Plan, scenario: Scenario, settlement: [SettlementRow]? = nil) {
        self.plan = plan
        self.scenario = scenario
        waitedCUh = Waiting.cuHByPeriodsWaited(plan: plan, scenario: scenario)
        self.settlement = settlement ?? SettlementLedger.rows(plan: plan, scenario: scenario)
        let index = Dictionary(scenario.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        scenarioIndex = plan.nodes.map { index[$0.id] }
        let T = plan.periods, D = Double(plan.periodMinutes) / 60
        let zeros = [Double](repeating: 0, count: T)
        renewableUsedMW = zeros; batteryDischargeMW = zeros; batteryChargeMW = zeros
        gridMW = zeros; facilityMW = zeros; renewableForecastMW = zeros; gridCarbonKg = zeros; networkCarbonKg = zeros

        let baselineByNode = Dictionary((plan.baseline?.nodes ?? []).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for (k, node) in plan.nodes.enumerated() {
            let s = scenarioIndex[k]
            var row = NodeRow(id: node.id, name: s.flatMap { scenario.nodes[$0].name } ?? node.id)
            if let b = baselineByNode[node.id] {
                row.baselineCarbonKg = b.carbonKg; row.baselineFacilityEnergyMWh = b.facilityEnergyMWh; row.baselineWorkCUh = b.workCUh
            }
            // Utilization over all pools of the node (their CU are added as they are, as in plan.md).
            let capacityCUh = s.map { scenario.nodes[$0].pools.reduce(0) { $0 + $1.capacityCU } * D } ?? 0
            for p in node.periods where (0 ..< T).contains(p.period) {
                let t = p.period
                renewableUsedMW[t] += p.renewableUsedMW
                batteryDischargeMW[t] += p.batteryDischargeMW
                batteryChargeMW[t] += p.batteryChargeMW
                gridMW[t] += p.gridMW
                facilityMW[t] += p.facilityMW
                gridCarbonKg[t] += p.carbonKg
                row.facilityEnergyMWh += p.facilityMW * D
                row.gridEnergyMWh += p.gridMW * D
                row.renewableUsedMWh += p.renewableUsedMW * D
                row.renewableCurtailedMWh += p.renewableCurtailedMW * D
                row.carbonKg += p.carbonKg
                row.workCUh += p.workCUh
                if capacityCUh > 0 { row.peakUtilization = max(row.peakUtilization, p.workCUh / capacityCUh) }
            }
            if capacityCUh > 0 { row.utilization = row.workCUh / (capacityCUh * Double(T)) }
            if let s { for t in 0 ..< min(T, scenario.periodCount) { renewableForecastMW[t] += scenario.renewableMW[s][t] } }
            nodeRows.append(row)
        }

        // Moved work and its network emissions (model.md, E_net), drawn at the origin's factor.
        flowCUh = plan.nodes.map { _ in [Double](repeating: 0, count: plan.nodes.count) }
        let planIndex = Dictionary(plan.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var direction: [String: (link: Link, flow: Int)] = [:]
        for l in scenario.links where planIndex[l.a] != nil && planIndex[l.b] != nil {
            for (from, to) in [(l.a, l.b), (l.b, l.a)] where direction[from + "\n" + to] == nil {
                direction[from + "\n" + to] = (l, linkFlows.count)
                linkFlows.append(LinkFlow(from: from, to: to, cuH: zeros, gb: zeros, carbonKg: zeros,
                                          gbPerPeriodLimit: l.bandwidthGbps.map { $0 * Link.gbPerHourPerGbps * D }))
            }
        }
        let gbPerCUh = Dictionary(scenario.classes.map { ($0.id, $0.gbPerCUh) }, uniquingKeysWith: { a, _ in a })
        for p in plan.placements {
            guard let o = planIndex[p.origin], let n = planIndex[p.node] else { continue }
            flowCUh[o][n] += p.cuH
            guard o != n, (0 ..< T).contains(p.period), let (link, k) = direction[p.origin + "\n" + p.node],
                  let gb = gbPerCUh[p.classID], let so = scenarioIndex[o] else { continue }
            let carbonKg = scenario.carbonKgPerMWh[so][p.period] * link.kwhPerGB / 1000 * gb * p.cuH
            networkCarbonKg[p.period] += carbonKg
            linkFlows[k].cuH[p.period] += p.cuH
            linkFlows[k].gb[p.period] += gb * p.cuH
            linkFlows[k].carbonKg[p.period] += carbonKg
        }
        curtailments = curtailmentCauses()
    }

    /// The rule of docs/report.md: work was blocked by the node's capacity (all of it in use), else
    /// by one of its pools' (that pool full, its classes could not run more), else by bandwidth (every way in has a bandwidth and is full), else there was no movable work in
    /// reach (deadlines, latency, allowed nodes); the battery by being full, by its charging power,
    /// or not at all (it had room: charging it would not have cut emissions).
    private func curtailmentCauses() -> [Curtailment] {
        let D = Double(plan.periodMinutes) / 60, tol = Self.bindingTolerance
        var out: [Curtailment] = []
        for (k, node) in plan.nodes.enumerated() {
            guard let s = scenarioIndex[k] else { continue }
            let capacityCUh = scenario.nodes[s].pools.reduce(0) { $0 + $1.capacityCU } * D
            let inbound = linkFlows.filter { $0.to == node.id }
            for p in node.periods where p.renewableCurtailedMW * D > tol && (0 ..< plan.periods).contains(p.period) {
                let t = p.period
                let work: WorkBlock
                let pools = scenario.nodes[s].pools
                let fullPools = (p.pools ?? []).filter { pp in
                    pools.first { $0.type == pp.type }.map { pp.workCUh >= $0.capacityCU * D * (1 - tol) } ?? false
                }.map(\.type)
                if p.workCUh >= capacityCUh * (1 - tol) {
                    work = .capacityFull
                } else if !fullPools.isEmpty {
                    work = .poolFull
                } else if !inbound.isEmpty, inbound.allSatisfy({ ($0.use(t) ?? 0) >= 1 - tol && $0.gbPerPeriodLimit != nil }) {
                    work = .linkBandwidth
                } else {
                    work = .noWorkInReach
                }
                let battery: BatteryBlock
                if let b = scenario.nodes[s].battery {
                    battery = p.batteryEnergyMWh >= b.energyMWh * (1 - tol) ? .full : p.batteryChargeMW >= b.powerMW * (1 - tol) ? .power : .room
                } else {
                    battery = .none
                }
                out.append(Curtailment(node: k, period: t, curtailedMWh: p.renewableCurtailedMW * D, work: work, battery: battery, fullPools: fullPools))
            }
        }
        return out
    }

    /// The nodes to draw one by one, in plan order: the `limit / 2` that received the most work
    /// from elsewhere (where shifting went), then the ones with the most facility energy.
    func nodesToDraw(limit: Int) -> [Int] {
        let n = nodeRows.count
        let received = (0 ..< n).map { d in (0 ..< n).reduce(0.0) { $0 + ($1 == d ? 0 : flowCUh[$1][d]) } }
        var drawn = Array((0 ..< n).filter { received[$0] > 0 }.sorted { received[$0] > received[$1] }.prefix(limit / 2))
        for k in nodeRows.indices.sorted(by: { nodeRows[$0].facilityEnergyMWh > nodeRows[$1].facilityEnergyMWh })
            where drawn.count < limit && !drawn.contains(k) { drawn.append(k) }
        return drawn.sorted()
    }
}
