/// Where and when a schedule runs work: CU*h per class, origin, node and period, plus the work it
/// leaves unserved by arrival period. Both the plan and the no-shifting baseline are read into it.
struct WorkSchedule: Sendable {
    struct Key: Hashable, Comparable, Sendable {
        var classIndex: Int, origin: Int, node: Int
        static func < (a: Key, b: Key) -> Bool { (a.classIndex, a.origin, a.node) < (b.classIndex, b.origin, b.node) }
    }

    /// Work run, `run[key][t]` in CU*h.
    var run: [Key: [Double]] = [:]
    /// Work never run, `unserved[w][o][t]` by arrival period, CU*h.
    var unserved: [[[Double]]]
    /// Backlog never run, per entry of `Scenario.backlog`.
    var unservedBacklog: [Double]

    init(emptyFor scenario: Scenario) {
        unserved = scenario.classes.map { _ in scenario.nodes.map { _ in [Double](repeating: 0, count: scenario.periodCount) } }
        unservedBacklog = scenario.backlog.map { _ in 0 }
    }

    /// Adds the plan's unserved entries: by arrival period, or backlog by its due, spread over the
    /// state.json entries of that class, origin and due in order.
    mutating func addUnserved(_ entries: [Plan.UnservedWork], _ scenario: Scenario) {
        let nodeIndex = Dictionary(uniqueKeysWithValues: scenario.nodes.enumerated().map { ($1.id, $0) })
        let classIndex = Dictionary(uniqueKeysWithValues: scenario.classes.enumerated().map { ($1.id, $0) })
        for u in entries {
            let (w, o) = (classIndex[u.classID]!, nodeIndex[u.origin]!)
            if let t = u.period { unserved[w][o][t] += u.cuH; continue }
            let due = u.due.flatMap { try? Timestamp(parsing: $0) }
            var left = u.cuH
            for (k, b) in scenario.backlog.enumerated() where b.classIndex == w && b.origin == o && b.due == due && left > 0 {
                let take = min(left, b.cuH - unservedBacklog[k])
                unservedBacklog[k] += take
                left -= take
            }
        }
    }

    /// The cohorts of class w from origin o with the work this schedule serves of each.
    func servedCohorts(_ scenario: Scenario, _ w: Int, _ o: Int) -> (cohorts: [Cohort], backlogCount: Int, served: [Double]) {
        let (cohorts, count) = scenario.cohorts(classIndex: w, origin: o)
        let served = cohorts.map { c in max(0, c.cuH - (c.backlogEntry.map { unservedBacklog[$0] } ?? unserved[w][o][c.first])) }
        return (cohorts, count, served)
    }

    /// Work of class w from origin o run per period, over every node.
    func runs(_ w: Int, _ o: Int, periods: Int) -> [Double] {
        var total = [Double](repeating: 0, count: periods)
        for (key, cuH) in run where key.classIndex == w && key.origin == o {
            for t in 0 ..< periods { total[t] += cuH[t] }
        }
        return total
    }

    mutating func add(_ key: Key, _ t: Int, _ cuH: Double, periods: Int) {
        run[key, default: [Double](repeating: 0, count: periods)][t] += cuH
    }

    /// A plan's placements and unserved work; the plan must have passed `PlanVerifier` for `scenario`.
    init(plan: Plan, scenario: Scenario) {
        self.init(emptyFor: scenario)
        let nodeIndex = Dictionary(uniqueKeysWithValues: scenario.nodes.enumerated().map { ($1.id, $0) })
        let classIndex = Dictionary(uniqueKeysWithValues: scenario.classes.enumerated().map { ($1.id, $0) })
        for p in plan.placements {
            add(Key(classIndex: classIndex[p.classID]!, origin: nodeIndex[p.origin]!, node: nodeIndex[p.node]!),
                p.period, p.cuH, periods: scenario.periodCount)
        }
        addUnserved(plan.unserved, scenario)
    }

    /// The no-shifting baseline of model.md: every class at its origin in its arrival period, as
    /// far as capacity and power allow, with the battery dispatched optimally.
    static func baseline(of scenario: Scenario) throws -> WorkSchedule {
        let formulation = Formulation(scenario, mode: .baseline)
        let values = try RealizedDispatch.solve(formulation)
        let extraction = PlanExtraction(scenario: scenario, formulation: formulation, values: values)
        let laneWork = extraction.laneWork()
        var schedule = WorkSchedule(emptyFor: scenario)
        for (l, lane) in formulation.lanes.enumerated() {
            let stream = formulation.streams[lane.stream]
            for t in 0 ..< scenario.periodCount where laneWork[l][t] > 0 {
                schedule.add(Key(classIndex: stream.classIndex, origin: stream.origin, node: lane.node), t, laneWork[l][t],
                             periods: scenario.periodCount)
            }
        }
        schedule.addUnserved(extraction.unserved(extraction.cohortOutcomes(laneWork: laneWork, dropped: extraction.droppedWork())),
                             scenario)
        return schedule
    }

    var totalUnservedCUh: Double { unserved.joined().joined().reduce(0, +) + unservedBacklog.reduce(0, +) }
}

/// The work that arrived against the work forecast, per class and origin.
struct DemandChange: Sendable, Equatable {
    var classIndex: Int, origin: Int
    var forecastCUh: Double, actualCUh: Double
    /// Work that arrived beyond the forecast of its arrival period (summed over periods).
    var extraCUh: Double
    /// Forecast work that never arrived (summed over periods).
    var missingCUh: Double

    static func all(forecast: Scenario, actual: Scenario) -> [DemandChange] {
        var result: [DemandChange] = []
        for w in forecast.classes.indices {
            for o in forecast.nodes.indices {
                let (f, a) = (forecast.demandCUh[w][o], actual.demandCUh[w][o])
                guard f.contains(where: { $0 > 0 }) || a.contains(where: { $0 > 0 }) else { continue }
                result.append(DemandChange(classIndex: w, origin: o, forecastCUh: f.reduce(0, +), actualCUh: a.reduce(0, +),
                                           extraCUh: zip(a, f).reduce(0) { $0 + max(0, $1.0 - $1.1) },
                                           missingCUh: zip(f, a).reduce(0) { $0 + max(0, $1.0 - $1.1) }))
            }
        }
        return result
    }
}
