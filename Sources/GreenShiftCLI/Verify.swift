import ArgumentParser
import Foundation
import GreenShift

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan against its scenario without solving anything.",
        discussion: """
            Checks every constraint of the model (arrival, deadlines, capacity, power balance, battery, \
            grid import, bandwidth, latency, allowed nodes, pools, backlog) within a relative 1e-6, recomputes \
            every node-period power figure and every summary figure, and checks the state.json beside the plan. Exit 0 and "plan ok", or exit 1 and every \
            violation; exit 2 when the scenario or the plan cannot be read.
            """)

    @OptionGroup var input: ScenarioArgument

    @Argument(help: "The plan.json to check.")
    var plan: String

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            let plan = try Plan.read(from: self.plan, for: scenario)
            // The state a plan/2 leaves sits beside it; checked too when it is there.
            let statePath = URL(fileURLWithPath: self.plan).deletingLastPathComponent().appendingPathComponent("state.json").path
            let state = FileManager.default.fileExists(atPath: statePath) && plan.schema == Plan.schemaVersion
                ? try PlanState.read(from: statePath) : nil
            let violations = PlanVerifier(scenario: scenario).verify(plan, state: state)
            if violations.isEmpty {
                print("plan ok: \(self.plan) satisfies every constraint of \(input.scenario); emissions \(String(format: "%.1f", plan.summary.carbonKg)) kg recomputed"
                      + (state == nil ? "" : "; \(statePath) is the state it leaves"))
                return
            }
            for v in violations { StandardError.write("violation: \(v)\n") }
            StandardError.write("\(violations.count) violation\(violations.count == 1 ? "" : "s"): do not act on this plan.\n")
            throw ExitCode(1)
        }
    }
}
