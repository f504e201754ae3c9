/// Checks a plan against its scenario, constraint by constraint of model.md, and recomputes its
/// power figures and emissions. It shares no code with the formulation: it reads the plan the
/// way a scheduler would, so a bug in the LP cannot hide itself here.
public struct PlanVerifier {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let scenario: Scenario
    /// Relative tolerance: of the quantities compared, or of `scale`, the size of the terms
    /// they are sums of (a difference of two large sums is only known to their precision). No
    /// absolute floor, so a plan whose quantities are all far below 1 is checked as closely.
    public var tolerance = 1e-6

    public init(scenario: Scenario) { self.scenario = scenario }

    private func close(_ a: Double, _ b: Double, scale: Double = 0) -> Bool {
        abs(a - b) <= tolerance * max(abs(a), abs(b), scale)
    }

    private func atMost(_ a: Double, _ b: Double, scale: Double = 0) -> Bool {
        a <= b + tolerance * max(abs(a), abs(b), scale)
    }

    /// Checks the plan and, when given, the state it says it leaves (plan.md, state.json).
    public func verify(_ plan: Plan, state: PlanState? = nil) -> [Violation] {
        var found: [Violation] = []
        func fail(_ m: String) { found.append(Violation(message: m)) }
        let T = scenario.periodCount, N = scenario.nodes.count, W = scenario.classes.count
        let D = Double(scenario.periodMinutes) / 60

        if !Plan.readableSchemas.contains(plan.schema) {
            fail("schema is '\(plan.schema)', expected '\(Plan.schemaVersion)'")
        }
        let version2 = plan.schema == Plan.schemaVersion
        if version2 {
            if plan.commitPeriods != scenario.commitPeriods {
                fail("commit_periods is \(plan.commitPeriods.map(String.init) ?? "missing"), the scenario's is \(scenario.commitPeriods)")
            }
            if plan.carbonSignal != scenario.carbonSignal.rawValue {
                fail("carbon_signal is \(plan.carbonSignal ?? "missing"), the scenario optimizes '\(scenario.carbonSignal.rawValue)'")
            }
        }
        if plan.periods != T || plan.periodMinutes != scenario.periodMinutes {
            fail("plan has \(plan.periods) periods of \(plan.periodMinutes) min; the scenario has \(T) of \(scenario.periodMinutes)")
            return found
        }
        let nodeIndex = Dictionary(uniqueKeysWithValues: scenario.nodes.enumerated().map { ($1.id, $0) })
        let classIndex = Dictionary(uniqueKeysWithValues: scenario.classes.enumerated().map { ($1.id, $0) })
        // The link joining two nodes, by their indices (smaller first), and each period's start
        // as the plan spells it: looked up per placement, so built once. The verifier keeps its
        // own lookup rather than the formulation's NetworkIndex, to stay an independent check.
        let linkBetween = Dictionary(scenario.links.compactMap { link -> (Int, Link)? in
            guard let a = nodeIndex[link.a], let b = nodeIndex[link.b] else { return nil }
            return (min(a, b) * N + max(a, b), link)
        }, uniquingKeysWith: { first, _ in first })
        let periodStart = (0 ..< T).map { scenario.periodStart($0).description }

        // Placements: x[w][o][n][t] and the pairs they use.
        var run = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: T), count: N), count: W)
        // Work per node pool and period: `atPool[n][p][t]`.
        var atPool = scenario.nodes.map { node in node.pools.map { _ in [Double](repeating: 0, count: T) } }
        var atNode = [[Double]](repeating: [Double](repeating: 0, count: T), count: N)
        var onDirection: [Int: [Double]] = [:]  // (o * N + n) -> GB per period
        var networkMWh = 0.0, networkKg = 0.0, moved = 0.0, work = 0.0
        for p in plan.placements {
            guard let w = classIndex[p.classID], let o = nodeIndex[p.origin], let n = nodeIndex[p.node] else {
                fail("placement names an unknown class or node: \(p.classID) \(p.origin) -> \(p.node)"); continue
            }
            guard (0 ..< T).contains(p.period), p.cuH.isFinite, p.cuH >= 0 else {
                fail("placement \(p.classID) \(p.origin) -> \(p.node) has period \(p.period) and cu_h \(p.cuH)"); continue
            }
            let cls = scenario.classes[w]
            if p.pool != cls.pool { fail("placement of class '\(cls.id)' is in a '\(p.pool)' pool; the class needs '\(cls.pool)'") }
            guard let pool = scenario.nodes[n].pools.firstIndex(where: { $0.type == cls.pool }) else {
                fail("class '\(cls.id)' runs at \(p.node), which has no '\(cls.pool)' pool"); continue
            }
            if p.start != periodStart[p.period] {
                fail("placement in period \(p.period) has start \(p.start), expected \(periodStart[p.period])")
            }
            if n != o {
                let link = linkBetween[min(o, n) * N + max(o, n)]
                if !cls.movable { fail("class '\(cls.id)' is not movable but runs at \(p.node) from \(p.origin)") }
                if let link {
                    if let max = cls.maxLatencyMs, link.latencyMs > max {
                        fail("class '\(cls.id)' moves \(p.origin) -> \(p.node) over a \(link.latencyMs) ms link; its limit is \(max) ms")
                    }
                    let gb = cls.gbPerCUh * p.cuH
                    onDirection[o * N + n, default: [Double](repeating: 0, count: T)][p.period] += gb
                    networkMWh += link.kwhPerGB / 1000 * gb
                    networkKg += scenario.carbonKgPerMWh[o][p.period] * link.kwhPerGB / 1000 * gb
                } else {
                    fail("class '\(cls.id)' moves \(p.origin) -> \(p.node), but no link joins them")
                }
                if let allowed = cls.allowedNodes, !allowed.contains(p.node) {
                    fail("class '\(cls.id)' may not run at \(p.node) (allowed_nodes)")
                }
                moved += p.cuH
            }
            run[w][o][p.period] += p.cuH
            atPool[n][pool][p.period] += p.cuH
            atNode[n][p.period] += p.cuH
            work += p.cuH
        }

        // Work constraints 1-3 over the cohorts of model.md: each period's arrivals and each
        // backlog entry, with the unserved work the plan reports for each.
        var unserved = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: T), count: N), count: W)
        var unservedBacklog: [String: Double] = [:]  // "w o due-instant" -> CU*h
        var unservedTotal = 0.0
        for u in plan.unserved {
            guard let w = classIndex[u.classID], let o = nodeIndex[u.origin], u.cuH.isFinite, u.cuH >= 0 else {
                fail("unserved entry \(u.classID) \(u.origin) cu_h \(u.cuH) is invalid"); continue
            }
            if let t = u.period {
                guard (0 ..< T).contains(t) else { fail("unserved entry \(u.classID) \(u.origin) names period \(t)"); continue }
                unserved[w][o][t] += u.cuH
            } else {
                guard let due = u.due.flatMap({ try? Timestamp(parsing: $0) }) else {
                    fail("unserved entry \(u.classID) \(u.origin) has period null but no valid due"); continue
                }
                unservedBacklog["\(w) \(o) \(due.epochSeconds) \(due.nanoseconds)", default: 0] += u.cuH
            }
            unservedTotal += u.cuH
        }
        // Per (class, origin), the backlog's cohorts merged by due: (last period, CU*h, unserved).
        var backlogCohorts: [Int: [(last: Int, cuH: Double, unserved: Double)]] = [:]
        var backlogIn = 0.0
        for b in scenario.backlog {
            backlogIn += b.cuH
            let key = "\(b.classIndex) \(b.origin) \(b.due.epochSeconds) \(b.due.nanoseconds)"
            let u = unservedBacklog.removeValue(forKey: key) ?? 0
            backlogCohorts[b.classIndex * N + b.origin, default: []].append((b.lastPeriod, b.cuH, u))
        }
        for key in unservedBacklog.keys.sorted() { fail("unserved backlog entry (\(key)) matches no backlog entry of state.json") }
        // Of each (class, origin): work neither run in the committed periods nor unserved,
        // by the period its cohort falls due, for the state check below.
        var leftByLast = [Int: [Double]]()
        var stateScale = [Int: Double]()
        let C = scenario.commitPeriods
        var committedRun = [Double](repeating: 0, count: W * N)
        for w in 0 ..< W {
            let q = scenario.classes[w].deadlineHours * 60 / Double(scenario.periodMinutes)
            let K = Int(min((q + 1e-9 * max(1, q)).rounded(.down), Double(T)))
            for o in 0 ..< N {
                let A = scenario.demandCUh[w][o]
                let backlog = backlogCohorts[w * N + o] ?? []
                for b in backlog where !atMost(b.unserved, b.cuH) {
                    fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): unserved backlog \(b.unserved) exceeds the \(b.cuH) CU*h due then")
                }
                // Served work of the cohorts that became runnable by t (first <= t) and fell due by t (last <= t).
                var runnable = backlog.reduce(0) { $0 + $1.cuH - $1.unserved }
                var dueBy = [Double](repeating: 0, count: T)
                for b in backlog { dueBy[min(b.last, T - 1)] += b.cuH - b.unserved }
                for t in 0 ..< T { dueBy[min(t + K, T - 1)] += A[t] - unserved[w][o][t] }
                let scale = A.reduce(0, +) + backlog.reduce(0) { $0 + $1.cuH }
                var cumX = 0.0, cumDue = 0.0
                for t in 0 ..< T {
                    if !atMost(unserved[w][o][t], A[t], scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): unserved \(unserved[w][o][t]) in period \(t) exceeds arrivals \(A[t])")
                    }
                    runnable += A[t] - unserved[w][o][t]
                    cumDue += dueBy[t]
                    cumX += run[w][o][t]
                    if t < C { committedRun[w * N + o] += run[w][o][t] }
                    if !atMost(cumX, runnable, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): by period \(t), \(cumX) CU*h ran but only \(runnable) had arrived (constraint 1)")
                    }
                    if !atMost(cumDue, cumX, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): by period \(t), \(cumDue) CU*h were due but \(cumX) ran (constraint 2)")
                    }
                    if t == T - 1, !close(cumX, runnable, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): \(runnable - cumX) CU*h neither run nor reported unserved by the horizon's end (constraint 3)")
                    }
                }
                // Served work of the cohorts runnable in the committed periods, by last period.
                var left = [Double](repeating: 0, count: T)
                for b in backlog { left[min(b.last, T - 1)] += b.cuH - b.unserved }
                for t in 0 ..< min(C, T) { left[min(t + K, T - 1)] += A[t] - unserved[w][o][t] }
                if left.contains(where: { $0 != 0 }) {
                    leftByLast[w * N + o] = left
                    // The state's backlog is compared at the scale of the work that arrived: served and
                    // unserved work nearly cancel where nearly all of it goes unserved.
                    stateScale[w * N + o] = scale
                }
            }
        }

        // Bandwidth (9).
        for (key, gb) in onDirection {
            let (o, n) = (key / N, key % N)
            guard let bw = linkBetween[min(o, n) * N + max(o, n)]?.bandwidthGbps
            else { continue }
            for t in 0 ..< T where !atMost(gb[t], bw * 450 * D) {
                fail("link \(scenario.nodes[o].id) -> \(scenario.nodes[n].id) carries \(gb[t]) GB in period \(t); its bandwidth allows \(bw * 450 * D) (constraint 9)")
            }
        }

        // Nodes: capacity (4), power (5, 6), battery (7, 8), emissions.
        var gridKg = 0.0, gridMWh = 0.0, facilityMWh = 0.0, renewableMWh = 0.0, curtailedMWh = 0.0, cost = 0.0
        var batteryAtCommit = [Int: Double]()
        // The power balance's scale per node and period (n * T + t), for the ledger's shares of it.
        var powerScaleAt = [Double](repeating: 0, count: N * T)
        if plan.nodes.count != N || Set(plan.nodes.map(\.id)) != Set(nodeIndex.keys) {
            fail("plan lists nodes \(plan.nodes.map(\.id)); the scenario has \(scenario.nodes.map(\.id))")
            return found
        }
        for schedule in plan.nodes {
            let n = nodeIndex[schedule.id]!
            let node = scenario.nodes[n]
            guard schedule.periods.map(\.period) == Array(0 ..< T) else {
                fail("node \(node.id) lists periods \(schedule.periods.map(\.period)), expected 0..<\(T)"); continue
            }
            var soc = node.battery.map { $0.stateEnergyMWh ?? $0.initialSOC * $0.energyMWh } ?? 0
            for p in schedule.periods {
                let t = p.period
                func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { fail("node \(node.id), period \(t): \(what())") } }
                let fields = [p.workCUh, p.itMW, p.pue, p.facilityMW, p.renewableUsedMW, p.renewableCurtailedMW, p.gridMW,
                              p.batteryChargeMW, p.batteryDischargeMW, p.batteryEnergyMWh, p.carbonKg]
                    + (p.pools ?? []).flatMap { [$0.workCUh, $0.itMW, $0.marginalCarbonKgPerCUh] }
                check(fields.allSatisfy { $0.isFinite && $0 >= 0 }, "a negative or non-finite figure")
                check(close(p.workCUh, atNode[n][t]), "work_cu_h \(p.workCUh) but placements sum to \(atNode[n][t])")
                // IT power over the pools (5), each within its capacity (4).
                var it = 0.0, itScale = 0.0
                for (k, pool) in node.pools.enumerated() {
                    let cuH = atPool[n][k][t]
                    check(atMost(cuH, pool.capacityCU * D), "runs \(cuH) CU*h in its '\(pool.type)' pool, capacity is \(pool.capacityCU * D) (constraint 4)")
                    let poolIT = pool.idleITMW + pool.itMWPerCU * cuH / D
                    it += poolIT
                    itScale += pool.idleITMW + abs(pool.itMWPerCU * cuH / D)
                    if version2 {
                        guard let listed = p.pools?.first(where: { $0.type == pool.type }) else {
                            check(false, "no entry for its '\(pool.type)' pool"); continue
                        }
                        check(close(listed.workCUh, cuH), "'\(pool.type)' pool work_cu_h \(listed.workCUh), placements sum to \(cuH)")
                        check(close(listed.itMW, poolIT), "'\(pool.type)' pool it_mw \(listed.itMW), expected \(poolIT) (constraint 5)")
                    }
                }
                if version2 {
                    check(p.pools?.map(\.type) == node.pools.map(\.type),
                          "pools \(p.pools?.map(\.type) ?? []), the node has \(node.pools.map(\.type))")
                }
                let pue = pueAt(n, scenario.temperatureC[n][t])
                check(close(p.pue, pue), "pue \(p.pue), the cooling model gives \(pue)")
                check(close(p.itMW, it, scale: itScale), "it_mw \(p.itMW), expected \(it) (constraint 5)")
                check(close(p.facilityMW, pue * it), "facility_mw \(p.facilityMW), expected PUE x IT = \(pue * it)")
                let R = scenario.renewableMW[n][t]
                check(atMost(p.renewableUsedMW, R), "uses \(p.renewableUsedMW) MW renewables of \(R) available")
                check(close(p.renewableCurtailedMW, R - p.renewableUsedMW, scale: R), "curtailed \(p.renewableCurtailedMW), expected \(R - p.renewableUsedMW)")
                if let cap = node.gridImportMW { check(atMost(p.gridMW, cap), "draws \(p.gridMW) MW from the grid, limit \(cap)") }
                let supply = p.renewableUsedMW + p.gridMW
                let demand = pue * it + p.batteryChargeMW - p.batteryDischargeMW
                // Solver noise is relative to what the node could draw, not to what it draws now.
                let powerScale = pue * (itScale + node.pools.reduce(0) { $0 + $1.fullLoadITMW }) + (node.battery?.powerMW ?? 0)
                    + p.batteryChargeMW + p.batteryDischargeMW + p.renewableUsedMW + p.gridMW
                powerScaleAt[n * T + t] = powerScale
                check(close(supply, demand, scale: powerScale), "power balance: renewables + grid = \(supply) MW, facility + charge - discharge = \(demand) MW (constraint 6)")
                if let b = node.battery {
                    let e = b.roundTripEfficiency.squareRoot()
                    check(atMost(p.batteryChargeMW, b.powerMW) && atMost(p.batteryDischargeMW, b.powerMW), "battery power above \(b.powerMW) MW")
                    soc += e * p.batteryChargeMW * D - p.batteryDischargeMW * D / e
                    check(close(p.batteryEnergyMWh, soc, scale: b.energyMWh), "battery_energy_mwh \(p.batteryEnergyMWh), charge and discharge give \(soc) (constraint 7)")
                    soc = p.batteryEnergyMWh
                    check(atMost(soc, b.energyMWh) && soc >= -tolerance * b.energyMWh, "battery energy \(soc) outside [0, \(b.energyMWh)]")
                    if t == T - 1 { check(atMost(b.initialSOC * b.energyMWh, soc, scale: b.energyMWh), "battery ends at \(soc) MWh, below its initial \(b.initialSOC * b.energyMWh) (constraint 8)") }
                    if t == C - 1 { batteryAtCommit[n] = soc }
                } else {
                    check(p.batteryChargeMW == 0 && p.batteryDischargeMW == 0 && p.batteryEnergyMWh == 0, "battery figures on a node without a battery")
                }
                let kg = scenario.carbonKgPerMWh[n][t] * p.gridMW * D
                check(close(p.carbonKg, kg), "carbon_kg \(p.carbonKg), grid x factor gives \(kg)")
                gridKg += kg
                gridMWh += p.gridMW * D
                facilityMWh += p.facilityMW * D
                renewableMWh += p.renewableUsedMW * D
                curtailedMWh += p.renewableCurtailedMW * D
                cost += (scenario.pricePerMWh?[n][t] ?? 0) * p.gridMW * D
            }
        }

        // Totals: every summary figure is a sum of the plan's own lines.
        let s = plan.summary
        func total(_ name: String, _ reported: Double?, _ expected: Double) {
            guard let reported else { fail("summary \(name) is missing"); return }
            if !(reported.isFinite && close(reported, expected)) { fail("summary \(name) is \(reported), recomputed \(expected)") }
        }
        total("grid_carbon_kg", s.gridCarbonKg, gridKg)
        total("network_carbon_kg", s.networkCarbonKg, networkKg)
        total("carbon_kg", s.carbonKg, gridKg + networkKg)
        total("facility_energy_mwh", s.facilityEnergyMWh, facilityMWh)
        total("grid_energy_mwh", s.gridEnergyMWh, gridMWh)
        total("renewable_used_mwh", s.renewableUsedMWh, renewableMWh)
        total("renewable_curtailed_mwh", s.renewableCurtailedMWh, curtailedMWh)
        total("network_energy_mwh", s.networkEnergyMWh, networkMWh)
        total("work_cu_h", s.workCUh, work)
        total("moved_cu_h", s.movedCUh, moved)
        total("unserved_cu_h", s.unservedCUh, unservedTotal)
        if scenario.pricePerMWh != nil { total("cost", s.cost, cost) }
        else if s.cost != nil { fail("summary has a cost, but the scenario has no prices") }
        if let baseline = plan.baseline {
            total("baseline_carbon_kg", s.baselineCarbonKg, baseline.periods.reduce(0) { $0 + $1.carbonKg })
            total("baseline_unserved_cu_h", s.baselineUnservedCUh, baseline.periods.reduce(0) { $0 + $1.unservedCUh })
        }
        if !(s.baselineCarbonKg.isFinite && s.baselineCarbonKg >= 0) { fail("summary baseline_carbon_kg is \(s.baselineCarbonKg)") }
        let reduction = s.baselineCarbonKg > 0 ? 100 * (s.baselineCarbonKg - s.carbonKg) / s.baselineCarbonKg : 0
        // A difference of two emissions is known to their precision, not to its own.
        let reductionScale = s.baselineCarbonKg > 0 ? 100 * (s.baselineCarbonKg + abs(s.carbonKg)) / s.baselineCarbonKg : 0
        if !(s.reductionPercent.isFinite && close(s.reductionPercent, reduction, scale: reductionScale)) {
            fail("summary reduction_percent is \(s.reductionPercent), recomputed \(reduction)")
        }
        if version2 {
            total("backlog_in_cu_h", s.backlogInCUh, backlogIn)
            // What the committed periods leave of the cohorts they start, the state's total: a
            // difference of served and run work, known to the precision of the work that arrived.
            var backlogOut = 0.0, backlogScale = 0.0
            for (key, left) in leftByLast {
                backlogOut += max(0, left.reduce(0, +) - committedRun[key])
                backlogScale += stateScale[key] ?? 0
            }
            if let out = s.backlogOutCUh {
                if !(out.isFinite && close(out, backlogOut, scale: backlogScale)) { fail("summary backlog_out_cu_h is \(out), recomputed \(backlogOut)") }
            } else { fail("summary backlog_out_cu_h is missing") }
            // The same plan's energy weighed with each signal's factors.
            func emissions(_ factors: [[Double]]) -> Double {
                var kg = 0.0
                for schedule in plan.nodes {
                    let n = nodeIndex[schedule.id]!
                    for p in schedule.periods where (0 ..< T).contains(p.period) { kg += factors[n][p.period] * p.gridMW * D }
                }
                for p in plan.placements {
                    guard let w = classIndex[p.classID], let o = nodeIndex[p.origin], let n = nodeIndex[p.node], n != o,
                          (0 ..< T).contains(p.period), let link = linkBetween[min(o, n) * N + max(o, n)] else { continue }
                    kg += factors[o][p.period] * link.kwhPerGB / 1000 * scenario.classes[w].gbPerCUh * p.cuH
                }
                return kg
            }
            total("average_carbon_kg", s.averageCarbonKg, emissions(scenario.averageKgPerMWh))
            let optimized = scenario.carbonSignal == .average ? s.baselineAverageCarbonKg : s.baselineMarginalCarbonKg
            total("baseline_\(scenario.carbonSignal.rawValue)_carbon_kg", optimized, s.baselineCarbonKg)
            if let marginal = scenario.marginalKgPerMWh {
                total("marginal_carbon_kg", s.marginalCarbonKg, emissions(marginal))
                if s.baselineMarginalCarbonKg == nil { fail("summary baseline_marginal_carbon_kg is missing") }
            } else if s.marginalCarbonKg != nil || s.baselineMarginalCarbonKg != nil {
                fail("summary has marginal emissions, but the scenario has no marginal factors")
            }
            if s.baselineAverageCarbonKg == nil { fail("summary baseline_average_carbon_kg is missing") }
        }
        if let settlement = plan.settlement {
            found += verifySettlement(settlement, plan: plan, nodeIndex: nodeIndex, classIndex: classIndex,
                                      linkBetween: linkBetween, periodStart: periodStart, powerScale: powerScaleAt)
        }
        if let state {
            found += verifyState(state, plan: plan, leftByLast: leftByLast, stateScale: stateScale, committedRun: committedRun, batteryAtCommit: batteryAtCommit)
        }
        return found
    }

    /// The state a plan leaves (plan.md): at the commit instant, each battery's energy then, and
    /// the backlog. Whatever order runs are matched to cohorts in, per class and origin the
    /// backlog is the served work that became runnable in the committed periods less what ran
    /// in them; earliest due first, the part due by any instant is what is left of the cohorts
    /// due by then after the runs have taken the earlier ones.
    private func verifyState(_ state: PlanState, plan: Plan, leftByLast: [Int: [Double]], stateScale: [Int: Double], committedRun: [Double],
                             batteryAtCommit: [Int: Double]) -> [Violation] {
        var found: [Violation] = []
        func fail(_ m: String) { found.append(Violation(message: "state.json: " + m)) }
        let T = scenario.periodCount, N = scenario.nodes.count, C = scenario.commitPeriods
        if state.schema != PlanState.schemaVersion { fail("schema is '\(state.schema)', expected '\(PlanState.schemaVersion)'") }
        let at = try? Timestamp(parsing: state.at)
        if at != scenario.commitEnd { fail("at is \(state.at), expected the end of the committed periods, \(scenario.commitEnd)") }
        let nodeIndex = Dictionary(uniqueKeysWithValues: scenario.nodes.enumerated().map { ($1.id, $0) })
        let classIndex = Dictionary(uniqueKeysWithValues: scenario.classes.enumerated().map { ($1.id, $0) })

        var listed = Set<Int>()
        for b in state.batteries {
            guard let n = nodeIndex[b.node], let battery = scenario.nodes[n].battery else {
                fail("battery of \(b.node), which is no node with a battery"); continue
            }
            if !listed.insert(n).inserted { fail("battery of \(b.node) listed twice") }
            if !(b.energyMWh >= 0 && b.energyMWh <= battery.energyMWh) {
                fail("battery of \(b.node) holds \(b.energyMWh) MWh, outside [0, \(battery.energyMWh)]")
            }
            if let planned = batteryAtCommit[n], !close(b.energyMWh, min(max(planned, 0), battery.energyMWh), scale: battery.energyMWh) {
                fail("battery of \(b.node) holds \(b.energyMWh) MWh; the plan leaves \(planned) at the end of period \(C - 1)")
            }
        }
        for (n, node) in scenario.nodes.enumerated() where node.battery != nil && !listed.contains(n) {
            fail("no entry for the battery of \(node.id)")
        }

        // Per class and origin: the state's backlog by the period it falls due in (its `due` is the end of that period).
        var stated = [Int: [Double]]()
        for (k, b) in state.backlog.enumerated() {
            guard let w = classIndex[b.classID], let o = nodeIndex[b.origin], b.cuH.isFinite, b.cuH >= 0,
                  let due = try? Timestamp(parsing: b.due) else { fail("backlog entry #\(k + 1) is invalid"); continue }
            let minutes = (due.epochSeconds - scenario.start.epochSeconds) / 60
            let end = Int(minutes) / scenario.periodMinutes
            guard minutes % Int64(scenario.periodMinutes) == 0, due.nanoseconds == 0, due > scenario.commitEnd, end >= 1, end <= T else {
                fail("backlog entry #\(k + 1) is due \(b.due), which is no period end after the committed periods"); continue
            }
            stated[w * N + o, default: [Double](repeating: 0, count: T)][end - 1] += b.cuH
        }
        for key in Set(stated.keys).union(leftByLast.keys).sorted() {
            let (w, o) = (key / N, key % N)
            let name = "class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id)"
            let served = leftByLast[key] ?? [Double](repeating: 0, count: T)
            let have = stated[key] ?? [Double](repeating: 0, count: T)
            let scale = max(served.reduce(0) { $0 + abs($1) }, stateScale[key] ?? 0)
            var cumServed = 0.0, cumHave = 0.0
            for t in 0 ..< T {
                cumServed += served[t]
                cumHave += have[t]
                let expected = max(0, cumServed - committedRun[key])
                if !close(cumHave, expected, scale: scale) {
                    fail("\(name): \(cumHave) CU*h of backlog due by the end of period \(t); earliest due first, the plan leaves \(expected)")
                    break
                }
            }
        }
        return found
    }

    /// The settlement ledger (plan.json's `settlement`): whatever rule allocated it, its rows must
    /// add up, per node and period, to the node period's energies and grid emissions plus the
    /// network energy of the work moved there (weighed with each origin's factor, as the summary
    /// weighs it); per origin, to the work its placements run; and over all rows, to the summary.
    /// The rows' shares of a node period's sources are known to the precision of its power
    /// balance (`powerScale`, per n * T + t), not to their own.
    private func verifySettlement(_ settlement: Plan.Settlement, plan: Plan, nodeIndex: [String: Int], classIndex: [String: Int],
                                  linkBetween: [Int: Link], periodStart: [String], powerScale: [Double]) -> [Violation] {
        var found: [Violation] = []
        func fail(_ m: String) { found.append(Violation(message: "settlement: " + m)) }
        let T = scenario.periodCount, N = scenario.nodes.count, D = Double(scenario.periodMinutes) / 60
        let marginal = scenario.marginalKgPerMWh != nil
        let keys = SettlementRow.figureKeys(marginal: marginal)
        let signals = [("carbon_kg", scenario.carbonKgPerMWh), ("average_carbon_kg", scenario.averageKgPerMWh)]
            + (scenario.marginalKgPerMWh.map { [("marginal_carbon_kg", $0)] } ?? [])
        // Per node period, each figure as the plan's own lines give it, and the scale it is known to.
        var expected = [[Double]](repeating: [Double](repeating: 0, count: keys.count), count: N * T)
        var scale = expected
        for schedule in plan.nodes {
            guard let n = nodeIndex[schedule.id] else { continue }
            for p in schedule.periods where (0 ..< T).contains(p.period) {
                let t = p.period, balance = powerScale[n * T + t] * D
                var figures: [String: (value: Double, scale: Double)] = [
                    "cu_h": (p.workCUh, 0), "it_mwh": (p.itMW * D, 0), "facility_mwh": (p.facilityMW * D, 0), "network_mwh": (0, 0),
                    "renewable_mwh": (p.renewableUsedMW * D, balance), "battery_mwh": (p.batteryDischargeMW * D, balance),
                    "grid_mwh": (p.gridMW * D, balance),
                ]
                for (key, factors) in signals { figures[key] = (factors[n][t] * p.gridMW * D, factors[n][t] * balance) }
                expected[n * T + t] = keys.map { figures[$0]!.value }
                scale[n * T + t] = keys.map { figures[$0]!.scale }
            }
        }
        let networkAt = keys.firstIndex(of: "network_mwh")!
        var placedFrom = [Double](repeating: 0, count: N)
        for p in plan.placements {
            guard let w = classIndex[p.classID], let o = nodeIndex[p.origin], let n = nodeIndex[p.node], (0 ..< T).contains(p.period)
            else { continue }
            placedFrom[o] += p.cuH
            guard n != o, let link = linkBetween[min(o, n) * N + max(o, n)] else { continue }
            let mwh = link.kwhPerGB / 1000 * scenario.classes[w].gbPerCUh * p.cuH
            expected[n * T + p.period][networkAt] += mwh
            for (key, factors) in signals { expected[n * T + p.period][keys.firstIndex(of: key)!] += factors[o][p.period] * mwh }
        }

        var ledger = [[Double]](repeating: [Double](repeating: 0, count: keys.count), count: N * T)
        var ledgerFrom = [Double](repeating: 0, count: N)
        var marginalMismatch = false
        for (k, r) in settlement.rows.enumerated() {
            let name = "row #\(k + 1) (period \(r.period), \(r.origin) -> \(r.node), class '\(r.classID)')"
            guard let n = nodeIndex[r.node], let o = nodeIndex[r.origin], (0 ..< T).contains(r.period) else {
                fail("\(name) names an unknown node or period"); continue
            }
            if r.start != periodStart[r.period] { fail("\(name) has start \(r.start), expected \(periodStart[r.period])") }
            if r.classID.isEmpty {
                if o != n || !r.pool.isEmpty || r.cuH != 0 { fail("\(name), the host's own row, names another origin, a pool or work") }
            } else if let w = classIndex[r.classID] {
                if r.pool != scenario.classes[w].pool { fail("\(name) is in a '\(r.pool)' pool; the class needs '\(scenario.classes[w].pool)'") }
                ledgerFrom[o] += r.cuH
            } else {
                fail("\(name) names an unknown class"); continue
            }
            marginalMismatch = marginalMismatch || (r.marginalCarbonKg != nil) != marginal
            let figures = r.figures(marginal: marginal)
            if !figures.allSatisfy({ $0.isFinite && $0 >= 0 }) { fail("\(name) has a negative or non-finite figure") }
            for (j, x) in figures.enumerated() { ledger[n * T + r.period][j] += x }
        }
        if marginalMismatch {
            fail(marginal ? "a row has no marginal_carbon_kg, but the scenario has marginal factors" : "a row has marginal_carbon_kg, but the scenario has no marginal factors")
        }
        for n in 0 ..< N {
            for t in 0 ..< T {
                for (j, key) in keys.enumerated() where !close(ledger[n * T + t][j], expected[n * T + t][j], scale: scale[n * T + t][j]) {
                    fail("node \(scenario.nodes[n].id), period \(t): \(key) sums to \(ledger[n * T + t][j]) over its rows; the plan gives \(expected[n * T + t][j])")
                }
            }
        }
        for o in 0 ..< N where !close(ledgerFrom[o], placedFrom[o]) {
            fail("work from \(scenario.nodes[o].id) sums to \(ledgerFrom[o]) CU*h over its rows; its placements run \(placedFrom[o])")
        }
        // Over all rows: the summary's figures, and the node periods' IT energy and battery discharge.
        let s = plan.summary
        let summaryKeys: [String: (String, Double?)] = [
            "cu_h": ("work_cu_h", s.workCUh), "facility_mwh": ("facility_energy_mwh", s.facilityEnergyMWh),
            "network_mwh": ("network_energy_mwh", s.networkEnergyMWh), "renewable_mwh": ("renewable_used_mwh", s.renewableUsedMWh),
            "grid_mwh": ("grid_energy_mwh", s.gridEnergyMWh), "carbon_kg": ("carbon_kg", s.carbonKg),
            "average_carbon_kg": ("average_carbon_kg", s.averageCarbonKg), "marginal_carbon_kg": ("marginal_carbon_kg", s.marginalCarbonKg),
        ]
        for (j, key) in keys.enumerated() {
            let sum = ledger.reduce(0) { $0 + $1[j] }, sumScale = scale.reduce(0) { $0 + $1[j] }
            if let (summaryKey, figure) = summaryKeys[key] {
                if let figure, !close(sum, figure, scale: sumScale) { fail("\(key) sums to \(sum) over all rows; the summary's \(summaryKey) is \(figure)") }
            } else {
                let planned = expected.reduce(0) { $0 + $1[j] }
                if !close(sum, planned, scale: sumScale) { fail("\(key) sums to \(sum) over all rows; the node periods give \(planned)") }
            }
        }
        return found
    }

    /// The cooling curve, evaluated here rather than through `CoolingModel.pue` so the check is independent.
    private func pueAt(_ n: Int, _ temperature: Double) -> Double {
        let curve = scenario.cooling[n].curve
        if temperature <= curve[0].temperatureC { return curve[0].pue }
        for (a, b) in zip(curve, curve.dropFirst()) where temperature <= b.temperatureC {
            return a.pue + (b.pue - a.pue) * (temperature - a.temperatureC) / (b.temperatureC - a.temperatureC)
        }
        return curve[curve.count - 1].pue
    }
}
