/// The greedy schedulers `simulate` compares greenshift with (docs/simulate.md). Each piece of
/// work, in arrival order (the backlog by due, then each period's arrivals by class and origin),
/// goes to the allowed node and period of its window with the best score that still has room,
/// then to the next best, until it is placed; what finds no room is unserved. Room is what the
/// forecasts say: the pool's capacity, the link's bandwidth, and the power a node can draw (grid
/// import cap plus forecast renewables; batteries are left to the dispatch). Scores are per CU*h:
///
/// - `intensity` (Carbon Aware SDK style): the node's forecast grid factor in that period;
/// - `renewable` (Carbon Explorer style): the marginal emissions of one more CU*h there, 0 while
///   the forecast renewable surplus over the load already placed lasts, else grid factor x the
///   CU*h's facility energy; plus the network emissions of moving it.
///
/// Ties go to the earlier period, then the origin, then the lower node index. Work that has one
/// slot only (not movable and due in its arrival period) is placed before all other work.
enum GreedySchedule {
    enum Score: Sendable { case intensity, renewable }

    static func schedule(_ s: Scenario, score: Score) -> WorkSchedule {
        let T = s.periodCount, N = s.nodes.count, D = s.periodHours
        let pue = s.pue, factor = s.carbonKgPerMWh, network = NetworkIndex(s)
        var result = WorkSchedule(emptyFor: s)
        // Room left: CU*h per pool, facility MW per node, GB per directed link (nil: unlimited).
        var capacity = s.nodes.map { node in node.pools.map { [Double](repeating: $0.capacityCU * D, count: T) } }
        var facilityMW = (0 ..< N).map { n in (0 ..< T).map { pue[n][$0] * s.nodes[n].idleITMW } }
        var bandwidthGB: [Int: [Double]] = [:]
        for a in 0 ..< N {
            for b in network.neighbours[a] {
                if let gbps = network.link(between: a, b)?.bandwidthGbps {
                    bandwidthGB[a * N + b] = [Double](repeating: gbps * Link.gbPerHourPerGbps * D, count: T)
                }
            }
        }

        // Pieces in arrival order: backlog by due, then the arrivals of each period.
        var pieces: [(w: Int, o: Int, cohort: Cohort)] = []
        var arrivals: [(w: Int, o: Int, cohort: Cohort)] = []
        for w in s.classes.indices {
            for o in s.nodes.indices {
                for c in s.cohorts(classIndex: w, origin: o).cohorts where c.cuH > 0 {
                    if c.backlogEntry != nil { pieces.append((w, o, c)) } else { arrivals.append((w, o, c)) }
                }
            }
        }
        pieces.sort { ($0.cohort.last, $0.w, $0.o) < ($1.cohort.last, $1.w, $1.o) }
        pieces += arrivals.sorted { ($0.cohort.first, $0.w, $0.o) < ($1.cohort.first, $1.w, $1.o) }
        // Work with one slot only (its origin, in one period) goes first: no scheduler would give
        // its only place to work that could go elsewhere.
        let fixed = pieces.filter { $0.cohort.first == $0.cohort.last && Formulation.allowedNodes(s, network, classIndex: $0.w, origin: $0.o).count <= 1 }
        pieces = fixed + pieces.filter { !($0.cohort.first == $0.cohort.last && Formulation.allowedNodes(s, network, classIndex: $0.w, origin: $0.o).count <= 1) }

        for piece in pieces {
            let (w, o, cohort) = piece
            let cls = s.classes[w]
            let targets = Formulation.allowedNodes(s, network, classIndex: w, origin: o)
            var left = cohort.cuH
            while left > 1e-9 * cohort.cuH {
                var best: (key: (Double, Int, Int, Int), n: Int, t: Int, room: Double)?
                for n in targets {
                    let p = s.pool(of: w, at: n)!
                    let mwPerCUh = s.nodes[n].pools[p].itMWPerCU / D  // IT MW per CU*h run in one period
                    let link = n == o ? nil : network.link(between: o, n)
                    for t in cohort.first ... cohort.last {
                        let facilityPerCUh = pue[n][t] * mwPerCUh
                        var room = capacity[n][p][t]
                        if let cap = s.nodes[n].gridImportMW, facilityPerCUh > 0 {
                            room = min(room, (cap + s.renewableMW[n][t] - facilityMW[n][t]) / facilityPerCUh)
                        }
                        if n != o, cls.gbPerCUh > 0, let gb = bandwidthGB[o * N + n]?[t] { room = min(room, gb / cls.gbPerCUh) }
                        guard room > 1e-9 * cohort.cuH else { continue }
                        let networkKg = link.map { factor[o][t] * $0.kwhPerGB / 1000 * cls.gbPerCUh } ?? 0
                        var value: Double
                        switch score {
                        case .intensity:
                            value = factor[n][t]
                        case .renewable:
                            let surplusCUh = facilityPerCUh > 0 ? max(0, s.renewableMW[n][t] - facilityMW[n][t]) / facilityPerCUh : room
                            if surplusCUh > 1e-9 * cohort.cuH {
                                room = min(room, surplusCUh)
                                value = networkKg
                            } else {
                                value = factor[n][t] * facilityPerCUh * D + networkKg
                            }
                        }
                        let key = (value, t, n == o ? 0 : 1, n)
                        if best == nil || key < best!.key { best = (key, n, t, room) }
                    }
                }
                guard let slot = best else { break }
                let take = min(left, slot.room)
                let p = s.pool(of: w, at: slot.n)!
                capacity[slot.n][p][slot.t] -= take
                facilityMW[slot.n][slot.t] += pue[slot.n][slot.t] * s.nodes[slot.n].pools[p].itMWPerCU / D * take
                if slot.n != o, bandwidthGB[o * N + slot.n] != nil { bandwidthGB[o * N + slot.n]![slot.t] -= take * cls.gbPerCUh }
                result.add(.init(classIndex: w, origin: o, node: slot.n), slot.t, take, periods: T)
                left -= take
            }
            if left > 1e-9 * cohort.cuH {
                if let entry = cohort.backlogEntry { result.unservedBacklog[entry] += left } else { result.unserved[w][o][cohort.first] += left }
            }
        }
        return result
    }
}
