import LinearProgramming

/// Turns LP solutions back into a plan: placements, per-arrival unserved work, node power
/// schedules and totals, all recomputed from the primal values so the figures agree with each other.
struct PlanExtraction {
    let scenario: Scenario
    let formulation: Formulation
    let values: [Double]
    /// Per stream: work below this many CU*h is solver noise, not a placement. Relative to the
    /// stream's arrivals, so a stream of a millionth of a CU*h is still planned and reported.
    let noiseCUh: [Double]

    init(scenario: Scenario, formulation: Formulation, values: [Double]) {
        self.scenario = scenario
        self.formulation = formulation
        self.values = values
        var backlog = [Double](repeating: 0, count: scenario.classes.count * scenario.nodes.count)
        for b in scenario.backlog { backlog[b.classIndex * scenario.nodes.count + b.origin] += b.cuH }
        noiseCUh = formulation.streams.map {
            1e-9 * (scenario.demandCUh[$0.classIndex][$0.origin].reduce(0, +) + backlog[$0.classIndex * scenario.nodes.count + $0.origin])
        }
    }

    private var T: Int { scenario.periodCount }

    private func value(_ column: Int32) -> Double {
        column < 0 ? 0 : max(0, values[Int(column)])
    }

    /// x per lane and period; zero where it is noise.
    func laneWork() -> [[Double]] {
        var work = [[Double]](repeating: [Double](repeating: 0, count: T), count: formulation.lanes.count)
        for k in formulation.xLane.indices {
            let v = values[formulation.xColumns.lowerBound + k]
            let lane = Int(formulation.xLane[k])
            if v > noiseCUh[formulation.lanes[lane].stream] { work[lane][Int(formulation.xPeriod[k])] = v }
        }
        return work
    }

    /// Dropped work per stream and period.
    func droppedWork() -> [[Double]] {
        var dropped = [[Double]](repeating: [Double](repeating: 0, count: T), count: formulation.streams.count)
        for k in formulation.vStream.indices {
            let v = values[formulation.vColumns.lowerBound + k]
            let stream = Int(formulation.vStream[k])
            if v > noiseCUh[stream] { dropped[stream][Int(formulation.vPeriod[k])] = v }
        }
        return dropped
    }

    /// What became of each cohort (model.md) of one stream, matched first in, first out.
    struct CohortOutcome {
        var cohorts: [Cohort]
        var unservedCUh: [Double]
        /// Work run in the committed periods 0 ..< commitPeriods.
        var committedRunCUh: [Double]
    }

    /// Matches each stream's runs and drops to its cohorts, earliest due first: drops at t
    /// close the cohorts due at t (which are the oldest still open), then runs take from the rest.
    func cohortOutcomes(laneWork: [[Double]], dropped: [[Double]]) -> [CohortOutcome] {
        var lanesOfStream = [[Int]](repeating: [], count: formulation.streams.count)
        for (l, lane) in formulation.lanes.enumerated() { lanesOfStream[lane.stream].append(l) }
        return formulation.streams.enumerated().map { s, stream in
            let (cohorts, backlogCount) = scenario.cohorts(classIndex: stream.classIndex, origin: stream.origin,
                                                           baseline: formulation.mode == .baseline)
            var outcome = CohortOutcome(cohorts: cohorts, unservedCUh: Array(repeating: 0, count: cohorts.count),
                                        committedRunCUh: Array(repeating: 0, count: cohorts.count))
            var queue = CohortQueue(cohorts.map(\.cuH))
            for t in 0 ..< T {
                queue.take(dropped[s][t], available: backlogCount + t + 1) { outcome.unservedCUh[$0] += $1 }
                let run = lanesOfStream[s].reduce(0) { $0 + laneWork[$1][t] }
                queue.take(run, available: backlogCount + t + 1) { c, cuH in
                    if t < scenario.commitPeriods { outcome.committedRunCUh[c] += cuH }
                }
            }
            return outcome
        }
    }

    /// Unserved work by arrival period, and backlog from state.json by its `due` (period nil).
    func unserved(_ outcomes: [CohortOutcome]) -> [Plan.UnservedWork] {
        var result: [Plan.UnservedWork] = []
        for (s, stream) in formulation.streams.enumerated() {
            let classID = scenario.classes[stream.classIndex].id, origin = scenario.nodes[stream.origin].id
            var backlogByDue: [(due: Timestamp, cuH: Double)] = []
            for (c, cohort) in outcomes[s].cohorts.enumerated() where outcomes[s].unservedCUh[c] > 0 {
                if let entry = cohort.backlogEntry {
                    let due = scenario.backlog[entry].due
                    if let last = backlogByDue.last, last.due == due { backlogByDue[backlogByDue.count - 1].cuH += outcomes[s].unservedCUh[c] }
                    else { backlogByDue.append((due, outcomes[s].unservedCUh[c])) }
                } else if outcomes[s].unservedCUh[c] > noiseCUh[s] {
                    result.append(Plan.UnservedWork(period: cohort.first, classID: classID, origin: origin, cuH: outcomes[s].unservedCUh[c]))
                }
            }
            for b in backlogByDue where b.cuH > noiseCUh[s] {
                result.append(Plan.UnservedWork(period: nil, due: b.due.description, classID: classID, origin: origin, cuH: b.cuH))
            }
        }
        // Backlog (period null) first, by due; then arrivals by period.
        return result.sorted { ($0.period ?? -1, $0.due ?? "", $0.classID, $0.origin) < ($1.period ?? -1, $1.due ?? "", $1.classID, $1.origin) }
    }

    /// The backlog of the state this run leaves (plan.md): of every cohort that became runnable
    /// in the committed periods, what is neither run in them nor unserved, due at the end of its
    /// last period; entries of one class, origin and due merged.
    func stateBacklog(_ outcomes: [CohortOutcome]) -> [PlanState.BacklogEntry] {
        let C = scenario.commitPeriods
        var result: [PlanState.BacklogEntry] = []
        for (s, stream) in formulation.streams.enumerated() {
            var byLast: [Int: Double] = [:]
            for (c, cohort) in outcomes[s].cohorts.enumerated() where cohort.first < C {
                let left = cohort.cuH - outcomes[s].committedRunCUh[c] - outcomes[s].unservedCUh[c]
                if left > 0 { byLast[cohort.last, default: 0] += left }
            }
            result += PlanState.backlog(byLast, classID: scenario.classes[stream.classIndex].id,
                                        origin: scenario.nodes[stream.origin].id, above: noiseCUh[s], in: scenario)
        }
        return result
    }

    func placements(_ laneWork: [[Double]]) -> [Plan.Placement] {
        var result: [Plan.Placement] = []
        for (l, lane) in formulation.lanes.enumerated() {
            let stream = formulation.streams[lane.stream]
            for t in 0 ..< T where laneWork[l][t] > 0 {
                result.append(Plan.Placement(period: t, start: scenario.periodStart(t).description,
                                             classID: scenario.classes[stream.classIndex].id,
                                             pool: scenario.classes[stream.classIndex].pool, origin: scenario.nodes[stream.origin].id,
                                             node: scenario.nodes[lane.node].id, cuH: laneWork[l][t]))
            }
        }
        return result.sorted { ($0.period, $0.classID, $0.origin, $0.node) < ($1.period, $1.classID, $1.origin, $1.node) }
    }

    /// The power schedule of every node and period. `capacityDuals` (per pool slot * T + t,
    /// `Formulation.poolBase`) from the carbon-optimal solve give the marginal emissions of capacity.
    func nodeSchedules(_ laneWork: [[Double]], capacityDuals: [Double]?) -> [Plan.NodeSchedule] {
        let D = scenario.periodHours, base = formulation.poolBase
        var work = [Double](repeating: 0, count: base.last! * T)
        for (l, lane) in formulation.lanes.enumerated() {
            for t in 0 ..< T { work[(base[lane.node] + lane.pool) * T + t] += laneWork[l][t] }
        }
        let pue = scenario.pue
        return scenario.nodes.enumerated().map { n, node in
            Plan.NodeSchedule(id: node.id, periods: (0 ..< T).map { t in
                let i = n * T + t
                let pools = node.pools.enumerated().map { p, pool in
                    let slot = (base[n] + p) * T + t
                    return Plan.PoolPeriod(type: pool.type, workCUh: work[slot], itMW: pool.idleITMW + pool.itMWPerCU * work[slot] / D,
                                           marginalCarbonKgPerCUh: max(0, capacityDuals?[slot] ?? 0))
                }
                let it = pools.reduce(0) { $0 + $1.itMW }
                let renewable = min(value(formulation.renewableColumn[i]), scenario.renewableMW[n][t])
                let grid = value(formulation.gridColumn[i])
                let energy = formulation.energyColumn[i] < 0 ? 0 : min(value(formulation.energyColumn[i]), node.battery!.energyMWh)
                return Plan.NodePeriod(
                    period: t, workCUh: pools.reduce(0) { $0 + $1.workCUh }, itMW: it, pue: pue[n][t], facilityMW: pue[n][t] * it,
                    renewableUsedMW: renewable, renewableCurtailedMW: max(0, scenario.renewableMW[n][t] - renewable),
                    gridMW: grid, batteryChargeMW: value(formulation.chargeColumn[i]),
                    batteryDischargeMW: value(formulation.dischargeColumn[i]),
                    batteryEnergyMWh: energy,
                    carbonKg: scenario.carbonKgPerMWh[n][t] * grid * D,
                    pools: pools)
            })
        }
    }

    /// Network energy (MWh) and its emissions (kg, at the origins' `factors`, the optimized signal's
    /// unless given) of the moved work.
    func network(_ laneWork: [[Double]], factors: [[Double]]? = nil) -> (energyMWh: Double, carbonKg: Double, movedCUh: Double) {
        let factors = factors ?? scenario.carbonKgPerMWh
        var energy = 0.0, carbon = 0.0, moved = 0.0
        for (l, lane) in formulation.lanes.enumerated() {
            let stream = formulation.streams[lane.stream]
            guard lane.node != stream.origin else { continue }
            let link = formulation.network.link(between: stream.origin, lane.node)!
            let mwhPerCUh = link.kwhPerGB / 1000 * scenario.classes[stream.classIndex].gbPerCUh
            for t in 0 ..< T where laneWork[l][t] > 0 {
                moved += laneWork[l][t]
                energy += mwhPerCUh * laneWork[l][t]
                carbon += factors[stream.origin][t] * mwhPerCUh * laneWork[l][t]
            }
        }
        return (energy, carbon, moved)
    }
}
