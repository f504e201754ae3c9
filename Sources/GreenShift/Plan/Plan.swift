/// A placement plan (plan.md, schema `greenshift.plan/2`): what schedulers act on.
/// Field names follow plan.json; `CodingKeys` hold the JSON names once, for writing and reading.
/// Keys that plan/2 added are optional here, so that a plan/1 file still reads.
public struct Plan: Sendable, Decodable {
    public static let schemaVersion = "greenshift.plan/2"
    /// The schemas `read` accepts: this one and version 1, whose keys are a subset.
    public static let readableSchemas = ["greenshift.plan/1", schemaVersion]

    public var schema: String = Plan.schemaVersion
    public var scenario: String
    public var start: String
    public var periodMinutes: Int
    public var periods: Int
    /// Nil in a plan/1 file, where every period was committed.
    public var commitPeriods: Int?
    /// The signal the plan optimized (`average` in a plan/1 file).
    public var carbonSignal: String?
    public var summary: Summary
    public var placements: [Placement]
    public var nodes: [NodeSchedule]
    public var unserved: [UnservedWork]
    /// Not in plan.md's example; readers ignore keys they do not know. For the report.
    public var baseline: Baseline?
    public var solver: SolverReport?
    /// The files the plan was made from (PlanInputs); nil in plans written before it was recorded.
    public var inputs: PlanInputs? = nil
    /// The settlement ledger (SettlementLedger); nil in plans written before it was added.
    public var settlement: Settlement? = nil

    enum CodingKeys: String, CodingKey {
        case schema, scenario, start, periodMinutes = "period_minutes", periods, commitPeriods = "commit_periods",
             carbonSignal = "carbon_signal", summary, placements, nodes, unserved, baseline, solver, inputs, settlement
    }

    public struct Summary: Sendable, Decodable, Equatable {
        public var carbonKg: Double
        public var gridCarbonKg: Double
        public var networkCarbonKg: Double
        public var baselineCarbonKg: Double
        public var reductionPercent: Double
        public var facilityEnergyMWh: Double
        public var gridEnergyMWh: Double
        public var networkEnergyMWh: Double
        public var renewableUsedMWh: Double
        public var renewableCurtailedMWh: Double
        public var workCUh: Double
        public var movedCUh: Double
        public var unservedCUh: Double
        public var baselineUnservedCUh: Double
        public var backlogInCUh: Double?
        public var backlogOutCUh: Double?
        public var cost: Double?
        /// Emissions under each signal: the same plan's grid and network energy weighed with the
        /// average factors, and with the marginal ones when the scenario has them.
        public var averageCarbonKg: Double?
        public var marginalCarbonKg: Double?
        public var baselineAverageCarbonKg: Double?
        public var baselineMarginalCarbonKg: Double?

        enum CodingKeys: String, CodingKey, CaseIterable {
            case carbonKg = "carbon_kg", gridCarbonKg = "grid_carbon_kg", networkCarbonKg = "network_carbon_kg",
                 baselineCarbonKg = "baseline_carbon_kg", reductionPercent = "reduction_percent",
                 facilityEnergyMWh = "facility_energy_mwh", gridEnergyMWh = "grid_energy_mwh",
                 networkEnergyMWh = "network_energy_mwh", renewableUsedMWh = "renewable_used_mwh",
                 renewableCurtailedMWh = "renewable_curtailed_mwh", workCUh = "work_cu_h", movedCUh = "moved_cu_h",
                 unservedCUh = "unserved_cu_h", baselineUnservedCUh = "baseline_unserved_cu_h",
                 backlogInCUh = "backlog_in_cu_h", backlogOutCUh = "backlog_out_cu_h", cost,
                 averageCarbonKg = "average_carbon_kg", marginalCarbonKg = "marginal_carbon_kg",
                 baselineAverageCarbonKg = "baseline_average_carbon_kg",
                 baselineMarginalCarbonKg = "baseline_marginal_carbon_kg"
        }
    }

    public struct Placement: Sendable, Decodable, Equatable {
        public var period: Int
        public var start: String
        public var classID: String
        /// The pool type the work runs in; `general` when a plan/1 file, which has no pools, is read.
        public var pool: String
        public var origin: String
        public var node: String
        public var cuH: Double

        enum CodingKeys: String, CodingKey {
            case period, start, classID = "class", pool, origin, node, cuH = "cu_h"
        }
    }

    public struct NodeSchedule: Sendable, Decodable, Equatable {
        public var id: String
        public var periods: [NodePeriod]
    }

    public struct NodePeriod: Sendable, Decodable, Equatable {
        public var period: Int
        public var workCUh: Double
        public var itMW: Double
        public var pue: Double
        public var facilityMW: Double
        public var renewableUsedMW: Double
        public var renewableCurtailedMW: Double
        public var gridMW: Double
        public var batteryChargeMW: Double
        public var batteryDischargeMW: Double
        public var batteryEnergyMWh: Double
        public var carbonKg: Double
        /// One entry per pool of the node (plan/2); a plan/1 file has none.
        public var pools: [PoolPeriod]?

        enum CodingKeys: String, CodingKey {
            case period, workCUh = "work_cu_h", itMW = "it_mw", pue, facilityMW = "facility_mw",
                 renewableUsedMW = "renewable_used_mw", renewableCurtailedMW = "renewable_curtailed_mw",
                 gridMW = "grid_mw", batteryChargeMW = "battery_charge_mw", batteryDischargeMW = "battery_discharge_mw",
                 batteryEnergyMWh = "battery_energy_mwh", carbonKg = "carbon_kg", pools
        }
    }

    /// One pool of a node in one period.
    public struct PoolPeriod: Sendable, Decodable, Equatable {
        public var type: String
        public var workCUh: Double
        public var itMW: Double
        /// Minus the dual of the pool's capacity row in the carbon-optimal solve (plan.md).
        public var marginalCarbonKgPerCUh: Double

        enum CodingKeys: String, CodingKey {
            case type, workCUh = "work_cu_h", itMW = "it_mw", marginalCarbonKgPerCUh = "marginal_carbon_kg_per_cu_h"
        }
    }

    public struct UnservedWork: Sendable, Decodable, Equatable {
        /// The period the work arrived in; nil for backlog from state.json, which names its `due`.
        public var period: Int?
        public var due: String?
        public var classID: String
        public var origin: String
        public var cuH: Double

        public init(period: Int?, due: String? = nil, classID: String, origin: String, cuH: Double) {
            (self.period, self.due, self.classID, self.origin, self.cuH) = (period, due, classID, origin, cuH)
        }

        enum CodingKeys: String, CodingKey { case period, due, classID = "class", origin, cuH = "cu_h" }
    }

    /// The no-shifting baseline, per period (system-wide) and per node, for comparison.
    public struct Baseline: Sendable, Decodable, Equatable {
        public var periods: [Period]
        public var nodes: [NodeTotal]

        public struct Period: Sendable, Decodable, Equatable {
            public var period: Int
            public var carbonKg: Double
            public var facilityMW: Double
            public var gridMW: Double
            public var renewableUsedMW: Double
            public var unservedCUh: Double
            enum CodingKeys: String, CodingKey {
                case period, carbonKg = "carbon_kg", facilityMW = "facility_mw", gridMW = "grid_mw",
                     renewableUsedMW = "renewable_used_mw", unservedCUh = "unserved_cu_h"
            }
        }

        public struct NodeTotal: Sendable, Decodable, Equatable {
            public var id: String
            public var carbonKg: Double
            public var facilityEnergyMWh: Double
            public var workCUh: Double
            enum CodingKeys: String, CodingKey {
                case id, carbonKg = "carbon_kg", facilityEnergyMWh = "facility_energy_mwh", workCUh = "work_cu_h"
            }
        }
    }

    /// How the plan was computed.
    public struct SolverReport: Sendable, Decodable, Equatable {
        public var status: String
        public var solver: String
        public var method: String
        public var variables: Int
        public var constraints: Int
        public var nonzeros: Int
        public var iterations: Int
        public var solveSeconds: Double
        public var baselineSeconds: Double
        public var tieBreak: String

        enum CodingKeys: String, CodingKey {
            case status, solver, method, variables, constraints, nonzeros, iterations,
                 solveSeconds = "solve_seconds", baselineSeconds = "baseline_seconds", tieBreak = "tie_break"
        }
    }
}

// MARK: - Writing

extension Plan {
    public func json() -> JSON {
        typealias K = CodingKeys
        var members: [(String, JSON)] = [
            (K.schema.rawValue, .string(schema)),
            (K.scenario.rawValue, .string(scenario)),
            (K.start.rawValue, .string(start)),
            (K.periodMinutes.rawValue, .number(Double(periodMinutes))),
            (K.periods.rawValue, .number(Double(periods))),
        ]
        if let commitPeriods { members.append((K.commitPeriods.rawValue, .number(Double(commitPeriods)))) }
        if let carbonSignal { members.append((K.carbonSignal.rawValue, .string(carbonSignal))) }
        members += [
            (K.summary.rawValue, summary.json()),
            (K.placements.rawValue, .array(placements.map { $0.json() })),
            (K.nodes.rawValue, .array(nodes.map { node in
                .object([("id", .string(node.id)), ("periods", .array(node.periods.map { $0.json() }))])
            })),
            (K.unserved.rawValue, .array(unserved.map { $0.json() })),
        ]
        if let baseline { members.append((K.baseline.rawValue, baseline.json())) }
        if let solver { members.append((K.solver.rawValue, solver.json())) }
        if let inputs { members.append((K.inputs.rawValue, inputs.json())) }
        if let settlement { members.append((K.settlement.rawValue, settlement.json())) }
        return .object(members)
    }
}

extension Plan.Summary {
    func json() -> JSON {
        typealias K = CodingKeys
        let values: [(K, Double?)] = [
            (.carbonKg, carbonKg), (.gridCarbonKg, gridCarbonKg), (.networkCarbonKg, networkCarbonKg),
            (.baselineCarbonKg, baselineCarbonKg), (.reductionPercent, reductionPercent),
            (.facilityEnergyMWh, facilityEnergyMWh), (.gridEnergyMWh, gridEnergyMWh),
            (.networkEnergyMWh, networkEnergyMWh), (.renewableUsedMWh, renewableUsedMWh),
            (.renewableCurtailedMWh, renewableCurtailedMWh), (.workCUh, workCUh), (.movedCUh, movedCUh),
            (.unservedCUh, unservedCUh), (.baselineUnservedCUh, baselineUnservedCUh),
            (.backlogInCUh, backlogInCUh), (.backlogOutCUh, backlogOutCUh), (.cost, cost),
            (.averageCarbonKg, averageCarbonKg), (.marginalCarbonKg, marginalCarbonKg),
            (.baselineAverageCarbonKg, baselineAverageCarbonKg), (.baselineMarginalCarbonKg, baselineMarginalCarbonKg),
        ]
        // `cost` is present only when the scenario has prices, the `marginal_` keys only with marginal factors.
        return .object(values.compactMap { key, value in value.map { (key.rawValue, .number($0)) } })
    }
}

extension Plan.Placement {
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(period: try c.decode(Int.self, forKey: .period), start: try c.decode(String.self, forKey: .start),
                  classID: try c.decode(String.self, forKey: .classID),
                  pool: try c.decodeIfPresent(String.self, forKey: .pool) ?? Pool.general,
                  origin: try c.decode(String.self, forKey: .origin), node: try c.decode(String.self, forKey: .node),
                  cuH: try c.decode(Double.self, forKey: .cuH))
    }

    func json() -> JSON {
        .object([("period", .number(Double(period))), ("start", .string(start)), ("class", .string(classID)),
                 ("pool", .string(pool)), ("origin", .string(origin)), ("node", .string(node)), ("cu_h", .number(cuH))])
    }
}

extension Plan.NodePeriod {
    func json() -> JSON {
        typealias K = CodingKeys
        return .object([
            (K.period.rawValue, .number(Double(period))), (K.workCUh.rawValue, .number(workCUh)),
            (K.itMW.rawValue, .number(itMW)), (K.pue.rawValue, .number(pue)), (K.facilityMW.rawValue, .number(facilityMW)),
            (K.renewableUsedMW.rawValue, .number(renewableUsedMW)), (K.renewableCurtailedMW.rawValue, .number(renewableCurtailedMW)),
            (K.gridMW.rawValue, .number(gridMW)), (K.batteryChargeMW.rawValue, .number(batteryChargeMW)),
            (K.batteryDischargeMW.rawValue, .number(batteryDischargeMW)), (K.batteryEnergyMWh.rawValue, .number(batteryEnergyMWh)),
            (K.carbonKg.rawValue, .number(carbonKg)),
            (K.pools.rawValue, .array((pools ?? []).map { pool in
                .object([("type", .string(pool.type)), ("work_cu_h", .number(pool.workCUh)), ("it_mw", .number(pool.itMW)),
                         ("marginal_carbon_kg_per_cu_h", .number(pool.marginalCarbonKgPerCUh))])
            })),
        ])
    }
}

extension Plan.UnservedWork {
    func json() -> JSON {
        var members: [(String, JSON)] = [("period", period.map { .number(Double($0)) } ?? .null)]
        if let due { members.append(("due", .string(due))) }
        return .object(members + [("class", .string(classID)), ("origin", .string(origin)), ("cu_h", .number(cuH))])
    }
}

extension Plan.Baseline {
    func json() -> JSON {
        .object([
            ("periods", .array(periods.map { p in
                .object([("period", .number(Double(p.period))), ("carbon_kg", .number(p.carbonKg)),
                         ("facility_mw", .number(p.facilityMW)), ("grid_mw", .number(p.gridMW)),
                         ("renewable_used_mw", .number(p.renewableUsedMW)), ("unserved_cu_h", .number(p.unservedCUh))])
            })),
            ("nodes", .array(nodes.map { n in
                .object([("id", .string(n.id)), ("carbon_kg", .number(n.carbonKg)),
                         ("facility_energy_mwh", .number(n.facilityEnergyMWh)), ("work_cu_h", .number(n.workCUh))])
            })),
        ])
    }
}

extension Plan.SolverReport {
    func json() -> JSON {
        .object([
            ("status", .string(status)), ("solver", .string(solver)), ("method", .string(method)),
            ("variables", .number(Double(variables))), ("constraints", .number(Double(constraints))),
            ("nonzeros", .number(Double(nonzeros))), ("iterations", .number(Double(iterations))),
            ("solve_seconds", .number(solveSeconds)), ("baseline_seconds", .number(baselineSeconds)),
            ("tie_break", .string(tieBreak)),
        ])
    }
}

extension Plan {
    /// placements.csv: `period,start,class,pool,origin,node,cu_h`, one row per placement.
    public func placementsCSV() -> String {
        var out = "period,start,class,pool,origin,node,cu_h\n"
        for p in placements {
            out += "\(p.period),\(p.start),\(p.classID),\(p.pool),\(p.origin),\(p.node),\(JSON.format(p.cuH))\n"
        }
        return out
    }
}
