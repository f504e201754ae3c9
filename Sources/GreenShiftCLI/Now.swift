import ArgumentParser
import Foundation
import GreenShift

struct Now: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "What every node should run in the period containing a time: the hook a cron-driven scheduler calls.",
        discussion: """
            Prints, per node, pool and class, the CU the plan lets that class use (capacity.csv) in the period \
            holding TIME (default: now). A time on a period boundary belongs to the period it starts. Exit 2 when \
            TIME is outside the plan's horizon (the message gives it) or the plan cannot be read.
            """)

    @Argument(help: "The folder `greenshift optimize` wrote (its plan.json is read).")
    var planDir: String

    @Option(help: "An ISO 8601 time with its UTC offset, e.g. 2026-11-27T03:00:00+08:00 (default: now).")
    var at: String?

    @Flag(help: "Print JSON instead of a table.")
    var json = false

    func run() throws {
        try runReportingErrors {
            let path = (planDir as NSString).appendingPathComponent("plan.json")
            let plan = try Plan.read(from: path)
            let time: Timestamp
            if let at {
                do { time = try Timestamp(parsing: at) } catch {
                    throw InputError([Diagnostic(file: "--at", "'\(at)' is not a time: \(error)")])
                }
            } else {
                time = Timestamp(epochSeconds: Int64(Date().timeIntervalSince1970))
            }
            let view = try PeriodView(plan: plan, file: path, at: time)
            print(json ? view.json().rendered() : view.table(), terminator: "")
        }
    }
}
