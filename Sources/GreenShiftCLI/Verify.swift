import ArgumentParser
import Foundation
import GreenShift

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a plan against its scenario without solving anything.",
        discussion: """
            Checks every constraint of the model (arrival, deadlines, capacity, power balance, battery, \
            grid import, bandwidth, latency, allowed nodes, pools, backlog) within a relative 1e-6, recomputes \
            every node-period power figure and every summary figure, sums the settlement ledger against them, and checks the state.json beside the plan. Exit 0 and "plan ok", or exit 1 and every \
            violation; exit 2 when the scenario or the plan cannot be read. When the scenario's files are not those the plan \
            records in `inputs` (SHA-256), a warning names each file that changed, is missing or was added; the exit status \
            stays, unless --strict.
            """)

    @OptionGroup var input: ScenarioArgument

    @Argument(help: "The plan.json to check.")
    var plan: String

    @Flag(help: "Exit 1 when the scenario's files are not those the plan was made from (a plan that records none passes, with a note).")
    var strict = false

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            let plan = try Plan.read(from: self.plan, for: scenario)
            // The state a plan/2 leaves sits beside it; checked too when it is there.
            let statePath = URL(fileURLWithPath: self.plan).deletingLastPathComponent().appendingPathComponent("state.json").path
            let state = FileManager.default.fileExists(atPath: statePath) && plan.schema == Plan.schemaVersion
                ? try PlanState.read(from: statePath) : nil
            let differences = try inputDifferences(plan, scenario)
            let violations = PlanVerifier(scenario: scenario).verify(plan, state: state)
            if violations.isEmpty, strict, !differences.isEmpty {
                StandardError.write("--strict: \(self.plan) satisfies every constraint, but was made from other inputs: do not act on it.\n")
                throw ExitCode(1)
            }
            if violations.isEmpty {
                print("plan ok: \(self.plan) satisfies every constraint of \(input.scenario); emissions \(String(format: "%.1f", plan.summary.carbonKg)) kg recomputed"
                      + (state == nil ? "" : "; \(statePath) is the state it leaves")
                      + (plan.inputs == nil || !differences.isEmpty ? "" : "; made from these very files (SHA-256)"))
                return
            }
            for v in violations { StandardError.write("violation: \(v)\n") }
            StandardError.write("\(violations.count) violation\(violations.count == 1 ? "" : "s"): do not act on this plan.\n")
            throw ExitCode(1)
        }
    }

    /// The files that differ from those the plan records, each reported as a warning; a plan that
    /// records none gets a note instead.
    private func inputDifferences(_ plan: Plan, _ scenario: Scenario) throws -> [String] {
        guard let recorded = plan.inputs else {
            StandardError.write("note: \(self.plan) records no inputs (a plan/1 file, or one written before they were recorded): whether it was made from these files of \(input.scenario) is not checked\n")
            return []
        }
        let differences = recorded.differences(from: try PlanInputs.of(scenario, directory: input.scenario))
        guard !differences.isEmpty else { return [] }
        StandardError.write("warning: \(input.scenario) is not the scenario \(self.plan) was made from (SHA-256 of its files):\n")
        for d in differences { StandardError.write("warning:   \(d)\n") }
        return differences
    }
}
