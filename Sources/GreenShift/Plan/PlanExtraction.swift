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
        noiseCUh = formulation.streams.map { 1e-9 * scenario.demandCUh[$0.classIndex][$0.origin].reduce(0, +) }
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

    /// Assigns dropped work to arrival periods oldest first (the backlog is first in, first out).
    func unservedByArrival(laneWork: [[Double]], dropped: [[Double]]) -> [Plan.UnservedWork] {
        var lanesOfStream = [[Int]](repeating: [], count: formulation.streams.count)
        for (l, lane) in formulation.lanes.enumerated() { lanesOfStream[lane.stream].append(l) }
        var result: [Plan.UnservedWork] = []
        for (s, stream) in formulation.streams.enumerated() {
            let arrivals = scenario.demandCUh[stream.classIndex][stream.origin]
            var queue: [(period: Int, amount: Double)] = []
            var head = 0
            var unserved = [Double](repeating: 0, count: T)
            for t in 0 ..< T {
                if arrivals[t] > 0 { queue.append((t, arrivals[t])) }
                var drop = dropped[s][t]
                var run = lanesOfStream[s].reduce(0) { $0 + laneWork[$1][t] }
                while head < queue.count, drop > 0 || run > 0 {
                    let take = min(queue[head].amount, drop > 0 ? drop : run)
                    if drop > 0 { drop -= take; unserved[queue[head].period] += take } else { run -= take }
                    queue[head].amount -= take
                    if queue[head].amount <= noiseCUh[s] { head += 1 }
                }
            }
            for t in 0 ..< T where unserved[t] > noiseCUh[s] {
                result.append(Plan.UnservedWork(period: t, classID: scenario.classes[stream.classIndex].id,
                                                origin: scenario.nodes[stream.origin].id, cuH: unserved[t]))
            }
        }
        return result.sorted { ($0.period, $0.classID, $0.origin) < ($1.period, $1.classID, $1.origin) }
    }

    func placements(_ laneWork: [[Double]]) -> [Plan.Placement] {
        var result: [Plan.Placement] = []
        for (l, lane) in formulation.lanes.enumerated() {
            let stream = formulation.streams[lane.stream]
            for t in 0 ..< T where laneWork[l][t] > 0 {
                result.append(Plan.Placement(period: t, start: scenario.periodStart(t).description,
                                             classID: scenario.classes[stream.classIndex].id,
                                             origin: scenario.nodes[stream.origin].id,
                                             node: scenario.nodes[lane.node].id, cuH: laneWork[l][t]))
            }
        }
        return result.sorted { ($0.period, $0.classID, $0.origin, $0.node) < ($1.period, $1.classID, $1.origin, $1.node) }
    }

    /// The power schedule of every node and period. `capacityDuals` (per node * T + t) from the
    /// carbon-optimal solve give the marginal emissions of capacity.
    func nodeSchedules(_ laneWork: [[Double]], capacityDuals: [Double]?) -> [Plan.NodeSchedule] {
        let N = scenario.nodes.count, D = scenario.periodHours
        var work = [Double](repeating: 0, count: N * T)
        for (l, lane) in formulation.lanes.enumerated() {
            for t in 0 ..< T { work[lane.node * T + t] += laneWork[l][t] }
        }
        let pue = scenario.pue
        return scenario.nodes.enumerated().map { n, node in
            Plan.NodeSchedule(id: node.id, periods: (0 ..< T).map { t in
                let i = n * T + t
                let it = node.idleITMW + node.itMWPerCU * work[i] / D
                let renewable = min(value(formulation.renewableColumn[i]), scenario.renewableMW[n][t])
                let grid = value(formulation.gridColumn[i])
                return Plan.NodePeriod(
                    period: t, workCUh: work[i], itMW: it, pue: pue[n][t], facilityMW: pue[n][t] * it,
                    renewableUsedMW: renewable, renewableCurtailedMW: max(0, scenario.renewableMW[n][t] - renewable),
                    gridMW: grid, batteryChargeMW: value(formulation.chargeColumn[i]),
                    batteryDischargeMW: value(formulation.dischargeColumn[i]),
                    batteryEnergyMWh: value(formulation.energyColumn[i]),
                    carbonKg: scenario.carbonKgPerMWh[n][t] * grid * D,
                    marginalCarbonKgPerCUh: max(0, capacityDuals?[i] ?? 0))
            })
        }
    }

    /// Network energy (MWh) and its emissions (kg) of the moved work.
    func network(_ laneWork: [[Double]]) -> (energyMWh: Double, carbonKg: Double, movedCUh: Double) {
        var energy = 0.0, carbon = 0.0, moved = 0.0
        for (l, lane) in formulation.lanes.enumerated() {
            let stream = formulation.streams[lane.stream]
            guard lane.node != stream.origin else { continue }
            let link = formulation.network.link(between: stream.origin, lane.node)!
            let mwhPerCUh = link.kwhPerGB / 1000 * scenario.classes[stream.classIndex].gbPerCUh
            for t in 0 ..< T where laneWork[l][t] > 0 {
                moved += laneWork[l][t]
                energy += mwhPerCUh * laneWork[l][t]
                carbon += scenario.carbonKgPerMWh[stream.origin][t] * mwhPerCUh * laneWork[l][t]
            }
        }
        return (energy, carbon, moved)
    }
}
