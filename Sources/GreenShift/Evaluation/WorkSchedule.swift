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

    init(emptyFor scenario: Scenario) {
        unserved = scenario.classes.map { _ in scenario.nodes.map { _ in [Double](repeating: 0, count: scenario.periodCount) } }
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
        for u in plan.unserved { unserved[classIndex[u.classID]!][nodeIndex[u.origin]!][u.period] += u.cuH }
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
        let classIndex = Dictionary(uniqueKeysWithValues: scenario.classes.enumerated().map { ($1.id, $0) })
        let nodeIndex = Dictionary(uniqueKeysWithValues: scenario.nodes.enumerated().map { ($1.id, $0) })
        for u in extraction.unservedByArrival(laneWork: laneWork, dropped: extraction.droppedWork()) {
            schedule.unserved[classIndex[u.classID]!][nodeIndex[u.origin]!][u.period] += u.cuH
        }
        return schedule
    }

    var totalUnservedCUh: Double { unserved.joined().joined().reduce(0, +) }
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
