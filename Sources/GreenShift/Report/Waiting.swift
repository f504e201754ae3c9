/// How long work waited between arriving and running. The plan says only when work ran, not
/// which arrival it served, so arrivals are matched to runs first in, first out per class and
/// origin (any other matching has the same totals; FIFO gives the shortest longest wait).
public enum Waiting {
    /// CU*h run per class (scenario order) by whole periods waited: `[class][periods waited]`.
    /// Work that never runs (the plan's `unserved`) is taken out of the arrivals first.
    public static func cuHByPeriodsWaited(plan: Plan, scenario: Scenario) -> [[Double]] {
        let classIndex = Dictionary(scenario.classes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let nodeIndex = Dictionary(scenario.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let T = scenario.periodCount
        // Work run per class, origin and period, summed over the nodes it ran at.
        var runs = scenario.classes.map { _ in scenario.nodes.map { _ in [Double](repeating: 0, count: T) } }
        for p in plan.placements {
            guard let w = classIndex[p.classID], let o = nodeIndex[p.origin], (0 ..< T).contains(p.period) else { continue }
            runs[w][o][p.period] += p.cuH
        }
        var arrivals = scenario.demandCUh
        for u in plan.unserved {
            guard let w = classIndex[u.classID], let o = nodeIndex[u.origin], (0 ..< T).contains(u.period) else { continue }
            arrivals[w][o][u.period] = max(0, arrivals[w][o][u.period] - u.cuH)
        }
        var waited = scenario.classes.map { _ in [Double](repeating: 0, count: T) }
        for w in scenario.classes.indices {
            for o in scenario.nodes.indices {
                var queue = arrivals[w][o]
                var head = 0
                for t in 0 ..< T {
                    var left = runs[w][o][t]
                    while left > 0 {
                        while head < t, queue[head] <= 0 { head += 1 }
                        // Runs beyond what arrived (solver round-off) count as not waiting.
                        guard head <= t, queue[head] > 0 else { waited[w][0] += left; break }
                        let take = min(left, queue[head])
                        waited[w][t - head] += take
                        queue[head] -= take
                        left -= take
                    }
                }
            }
        }
        return waited
    }
}
