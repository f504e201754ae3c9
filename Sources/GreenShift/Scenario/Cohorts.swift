/// The cohorts of model.md: for one class and origin, the pieces of work that become runnable
/// together, each backlog entry of state.json and each period's arrivals.
public struct Cohort: Sendable, Equatable {
    /// First and last period the cohort may run in.
    public var first: Int
    public var last: Int
    public var cuH: Double
    /// The state.json entry it comes from (index into `Scenario.backlog`), or nil for arrivals.
    public var backlogEntry: Int?
    /// The arrival period, for arrivals.
    public var arrival: Int? { backlogEntry == nil ? first : nil }
}

extension Scenario {
    /// The cohorts of class w from origin o in the order they fall due: the backlog (earliest
    /// due first), then one cohort per period (zero where nothing arrives), so cohort
    /// `backlogCount + t` is period t's arrivals. Because K_b <= K_w, a cohort runnable earlier is
    /// never due later: first in, first out is earliest due first. With `baseline`, every window
    /// is 0 (model.md, "Baseline").
    public func cohorts(classIndex w: Int, origin o: Int, baseline: Bool = false) -> (cohorts: [Cohort], backlogCount: Int) {
        let T = periodCount
        let K = baseline ? 0 : windowPeriods(w)
        var result: [Cohort] = backlog.indices
            .filter { backlog[$0].classIndex == w && backlog[$0].origin == o }
            .map { Cohort(first: 0, last: baseline ? 0 : backlog[$0].lastPeriod, cuH: backlog[$0].cuH, backlogEntry: $0) }
        result.sort { $0.last < $1.last }
        let count = result.count
        for t in 0 ..< T { result.append(Cohort(first: t, last: min(t + K, T - 1), cuH: demandCUh[w][o][t])) }
        return (result, count)
    }
}

/// First in, first out over cohorts in the order they fall due: work run or dropped is taken
/// from the oldest cohort still open. The one matching of runs to arrivals that the plan's
/// unserved entries and state, the report's waiting times and the realized dispatch all use.
public struct CohortQueue: Sendable {
    public private(set) var left: [Double]
    private var head = 0

    public init(_ amounts: [Double]) { left = amounts.map { max(0, $0) } }

    /// Takes `amount` from the open cohorts among the first `available`, oldest first, telling
    /// `taken` which cohort gave how much; returns what no cohort could give (round-off).
    @discardableResult
    public mutating func take(_ amount: Double, available: Int, _ taken: (Int, Double) -> Void = { _, _ in }) -> Double {
        var rest = amount
        let end = min(available, left.count)
        while rest > 0, head < end {
            guard left[head] > 0 else { head += 1; continue }
            let give = min(rest, left[head])
            left[head] -= give
            rest -= give
            taken(head, give)
        }
        return rest
    }
}
