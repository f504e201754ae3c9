/// Checks a plan against its scenario, constraint by constraint of model.md, and recomputes its
/// power figures and emissions. It shares no code with the formulation: it reads the plan the
/// way a scheduler would, so a bug in the LP cannot hide itself here.
public struct PlanVerifier {
    public struct Violation: Sendable, Equatable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    public let scenario: Scenario
    /// Relative tolerance, with an absolute floor of the same size in the quantity's unit.
    public var tolerance = 1e-6

    public init(scenario: Scenario) { self.scenario = scenario }

    private func close(_ a: Double, _ b: Double, scale: Double = 0) -> Bool {
        abs(a - b) <= tolerance * max(1, abs(a), abs(b), scale)
    }

    private func atMost(_ a: Double, _ b: Double, scale: Double = 0) -> Bool {
        a <= b + tolerance * max(1, abs(b), scale)
    }

    public func verify(_ plan: Plan) -> [Violation] {
        var found: [Violation] = []
        func fail(_ m: String) { found.append(Violation(message: m)) }
        let T = scenario.periodCount, N = scenario.nodes.count, W = scenario.classes.count
        let D = Double(scenario.periodMinutes) / 60

        if plan.schema != Plan.schemaVersion { fail("schema is '\(plan.schema)', expected '\(Plan.schemaVersion)'") }
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
            atNode[n][p.period] += p.cuH
            work += p.cuH
        }

        // Work constraints 1-3, with unserved work per arrival period.
        var unserved = [[[Double]]](repeating: [[Double]](repeating: [Double](repeating: 0, count: T), count: N), count: W)
        var unservedTotal = 0.0
        for u in plan.unserved {
            guard let w = classIndex[u.classID], let o = nodeIndex[u.origin], (0 ..< T).contains(u.period), u.cuH >= 0 else {
                fail("unserved entry \(u.classID) \(u.origin) period \(u.period) cu_h \(u.cuH) is invalid"); continue
            }
            unserved[w][o][u.period] += u.cuH
            unservedTotal += u.cuH
        }
        for w in 0 ..< W {
            let q = scenario.classes[w].deadlineHours * 60 / Double(scenario.periodMinutes)
            let K = Int(min((q + 1e-9 * max(1, q)).rounded(.down), Double(T)))
            for o in 0 ..< N {
                let A = scenario.demandCUh[w][o]
                let scale = A.reduce(0, +)
                var cumX = 0.0, cumA = [0.0], cumU = [0.0]
                for t in 0 ..< T {
                    cumA.append(cumA[t] + A[t])
                    cumU.append(cumU[t] + unserved[w][o][t])
                    if !atMost(unserved[w][o][t], A[t], scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): unserved \(unserved[w][o][t]) in period \(t) exceeds arrivals \(A[t])")
                    }
                    cumX += run[w][o][t]
                    let available = cumA[t + 1] - cumU[t + 1]
                    if !atMost(cumX, available, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): by period \(t), \(cumX) CU*h ran but only \(available) had arrived (constraint 1)")
                    }
                    let due = t - K >= 0 ? cumA[t - K + 1] - cumU[t - K + 1] : 0
                    if !atMost(due, cumX, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): by period \(t), \(due) CU*h were due but \(cumX) ran (constraint 2)")
                    }
                    if t == T - 1, !close(cumX, available, scale: scale) {
                        fail("class '\(scenario.classes[w].id)' from \(scenario.nodes[o].id): \(available - cumX) CU*h neither run nor reported unserved by the horizon's end (constraint 3)")
                    }
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
        var gridKg = 0.0
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
            var soc = node.battery.map { $0.initialSOC * $0.energyMWh } ?? 0
            for p in schedule.periods {
                let t = p.period
                func check(_ ok: Bool, _ what: @autoclosure () -> String) { if !ok { fail("node \(node.id), period \(t): \(what())") } }
                let fields = [p.workCUh, p.itMW, p.pue, p.facilityMW, p.renewableUsedMW, p.renewableCurtailedMW, p.gridMW,
                              p.batteryChargeMW, p.batteryDischargeMW, p.batteryEnergyMWh, p.carbonKg, p.marginalCarbonKgPerCUh]
                check(fields.allSatisfy { $0.isFinite && $0 >= -tolerance }, "a negative or non-finite figure")
                check(close(p.workCUh, atNode[n][t]), "work_cu_h \(p.workCUh) but placements sum to \(atNode[n][t])")
                check(atMost(atNode[n][t], node.capacityCU * D), "runs \(atNode[n][t]) CU*h, capacity is \(node.capacityCU * D) (constraint 4)")
                let pue = pueAt(n, scenario.temperatureC[n][t])
                check(close(p.pue, pue), "pue \(p.pue), the cooling model gives \(pue)")
                let it = node.idleITMW + node.itMWPerCU * atNode[n][t] / D
                check(close(p.itMW, it), "it_mw \(p.itMW), expected \(it) (constraint 5)")
                check(close(p.facilityMW, pue * it), "facility_mw \(p.facilityMW), expected PUE x IT = \(pue * it)")
                let R = scenario.renewableMW[n][t]
                check(atMost(p.renewableUsedMW, R), "uses \(p.renewableUsedMW) MW renewables of \(R) available")
                check(close(p.renewableCurtailedMW, R - p.renewableUsedMW), "curtailed \(p.renewableCurtailedMW), expected \(R - p.renewableUsedMW)")
                if let cap = node.gridImportMW { check(atMost(p.gridMW, cap), "draws \(p.gridMW) MW from the grid, limit \(cap)") }
                let supply = p.renewableUsedMW + p.gridMW
                let demand = pue * it + p.batteryChargeMW - p.batteryDischargeMW
                check(close(supply, demand, scale: pue * it), "power balance: renewables + grid = \(supply) MW, facility + charge - discharge = \(demand) MW (constraint 6)")
                if let b = node.battery {
                    let e = b.roundTripEfficiency.squareRoot()
                    check(atMost(p.batteryChargeMW, b.powerMW) && atMost(p.batteryDischargeMW, b.powerMW), "battery power above \(b.powerMW) MW")
                    soc += e * p.batteryChargeMW * D - p.batteryDischargeMW * D / e
                    check(close(p.batteryEnergyMWh, soc, scale: b.energyMWh), "battery_energy_mwh \(p.batteryEnergyMWh), charge and discharge give \(soc) (constraint 7)")
                    soc = p.batteryEnergyMWh
                    check(atMost(soc, b.energyMWh) && soc >= -tolerance * b.energyMWh, "battery energy \(soc) outside [0, \(b.energyMWh)]")
                    if t == T - 1 { check(atMost(b.initialSOC * b.energyMWh, soc, scale: b.energyMWh), "battery ends at \(soc) MWh, below its initial \(b.initialSOC * b.energyMWh) (constraint 8)") }
                } else {
                    check(p.batteryChargeMW == 0 && p.batteryDischargeMW == 0 && p.batteryEnergyMWh == 0, "battery figures on a node without a battery")
                }
                let kg = scenario.carbonKgPerMWh[n][t] * p.gridMW * D
                check(close(p.carbonKg, kg), "carbon_kg \(p.carbonKg), grid x factor gives \(kg)")
                gridKg += kg
            }
        }

        // Totals.
        let s = plan.summary
        func total(_ name: String, _ reported: Double, _ expected: Double) {
            if !close(reported, expected) { fail("summary \(name) is \(reported), recomputed \(expected)") }
        }
        total("grid_carbon_kg", s.gridCarbonKg, gridKg)
        total("network_carbon_kg", s.networkCarbonKg, networkKg)
        total("carbon_kg", s.carbonKg, gridKg + networkKg)
        total("network_energy_mwh", s.networkEnergyMWh, networkMWh)
        total("work_cu_h", s.workCUh, work)
        total("moved_cu_h", s.movedCUh, moved)
        total("unserved_cu_h", s.unservedCUh, unservedTotal)
        let reduction = s.baselineCarbonKg > 0 ? 100 * (s.baselineCarbonKg - s.carbonKg) / s.baselineCarbonKg : 0
        total("reduction_percent", s.reductionPercent, reduction)
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
