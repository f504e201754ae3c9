import LinearProgramming

/// What a schedule emits when it meets the actual conditions (docs/evaluation.md):
///
/// 1. Demand rule. Work of an arrival period that never came is not run: the schedule's runs
///    are matched to the forecast arrivals first in, first out per class and origin, and the runs
///    serving arrival period t keep the share min(1, actual / forecast) of period t. Work that
///    arrived beyond the forecast runs at its origin in its arrival period, as without the plan.
///    The result runs nothing before it arrives, nothing after its deadline, nowhere the class
///    may not go, and moves no more over a link than the schedule did.
/// 2. Dispatch. With that work held fixed, the power (renewables, battery, grid) is dispatched
///    optimally against the actual renewables, PUE and emission factors: the formulation in
///    baseline mode on the actual scenario whose demand at node n in period t is the work run
///    there (baseline mode pins work to its "origin" and period). Work the node cannot run
///    (capacity, or power under a grid cap) comes out unserved.
/// 3. Network emissions of the moved work are recomputed at the actual factors of the origins.
///
/// Without the network emissions of moved work that then goes unserved, the realized schedule is
/// a feasible point of the model on the actual scenario; with them its objective is only higher.
/// Either way it is never below the hindsight optimum.
enum RealizedDispatch {
    struct Outcome: Sendable {
        /// Grid emissions per node and period, `[n][t]`, kg.
        var gridCarbonKg: [[Double]]
        /// Network emissions per period, kg.
        var networkCarbonKg: [Double]
        var renewableUsedMWh: Double
        var renewableCurtailedMWh: Double
        var gridEnergyMWh: Double
        /// Each battery's energy at the end of the actual scenario's committed periods.
        var batteries: [PlanState.BatteryEnergy]
        /// Work run, CU*h.
        var workCUh: Double
        /// Work the schedule itself left unserved, scaled like its runs (CU*h).
        var scheduledUnservedCUh: Double
        /// Work the nodes could not run under the actual conditions: per class, node and period.
        var dispatchUnserved: [(classIndex: Int, node: Int, period: Int, cuH: Double)]

        var carbonKg: Double { gridCarbonKg.joined().reduce(0, +) + networkCarbonKg.reduce(0, +) }
        var unservedCUh: Double { scheduledUnservedCUh + dispatchUnserved.reduce(0) { $0 + $1.cuH } }
        /// The model's objective: emissions plus the unserved penalty.
        func objective(penalty: Double) -> Double { carbonKg + penalty * unservedCUh }
        /// Emissions per period, all nodes and the network, kg.
        var carbonKgByPeriod: [Double] {
            networkCarbonKg.indices.map { t in networkCarbonKg[t] + gridCarbonKg.reduce(0) { $0 + $1[t] } }
        }
    }

    /// The schedule with the demand rule applied: what would have run given the actual arrivals.
    static func realize(_ schedule: WorkSchedule, forecast: Scenario, actual: Scenario) -> WorkSchedule {
        let T = forecast.periodCount
        var result = WorkSchedule(emptyFor: forecast)
        let keysOfStream = Dictionary(grouping: schedule.run.keys.sorted()) { $0.classIndex * forecast.nodes.count + $0.origin }
        for w in forecast.classes.indices {
            for o in forecast.nodes.indices {
                let (planned, arrived) = (forecast.demandCUh[w][o], actual.demandCUh[w][o])
                let share = (0 ..< T).map { planned[$0] > 0 ? min(1, arrived[$0] / planned[$0]) : 0 }
                let keys = keysOfStream[w * forecast.nodes.count + o] ?? []
                // The cohorts the schedule serves, consumed earliest due first by its runs; the
                // backlog has arrived already, so all of it is kept.
                let (cohorts, backlogCount, served) = schedule.servedCohorts(forecast, w, o)
                let keep = cohorts.map { $0.arrival.map { share[$0] } ?? 1 }
                var queue = CohortQueue(served)
                for t in 0 ..< T {
                    let total = keys.reduce(0) { $0 + schedule.run[$1]![t] }
                    guard total > 0 else { continue }
                    var kept = 0.0
                    queue.take(total, available: backlogCount + t + 1) { c, cuH in kept += cuH * keep[c] }
                    // Runs beyond the cohorts (solver round-off) have nothing to serve; the nodes of
                    // one period share its mix of cohorts in proportion.
                    for key in keys where schedule.run[key]![t] > 0 {
                        result.add(key, t, schedule.run[key]![t] * kept / total, periods: T)
                    }
                }
                for t in 0 ..< T {
                    if arrived[t] > planned[t] {
                        result.add(.init(classIndex: w, origin: o, node: o), t, arrived[t] - planned[t], periods: T)
                    }
                    result.unserved[w][o][t] = schedule.unserved[w][o][t] * share[t]
                }
            }
        }
        result.unservedBacklog = schedule.unservedBacklog
        return result
    }

    /// Dispatches power for fixed work on the actual scenario.
    static func dispatch(_ work: WorkSchedule, actual: Scenario) throws -> Outcome {
        let T = actual.periodCount, N = actual.nodes.count, D = actual.periodHours
        var fixed = actual
        // The work run is fixed, backlog included: what remains is dispatching power for it.
        fixed.backlog = []
        fixed.demandCUh = actual.classes.map { _ in actual.nodes.map { _ in [Double](repeating: 0, count: T) } }
        var networkKg = [Double](repeating: 0, count: T)
        let network = NetworkIndex(actual)
        for (key, cuH) in work.run {
            for t in 0 ..< T { fixed.demandCUh[key.classIndex][key.node][t] += cuH[t] }
            guard key.node != key.origin, let link = network.link(between: key.origin, key.node) else { continue }
            let mwhPerCUh = link.kwhPerGB / 1000 * actual.classes[key.classIndex].gbPerCUh
            for t in 0 ..< T { networkKg[t] += actual.carbonKgPerMWh[key.origin][t] * mwhPerCUh * cuH[t] }
        }
        let formulation = Formulation(fixed, mode: .baseline)
        let values = try solve(formulation)
        let extraction = PlanExtraction(scenario: fixed, formulation: formulation, values: values)
        let laneWork = extraction.laneWork()
        let nodes = extraction.nodeSchedules(laneWork, capacityDuals: nil)
        var unserved: [(Int, Int, Int, Double)] = []
        for (s, dropped) in extraction.droppedWork().enumerated() {
            let stream = formulation.streams[s]
            for t in 0 ..< T where dropped[t] > 0 { unserved.append((stream.classIndex, stream.origin, t, dropped[t])) }
        }
        let periods = nodes.map(\.periods)
        return Outcome(
            gridCarbonKg: (0 ..< N).map { n in periods[n].map(\.carbonKg) },
            networkCarbonKg: networkKg,
            renewableUsedMWh: periods.joined().reduce(0) { $0 + $1.renewableUsedMW } * D,
            renewableCurtailedMWh: periods.joined().reduce(0) { $0 + $1.renewableCurtailedMW } * D,
            gridEnergyMWh: periods.joined().reduce(0) { $0 + $1.gridMW } * D,
            batteries: PlanBuilder(scenario: fixed).batteryEnergies(nodes),
            workCUh: laneWork.joined().reduce(0, +),
            scheduledUnservedCUh: work.totalUnservedCUh,
            dispatchUnserved: unserved.sorted { ($0.2, $0.0, $0.1) < ($1.2, $1.0, $1.1) })
    }

    /// The work that really ran: `work` without what the dispatch could not power or fit
    /// (`Outcome.dispatchUnserved`). What a node sheds in a period is a total per pool: all work
    /// of one pool needs the same power per CU*h, so which class's CU*h are shed is a choice the
    /// LP makes arbitrarily. Here the most flexible work yields first (longest deadline, then
    /// class and origin order), as an operator would hold back batch rather than drop web
    /// requests; it may then still run later, from the state.
    static func ran(_ work: WorkSchedule, _ outcome: Outcome, scenario: Scenario) -> WorkSchedule {
        var shed: [[Int]: Double] = [:]  // [node, period, pool] -> CU*h
        for drop in outcome.dispatchUnserved {
            guard let pool = scenario.pool(of: drop.classIndex, at: drop.node) else { continue }
            shed[[drop.node, drop.period, pool], default: 0] += drop.cuH
        }
        var result = work
        let keys = work.run.keys.sorted {
            (-scenario.classes[$0.classIndex].deadlineHours, $0.classIndex, $0.origin) < (-scenario.classes[$1.classIndex].deadlineHours, $1.classIndex, $1.origin)
        }
        for (slot, cuH) in shed {
            let (n, t, pool) = (slot[0], slot[1], slot[2])
            var left = cuH
            for key in keys where left > 0 && key.node == n && scenario.pool(of: key.classIndex, at: n) == pool {
                let take = min(left, result.run[key]![t])
                result.run[key]![t] -= take
                left -= take
            }
        }
        return result
    }

    /// The state the realized schedule leaves at the end of the actual scenario's committed
    /// periods (plan.md, state.json), for the next night to carry: `batteries` from the realized
    /// dispatch, and the backlog left by the work that really ran (`ran`). Of every cohort of the
    /// actual arrivals (and backlog) whose first period is committed and whose window reaches past
    /// them, what the schedule serves minus what really ran in the committed periods, matched
    /// earliest due first. Work the schedule left unserved is not carried; neither is work that
    /// could not run and whose window closed in the committed periods: that is `expiredCUh`.
    static func state(_ ran: WorkSchedule, actual: Scenario, batteries: [PlanState.BatteryEnergy]) -> (state: PlanState, expiredCUh: Double) {
        let C = actual.commitPeriods
        var backlog: [PlanState.BacklogEntry] = []
        var expired = 0.0
        for w in actual.classes.indices {
            for o in actual.nodes.indices {
                let (cohorts, backlogCount, served) = ran.servedCohorts(actual, w, o)
                let runs = ran.runs(w, o, periods: actual.periodCount)
                var queue = CohortQueue(served)
                for t in 0 ..< C { queue.take(runs[t], available: backlogCount + t + 1) }
                // Below this the left-over is round-off of the runs' scaling (as PlanExtraction's noise).
                let noise = 1e-9 * cohorts.reduce(0) { $0 + $1.cuH }
                var byLast: [Int: Double] = [:]
                for (c, cohort) in cohorts.enumerated() where cohort.first < C && queue.left[c] > noise {
                    if cohort.last < C { expired += queue.left[c] } else { byLast[cohort.last, default: 0] += queue.left[c] }
                }
                backlog += PlanState.backlog(byLast, classID: actual.classes[w].id, origin: actual.nodes[o].id,
                                             above: noise, in: actual)
            }
        }
        return (PlanState(at: actual.commitEnd.description, backlog: backlog, batteries: batteries), expired)
    }

    /// Solves a formulation; LP failures become the errors the command line maps to exit codes.
    static func solve(_ formulation: Formulation) throws -> [Double] {
        do {
            return try GLPKProblem(formulation.program).solve().columnValues
        } catch {
            throw SolverStoppedError.mapping(error)
        }
    }
}
