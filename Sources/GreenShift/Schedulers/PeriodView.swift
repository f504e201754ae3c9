/// What every node should run in one period (`greenshift now`): the capacity curves of that
/// period, node by node, for a cron-driven scheduler to act on.
public struct PeriodView {
    public let plan: Plan
    public let horizon: Horizon
    public let period: Int

    public init(plan: Plan, horizon: Horizon, period: Int) {
        self.plan = plan; self.horizon = horizon; self.period = period
    }

    /// The period holding `time`; a time outside the plan is bad input naming the horizon.
    public init(plan: Plan, file: String, at time: Timestamp) throws(InputError) {
        let horizon = try Horizon(plan, file: file)
        guard let period = horizon.period(containing: time) else {
            throw InputError([Diagnostic(file: file, "\(time) is outside the plan's horizon, \(horizon.description)")])
        }
        self.init(plan: plan, horizon: horizon, period: period)
    }

    private var curves: [Plan.CapacityCurvePoint] { plan.capacityCurves.filter { $0.period == period } }

    public func json() -> JSON {
        let curves = self.curves
        return .object([
            ("period", .number(Double(period))),
            ("start", .string(horizon.start(of: period).description)),
            ("end", .string(horizon.start(of: period + 1).description)),
            ("nodes", .array(plan.nodes.map { node in
                .object([("id", .string(node.id)), ("run", .array(curves.filter { $0.node == node.id }.map { c in
                    .object([("pool", .string(c.pool)), ("class", .string(c.classID)), ("max_cu", .number(c.maxCU))])
                }))])
            })),
        ])
    }

    /// One line per node, pool and class; a node with nothing to run says so.
    public func table() -> String {
        let curves = self.curves
        var rows: [[String]] = [["node", "pool", "class", "max_cu"]]
        for node in plan.nodes {
            let run = curves.filter { $0.node == node.id }
            if run.isEmpty { rows.append([node.id, "-", "-", "0"]) }
            for c in run { rows.append([node.id, c.pool, c.classID, JSON.format(c.maxCU)]) }
        }
        let widths = (0 ..< 4).map { k in rows.map { $0[k].count }.max()! }
        let lines = rows.map { row in
            row.enumerated().map { k, cell in
                k == 3 ? String(repeating: " ", count: widths[k] - cell.count) + cell : cell + String(repeating: " ", count: widths[k] - cell.count)
            }.joined(separator: "  ")
        }
        return "period \(period) of \(plan.scenario): \(horizon.start(of: period)) to \(horizon.start(of: period + 1))\n"
            + lines.joined(separator: "\n") + "\n"
    }
}
