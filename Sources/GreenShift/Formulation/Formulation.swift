import LinearProgramming

/// The linear program of model.md for one scenario, built in bulk: one block of columns or rows
/// per family, from arrays, with nonzeros linear in the horizon.
///
/// Work constraints 1-3 are written in backlog form (docs/performance.md, "Measurements behind
/// the formulation"): for every class w,
/// origin o and period t one equality row
///
///     sum_n x[w,o,n,t] + v[w,o,t] + b[w,o,t] - b[w,o,t-1] = A[w,o,t]
///
/// where b is the work that has arrived but is neither run nor dropped (bounded by the cohorts
/// still open after t: the arrivals of the last K_w periods and the backlog from state.json due
/// later, so nothing outlives its deadline; none after the last period) and v is work dropped
/// unserved. The backlog enters as arrivals in period 0. This is exactly the cumulative form of
/// model.md: processed-by-t lies between the cohorts due by t and the cohorts runnable by t.
/// Dropping is only needed when a deadline falls (at a cohort's last period), so v exists only
/// there: any plan that drops earlier has an equal-objective twin that drops at the deadline.
///
/// Columns that can never be non-zero are left out, and every column carries the finite upper
/// bound the model implies (what arrived within its window, bandwidth, grid draw at full load),
/// which lets GLPK's long-step ratio test flip bounds instead of pivoting.
public struct Formulation: Sendable {
    public enum Mode: Sendable { case optimize, baseline }

    /// A (class, origin) pair with some demand.
    public struct Stream: Sendable, Equatable { public let classIndex: Int; public let origin: Int }
    /// A (class, origin, node) triple where work may run, in the node's pool of the class's type.
    public struct Lane: Sendable, Equatable { public let stream: Int; public let node: Int; public let pool: Int }

    public let mode: Mode
    public private(set) var program = LinearProgram()
    public private(set) var streams: [Stream] = []
    public private(set) var lanes: [Lane] = []
    /// K_w used per class (all 0 in the baseline).
    public private(set) var windows: [Int] = []

    /// x columns are `xColumns`; column `xColumns.lowerBound + k` is lane `xLane[k]` in period `xPeriod[k]`.
    public private(set) var xColumns: Range<Int> = 0 ..< 0
    public private(set) var xLane: [Int32] = []
    public private(set) var xPeriod: [Int32] = []
    /// Dropped-work columns: stream `vStream[k]`, period `vPeriod[k]`.
    public private(set) var vColumns: Range<Int> = 0 ..< 0
    public private(set) var vStream: [Int32] = []
    public private(set) var vPeriod: [Int32] = []

    /// The x columns of work run away from its origin, ascending.
    public var movedColumns: [Int] {
        xLane.indices.filter { k in
            let lane = lanes[Int(xLane[k])]
            return lane.node != streams[lane.stream].origin
        }.map { xColumns.lowerBound + $0 }
    }

    /// Every column but `movedColumns`: with these alone the LP falls apart into one block per
    /// node, the starting working set of the Optimizer's sifting.
    public var unmovedColumns: [Int] {
        var moved = [Bool](repeating: false, count: program.columnCount)
        for j in movedColumns { moved[j] = true }
        return moved.indices.filter { !moved[$0] }
    }

    /// Per node and period (index `n * T + t`): the column or row, or -1 where there is none.
    public private(set) var renewableColumn: [Int32] = []
    public private(set) var gridColumn: [Int32] = []
    public private(set) var chargeColumn: [Int32] = []
    public private(set) var dischargeColumn: [Int32] = []
    public private(set) var energyColumn: [Int32] = []
    /// Per pool slot and period (index `slot * T + t`, slot = `poolBase[n] + p`): constraint 4's row, or -1.
    public private(set) var capacityRow: [Int32] = []
    /// The first pool slot of each node; node n's pools are slots poolBase[n] ..< poolBase[n + 1].
    public let poolBase: [Int]

    /// Objective parts, one coefficient per column: emissions (kg) and electricity cost.
    public private(set) var carbonCost: [Double] = []
    public private(set) var electricityCost: [Double] = []

    private let scenario: Scenario
    /// The scenario's links by pair of nodes, for whoever reads this formulation.
    public let network: NetworkIndex
    private let pue: [[Double]]
    private let withNames: Bool
    private var T: Int { scenario.periodCount }

    public init(_ scenario: Scenario, mode: Mode = .optimize, names: Bool = false) {
        self.scenario = scenario
        self.network = NetworkIndex(scenario)
        self.mode = mode
        self.withNames = names
        self.pue = scenario.pue
        var base = [0]
        for node in scenario.nodes { base.append(base.last! + node.pools.count) }
        self.poolBase = base
        windows = scenario.classes.indices.map { mode == .baseline ? 0 : scenario.windowPeriods($0) }
        defineStreamsAndLanes()
        let work = defineWorkColumns()
        definePowerColumns()
        defineWorkBalance(work)
        defineCapacity()
        definePowerBalance()
        defineBattery()
        defineBandwidth()
        program.setObjective(zip(carbonCost, objectivePenalty()).map { $0 + $1 })
    }

    // MARK: Index sets

    /// The nodes where work of class w from origin o may run: o itself first when it has the
    /// class's pool, then every linked node with that pool the class may use (model.md, "Allowed
    /// placements").
    public static func allowedNodes(_ scenario: Scenario, _ network: NetworkIndex, classIndex w: Int, origin o: Int) -> [Int] {
        let cls = scenario.classes[w]
        var result = scenario.pool(of: w, at: o) == nil ? [] : [o]
        guard cls.movable else { return result }
        for n in network.neighbours[o] where scenario.pool(of: w, at: n) != nil {
            guard let link = network.link(between: o, n) else { continue }
            if let max = cls.maxLatencyMs, link.latencyMs > max { continue }
            if let allowed = cls.allowedNodes, !allowed.contains(scenario.nodes[n].id) { continue }
            result.append(n)
        }
        return result
    }

    private mutating func defineStreamsAndLanes() {
        var hasBacklog = Set<Int>()
        for b in scenario.backlog where b.cuH > 0 { hasBacklog.insert(b.classIndex * scenario.nodes.count + b.origin) }
        for w in scenario.classes.indices {
            for o in scenario.nodes.indices
            where scenario.demandCUh[w][o].contains(where: { $0 > 0 }) || hasBacklog.contains(w * scenario.nodes.count + o) {
                streams.append(Stream(classIndex: w, origin: o))
                let allowed = Self.allowedNodes(scenario, network, classIndex: w, origin: o)
                let targets = mode == .baseline ? allowed.filter { $0 == o } : allowed
                // Nodes without capacity keep their lanes: the capacity row's dual then says what
                // building capacity there would save.
                for n in targets { lanes.append(Lane(stream: streams.count - 1, node: n, pool: scenario.pool(of: w, at: n)!)) }
            }
        }
    }

    /// Backlog per stream by the last period it may run in (all 0 in the baseline, where K_b = 0).
    private func backlogByLastPeriod() -> [[Double]] {
        var index: [Int: Int] = [:]
        for (s, stream) in streams.enumerated() { index[stream.classIndex * scenario.nodes.count + stream.origin] = s }
        var result = [[Double]](repeating: [Double](repeating: 0, count: T), count: streams.count)
        for b in scenario.backlog where b.cuH > 0 {
            let s = index[b.classIndex * scenario.nodes.count + b.origin]!
            result[s][mode == .baseline ? 0 : b.lastPeriod] += b.cuH
        }
        return result
    }

    // MARK: Columns

    /// Per stream: prefix sums of arrivals, the backlog, and the first column of each family, for the rows.
    struct WorkIndex {
        var prefix: [[Double]] = []
        /// Backlog by last period, and `backlogFrom[s][t]`: the backlog whose last period is t or later.
        var backlogDue: [[Double]] = []
        var backlogFrom: [[Double]] = []
        /// Backlog column of (stream, t), -1 where the backlog is necessarily zero.
        var backlog: [[Int32]] = []
        /// Dropped-work column of (stream, t), or -1.
        var dropped: [[Int32]] = []
        /// x columns of each stream's lanes, by period: `laneColumns[lane][t]` or -1.
        var laneColumns: [[Int32]] = []
        var lanesOfStream: [[Int]] = []
    }

    private func arrivalsWithin(_ prefix: [Double], from a: Int, through b: Int) -> Double {
        guard b >= 0, b >= a else { return 0 }
        return prefix[b + 1] - prefix[max(a, 0)]
    }

    /// Work of stream s that may run in period t: the cohorts runnable at t and not yet due before it.
    private func runnable(_ index: WorkIndex, _ s: Int, _ t: Int) -> Double {
        arrivalsWithin(index.prefix[s], from: t - windows[streams[s].classIndex], through: t) + index.backlogFrom[s][t]
    }

    /// Work of stream s that may still be waiting at the end of period t < T - 1.
    private func pending(_ index: WorkIndex, _ s: Int, _ t: Int) -> Double {
        arrivalsWithin(index.prefix[s], from: t - windows[streams[s].classIndex] + 1, through: t) + index.backlogFrom[s][t + 1]
    }

    /// Work of stream s whose last period is t: what may be dropped then.
    private func due(_ index: WorkIndex, _ s: Int, _ t: Int) -> Double {
        if t == T - 1 { return runnable(index, s, t) }
        let K = windows[streams[s].classIndex]
        return (t >= K ? scenario.demandCUh[streams[s].classIndex][streams[s].origin][t - K] : 0) + index.backlogDue[s][t]
    }

    private mutating func defineWorkColumns() -> WorkIndex {
        var index = WorkIndex()
        index.lanesOfStream = Array(repeating: [], count: streams.count)
        for (l, lane) in lanes.enumerated() { index.lanesOfStream[lane.stream].append(l) }
        var lower: [Double] = [], upper: [Double] = [], cost: [Double] = []
        var names: [String]? = withNames ? [] : nil
        let D = scenario.periodHours
        // x: work run.
        index.laneColumns = Array(repeating: [], count: lanes.count)
        index.backlogDue = backlogByLastPeriod()
        for (s, stream) in streams.enumerated() {
            var prefix = [0.0]
            for a in scenario.demandCUh[stream.classIndex][stream.origin] { prefix.append(prefix.last! + a) }
            index.prefix.append(prefix)
            var from = [Double](repeating: 0, count: T + 1)
            for t in stride(from: T - 1, through: 0, by: -1) { from[t] = from[t + 1] + index.backlogDue[s][t] }
            index.backlogFrom.append(from)
        }
        for (s, stream) in streams.enumerated() {
            let cls = scenario.classes[stream.classIndex]
            for l in index.lanesOfStream[s] {
                let n = lanes[l].node
                var bound = Double.infinity
                var perCU = 0.0
                if n != stream.origin, let link = network.link(between: stream.origin, n) {
                    if let bw = link.bandwidthGbps, cls.gbPerCUh > 0 {
                        bound = bw * Link.gbPerHourPerGbps * D / cls.gbPerCUh
                    }
                    perCU = link.kwhPerGB / 1000 * cls.gbPerCUh
                }
                var columns = [Int32](repeating: -1, count: T)
                for t in 0 ..< T {
                    let window = runnable(index, s, t)
                    guard window > 0 else { continue }
                    columns[t] = Int32(program.columnCount + lower.count)
                    xLane.append(Int32(l)); xPeriod.append(Int32(t))
                    lower.append(0); upper.append(min(window, bound))
                    cost.append(scenario.carbonKgPerMWh[stream.origin][t] * perCU)
                    names?.append("x[\(cls.id),\(scenario.nodes[stream.origin].id),\(scenario.nodes[n].id),\(t)]")
                }
                index.laneColumns[l] = columns
            }
        }
        xColumns = program.addColumns(lower: lower, upper: upper, objective: cost, names: names)
        carbonCost += cost
        electricityCost += [Double](repeating: 0, count: cost.count)

        // b: waiting at the end of t, at most the cohorts still open after t; none after T-1.
        lower = []; upper = []; names = withNames ? [] : nil
        for (s, stream) in streams.enumerated() {
            var columns = [Int32](repeating: -1, count: T)
            for t in 0 ..< max(T - 1, 0) {
                let pending = pending(index, s, t)
                guard pending > 0 else { continue }
                columns[t] = Int32(program.columnCount + lower.count)
                lower.append(0); upper.append(pending)
                names?.append("b[\(scenario.classes[stream.classIndex].id),\(scenario.nodes[stream.origin].id),\(t)]")
            }
            index.backlog.append(columns)
        }
        program.addColumns(lower: lower, upper: upper, objective: Array(repeating: 0, count: lower.count), names: names)
        carbonCost += Array(repeating: 0, count: lower.count)
        electricityCost += Array(repeating: 0, count: lower.count)

        // v: work dropped when its deadline falls (the cohorts due at t), or at the horizon's end.
        lower = []; upper = []; names = withNames ? [] : nil
        for (s, stream) in streams.enumerated() {
            var columns = [Int32](repeating: -1, count: T)
            for t in 0 ..< T {
                let due = due(index, s, t)
                guard due > 0 else { continue }
                columns[t] = Int32(program.columnCount + lower.count)
                vStream.append(Int32(s)); vPeriod.append(Int32(t))
                lower.append(0); upper.append(due)
                names?.append("v[\(scenario.classes[stream.classIndex].id),\(scenario.nodes[stream.origin].id),\(t)]")
            }
            index.dropped.append(columns)
        }
        vColumns = program.addColumns(lower: lower, upper: upper, objective: Array(repeating: 0, count: lower.count), names: names)
        carbonCost += Array(repeating: 0, count: lower.count)
        electricityCost += Array(repeating: 0, count: lower.count)
        return index
    }

    private func objectivePenalty() -> [Double] {
        var penalty = [Double](repeating: 0, count: program.columnCount)
        for j in vColumns { penalty[j] = scenario.unservedPenaltyKgPerCUh }
        return penalty
    }

    /// Most power a node can draw in period t: facility power at full load plus battery charging.
    private func maximumDrawMW(_ n: Int, _ t: Int) -> Double {
        let node = scenario.nodes[n]
        return pue[n][t] * node.pools.reduce(0) { $0 + $1.fullLoadITMW } + (node.battery?.powerMW ?? 0)
    }

    private mutating func definePowerColumns() {
        let N = scenario.nodes.count, D = scenario.periodHours, base = program.columnCount
        var renewable = [Int32](repeating: -1, count: N * T), grid = renewable
        var charge = renewable, discharge = renewable, energy = renewable
        var lower: [Double] = [], upper: [Double] = [], carbon: [Double] = [], money: [Double] = []
        var names: [String]? = withNames ? [] : nil
        let nodes = scenario.nodes
        func add(_ store: inout [Int32], _ n: Int, _ t: Int, lo: Double = 0, up: Double, kg: Double = 0, price: Double = 0, _ name: String) {
            store[n * T + t] = Int32(base + lower.count)
            lower.append(lo); upper.append(up); carbon.append(kg); money.append(price)
            names?.append("\(name)[\(nodes[n].id),\(t)]")
        }
        for n in 0 ..< N {
            let node = nodes[n]
            for t in 0 ..< T {
                let draw = maximumDrawMW(n, t)
                let available = min(scenario.renewableMW[n][t], draw)
                if available > 0 { add(&renewable, n, t, up: available, "r") }
                let gridLimit = min(node.gridImportMW ?? .infinity, draw)
                if gridLimit > 0 {
                    add(&grid, n, t, up: gridLimit, kg: scenario.carbonKgPerMWh[n][t] * D,
                        price: (scenario.pricePerMWh?[n][t] ?? 0) * D, "g")
                }
                if let battery = node.battery {
                    add(&charge, n, t, up: battery.powerMW, "c")
                    add(&discharge, n, t, up: battery.powerMW, "d")
                    add(&energy, n, t, lo: t == T - 1 ? battery.initialEnergyMWh : 0, up: battery.energyMWh, "s")
                }
            }
        }
        program.addColumns(lower: lower, upper: upper, objective: carbon, names: names)
        carbonCost += carbon
        electricityCost += money
        (renewableColumn, gridColumn, chargeColumn, dischargeColumn, energyColumn) = (renewable, grid, charge, discharge, energy)
    }

    // MARK: Rows

    /// Appends a block of rows with their coefficients given as (row offset in block, column, value).
    private mutating func addRowBlock(lower: [Double], upper: [Double], names: [String]?,
                                      rows: [Int32], columns: [Int32], values: [Double]) -> Int {
        let block = program.addRows(lower: lower, upper: upper, names: names)
        program.reserveCoefficients(program.tripletCount + values.count)
        for k in values.indices {
            program.addCoefficient(row: block.lowerBound + Int(rows[k]), column: Int(columns[k]), value: values[k])
        }
        return block.lowerBound
    }

    private mutating func defineWorkBalance(_ index: WorkIndex) {
        var rhs: [Double] = [], rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        var names: [String]? = withNames ? [] : nil
        for (s, stream) in streams.enumerated() {
            let A = scenario.demandCUh[stream.classIndex][stream.origin]
            for t in 0 ..< T where runnable(index, s, t) > 0 {
                let row = Int32(rhs.count)
                rhs.append(A[t] + (t == 0 ? index.backlogFrom[s][0] : 0))
                func term(_ column: Int32, _ value: Double) {
                    guard column >= 0 else { return }
                    rows.append(row); columns.append(column); values.append(value)
                }
                for l in index.lanesOfStream[s] { term(index.laneColumns[l][t], 1) }
                term(index.dropped[s][t], 1)
                term(index.backlog[s][t], 1)
                if t > 0 { term(index.backlog[s][t - 1], -1) }
                names?.append("work[\(scenario.classes[stream.classIndex].id),\(scenario.nodes[stream.origin].id),\(t)]")
            }
        }
        _ = addRowBlock(lower: rhs, upper: rhs, names: names, rows: rows, columns: columns, values: values)
    }

    /// The pool slot of a lane.
    private func slot(_ lane: Lane) -> Int { poolBase[lane.node] + lane.pool }

    /// x columns grouped by (pool slot, period): CSR offsets into `xAt`.
    private func xBySlotPeriod() -> (start: [Int], columns: [Int32]) {
        let S = poolBase.last!
        var start = [Int](repeating: 0, count: S * T + 1)
        for k in xLane.indices { start[slot(lanes[Int(xLane[k])]) * T + Int(xPeriod[k]) + 1] += 1 }
        for i in 0 ..< S * T { start[i + 1] += start[i] }
        var next = start
        var columns = [Int32](repeating: 0, count: xLane.count)
        for k in xLane.indices {
            let key = slot(lanes[Int(xLane[k])]) * T + Int(xPeriod[k])
            columns[next[key]] = Int32(xColumns.lowerBound + k)
            next[key] += 1
        }
        return (start, columns)
    }

    /// Constraint 4: one row per node, pool and period with work that may run there.
    private mutating func defineCapacity() {
        let D = scenario.periodHours
        let (start, xAt) = xBySlotPeriod()
        capacityRow = Array(repeating: -1, count: poolBase.last! * T)
        var upper: [Double] = [], rows: [Int32] = [], columns: [Int32] = []
        var names: [String]? = withNames ? [] : nil
        for (n, node) in scenario.nodes.enumerated() {
            for (p, pool) in node.pools.enumerated() {
                let slot = poolBase[n] + p
                for t in 0 ..< T where start[slot * T + t + 1] > start[slot * T + t] {
                    let row = Int32(upper.count)
                    capacityRow[slot * T + t] = row
                    upper.append(pool.capacityCU * D)
                    for k in start[slot * T + t] ..< start[slot * T + t + 1] { rows.append(row); columns.append(xAt[k]) }
                    names?.append("capacity[\(node.id),\(pool.type),\(t)]")
                }
            }
        }
        let first = addRowBlock(lower: Array(repeating: -.infinity, count: upper.count), upper: upper, names: names,
                                rows: rows, columns: columns, values: Array(repeating: 1, count: rows.count))
        capacityRow = capacityRow.map { $0 < 0 ? -1 : $0 + Int32(first) }
    }

    /// PUE * sum over pools (idle + it_mw_per_cu * work / D) + c - d - r - g = 0, with the idle
    /// part on the right.
    private mutating func definePowerBalance() {
        let D = scenario.periodHours
        let (start, xAt) = xBySlotPeriod()
        var rhs: [Double] = [], rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        var names: [String]? = withNames ? [] : nil
        for (n, node) in scenario.nodes.enumerated() {
            for t in 0 ..< T {
                let row = Int32(rhs.count)
                rhs.append(-pue[n][t] * node.idleITMW)
                for (p, pool) in node.pools.enumerated() {
                    let perCUh = pue[n][t] * pool.itMWPerCU / D
                    let slot = poolBase[n] + p
                    guard perCUh > 0 else { continue }
                    for k in start[slot * T + t] ..< start[slot * T + t + 1] { rows.append(row); columns.append(xAt[k]); values.append(perCUh) }
                }
                for (store, sign) in [(chargeColumn, 1.0), (dischargeColumn, -1.0), (renewableColumn, -1.0), (gridColumn, -1.0)]
                where store[n * T + t] >= 0 {
                    rows.append(row); columns.append(store[n * T + t]); values.append(sign)
                }
                names?.append("power[\(node.id),\(t)]")
            }
        }
        _ = addRowBlock(lower: rhs, upper: rhs, names: names, rows: rows, columns: columns, values: values)
    }

    /// s[t] - s[t-1] - e*D*c[t] + D/e*d[t] = 0 (s[-1] = initial energy on the right).
    private mutating func defineBattery() {
        let D = scenario.periodHours
        var rhs: [Double] = [], rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        var names: [String]? = withNames ? [] : nil
        for (n, node) in scenario.nodes.enumerated() {
            guard let battery = node.battery else { continue }
            let e = battery.oneWayEfficiency
            for t in 0 ..< T {
                let row = Int32(rhs.count)
                rhs.append(t == 0 ? battery.startEnergyMWh : 0)
                rows += [row, row, row]
                columns += [energyColumn[n * T + t], chargeColumn[n * T + t], dischargeColumn[n * T + t]]
                values += [1, -e * D, D / e]
                if t > 0 { rows.append(row); columns.append(energyColumn[n * T + t - 1]); values.append(-1) }
                names?.append("battery[\(node.id),\(t)]")
            }
        }
        _ = addRowBlock(lower: rhs, upper: rhs, names: names, rows: rows, columns: columns, values: values)
    }

    /// Constraint 9, only where two or more classes share a direction (with one class the
    /// column's upper bound already says it) and their columns' bounds could exceed it.
    private mutating func defineBandwidth() {
        guard mode == .optimize else { return }
        let D = scenario.periodHours
        var upper: [Double] = [], rows: [Int32] = [], columns: [Int32] = [], values: [Double] = []
        var names: [String]? = withNames ? [] : nil
        // x columns per (origin, node) direction and period, for classes that move data.
        var byDirection: [Int: [(t: Int, column: Int32, gb: Double)]] = [:]
        let N = scenario.nodes.count
        for k in xLane.indices {
            let lane = lanes[Int(xLane[k])]
            let stream = streams[lane.stream]
            let gb = scenario.classes[stream.classIndex].gbPerCUh
            guard lane.node != stream.origin, gb > 0,
                  network.link(between: stream.origin, lane.node)?.bandwidthGbps != nil else { continue }
            byDirection[stream.origin * N + lane.node, default: []].append((Int(xPeriod[k]), Int32(xColumns.lowerBound + k), gb))
        }
        for key in byDirection.keys.sorted() {
            let (o, n) = (key / N, key % N)
            let bw = network.link(between: o, n)!.bandwidthGbps!
            let entries = byDirection[key]!
            var perPeriod = [[(Int32, Double)]](repeating: [], count: T)
            for e in entries { perPeriod[e.t].append((e.column, e.gb)) }
            let capacity = bw * Link.gbPerHourPerGbps * D
            for t in 0 ..< T where perPeriod[t].count > 1 {
                // Redundant when the columns' own bounds (what arrived within the window) keep
                // the traffic below the bandwidth anyway.
                let most = perPeriod[t].reduce(0.0) { $0 + $1.1 * program.columnUpper[Int($1.0)] }
                guard most > capacity else { continue }
                let row = Int32(upper.count)
                upper.append(capacity)
                for (column, gb) in perPeriod[t] { rows.append(row); columns.append(column); values.append(gb) }
                names?.append("bandwidth[\(scenario.nodes[o].id),\(scenario.nodes[n].id),\(t)]")
            }
        }
        _ = addRowBlock(lower: Array(repeating: -.infinity, count: upper.count), upper: upper, names: names,
                        rows: rows, columns: columns, values: values)
    }
}
