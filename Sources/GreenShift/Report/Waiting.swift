/// How long work waited between arriving and running. The plan says only when work ran, not
/// which arrival it served, so arrivals are matched to runs first in, first out per class and
/// origin (any other matching has the same totals; FIFO gives the shortest longest wait). Backlog
/// from state.json counts from period 0.
public enum Waiting {
    /// CU*h run per class (scenario order) by whole periods waited: `[class][periods waited]`.
    /// Work that never runs (the plan's `unserved`) is taken out of the arrivals first.
    public static func cuHByPeriodsWaited(plan: Plan, scenario: Scenario) -> [[Double]] {
        let T = scenario.periodCount
        let schedule = WorkSchedule(plan: plan, scenario: scenario)
        var waited = scenario.classes.map { _ in [Double](repeating: 0, count: T) }
        for w in scenario.classes.indices {
            for o in scenario.nodes.indices {
                let (cohorts, backlogCount, served) = schedule.servedCohorts(scenario, w, o)
                var queue = CohortQueue(served)
                for (t, run) in schedule.runs(w, o, periods: T).enumerated() where run > 0 {
                    // Runs beyond what arrived (solver round-off) count as not waiting.
                    let unmatched = queue.take(run, available: backlogCount + t + 1) { c, cuH in waited[w][t - cohorts[c].first] += cuH }
                    waited[w][0] += unmatched
                }
            }
        }
        return waited
    }
}
