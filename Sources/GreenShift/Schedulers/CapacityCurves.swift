/// What schedulers act on, derived from the placements alone (plan.md, "Capacity curves and
/// routing"): per node, pool, class and period the CU the plan lets that class use (the virtual
/// capacity curves of Google's carbon-intelligent computing), and per origin, class and period
/// the share of the work sent to each node.
extension Plan {
    public struct CapacityCurvePoint: Sendable, Equatable {
        public var period: Int
        public var start: String
        public var node: String
        public var pool: String
        public var classID: String
        public var maxCU: Double
    }

    public struct RoutingWeight: Sendable, Equatable {
        public var period: Int
        public var start: String
        public var classID: String
        public var origin: String
        public var node: String
        /// The share of the origin's work of this class and period that runs at `node`; they sum to 1.
        public var weight: Double
    }

    public var periodHours: Double { Double(periodMinutes) / 60 }

    /// Ordered by period, node (in the plan's order), pool and class.
    public var capacityCurves: [CapacityCurvePoint] {
        let nodeOrder = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Key: Hashable { let period: Int; let node: String; let pool: String; let classID: String }
        var cuH: [Key: Double] = [:], starts: [Int: String] = [:]
        for p in placements where p.cuH > 0 {
            cuH[Key(period: p.period, node: p.node, pool: p.pool, classID: p.classID), default: 0] += p.cuH
            starts[p.period] = p.start
        }
        return cuH.keys.sorted {
            ($0.period, nodeOrder[$0.node] ?? Int.max, $0.node, $0.pool, $0.classID)
                < ($1.period, nodeOrder[$1.node] ?? Int.max, $1.node, $1.pool, $1.classID)
        }.map { k in
            CapacityCurvePoint(period: k.period, start: starts[k.period]!, node: k.node, pool: k.pool, classID: k.classID,
                               maxCU: cuH[k]! / periodHours)
        }
    }

    /// Ordered by period, class, origin and node (in the plan's order); only origins with work.
    public var routing: [RoutingWeight] {
        let nodeOrder = Dictionary(nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        struct Lane: Hashable { let period: Int; let classID: String; let origin: String }
        var byLane: [Lane: [String: Double]] = [:], starts: [Int: String] = [:]
        for p in placements where p.cuH > 0 {
            byLane[Lane(period: p.period, classID: p.classID, origin: p.origin), default: [:]][p.node, default: 0] += p.cuH
            starts[p.period] = p.start
        }
        return byLane.keys.sorted { ($0.period, $0.classID, $0.origin) < ($1.period, $1.classID, $1.origin) }.flatMap { lane in
            let toNode = byLane[lane]!
            let total = toNode.values.reduce(0, +)
            return toNode.keys.sorted { (nodeOrder[$0] ?? Int.max, $0) < (nodeOrder[$1] ?? Int.max, $1) }.map { node in
                RoutingWeight(period: lane.period, start: starts[lane.period]!, classID: lane.classID, origin: lane.origin,
                              node: node, weight: toNode[node]! / total)
            }
        }
    }

    /// capacity.csv: `period,start,node,pool,class,max_cu`.
    public func capacityCSV() -> String {
        capacityCurves.reduce(into: "period,start,node,pool,class,max_cu\n") { out, c in
            out += "\(c.period),\(c.start),\(c.node),\(c.pool),\(c.classID),\(JSON.format(c.maxCU))\n"
        }
    }

    /// routing.csv: `period,start,class,origin,node,weight`.
    public func routingCSV() -> String {
        routing.reduce(into: "period,start,class,origin,node,weight\n") { out, r in
            out += "\(r.period),\(r.start),\(r.classID),\(r.origin),\(r.node),\(JSON.format(r.weight))\n"
        }
    }

    /// plan.json with the `capacity` and `routing` sections after the plan's own keys.
    public func jsonWithSchedulerSections() -> JSON {
        guard case .object(var members) = json() else { return json() }
        members.append(("capacity", .array(capacityCurves.map { c in
            .object([("period", .number(Double(c.period))), ("start", .string(c.start)), ("node", .string(c.node)),
                     ("pool", .string(c.pool)), ("class", .string(c.classID)), ("max_cu", .number(c.maxCU))])
        })))
        members.append(("routing", .array(routing.map { r in
            .object([("period", .number(Double(r.period))), ("start", .string(r.start)), ("class", .string(r.classID)),
                     ("origin", .string(r.origin)), ("node", .string(r.node)), ("weight", .number(r.weight))])
        })))
        return .object(members)
    }
}
