/// The plan's periods as instants: which period holds a time, and where each begins and ends.
public struct Horizon: Sendable {
    public let start: Timestamp
    public let periodMinutes: Int
    public let periods: Int

    public init(_ plan: Plan, file: String) throws(InputError) {
        do {
            start = try Timestamp(parsing: plan.start)
        } catch {
            throw InputError([Diagnostic(file: file, "the plan's start '\(plan.start)' is not a time: \(error)")])
        }
        periodMinutes = plan.periodMinutes
        periods = plan.periods
    }

    public func start(of period: Int) -> Timestamp { start.adding(minutes: period * periodMinutes) }
    public var end: Timestamp { start(of: periods) }

    /// Periods are half-open: a time on a boundary belongs to the period it starts.
    public func period(containing time: Timestamp) -> Int? {
        guard time >= start, time < end else { return nil }
        return Int((time.epochSeconds - start.epochSeconds) / Int64(60 * periodMinutes))
    }

    public var description: String { "\(start) to \(end) (\(periods) periods of \(periodMinutes) min)" }
}

extension Timestamp {
    /// The same instant in UTC without an offset, as Slurm reads times under TZ=UTC: 2026-11-26T16:00:00.
    var utcLocal: String { String(Timestamp(epochSeconds: epochSeconds, offsetMinutes: 0).description.dropLast(6)) }

    /// A compact UTC stamp for names: 20261126T1600Z.
    var utcStamp: String {
        let s = Array(utcLocal)
        return String(s[0 ..< 4] + s[5 ..< 7] + s[8 ..< 10]) + "T" + String(s[11 ..< 13] + s[14 ..< 16]) + "Z"
    }
}
