import ArgumentParser
import Foundation
import GreenShift
import LinearProgramming

struct Optimize: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Optimize a scenario and write plan.json, placements.csv, state.json, capacity.csv, routing.csv, settlement.csv, settlement-summary.csv, report.html and report-data/.",
        discussion: """
            Files in OUT_DIR are replaced whole, only after the plan is solved and verified: a failed run leaves \
            the last good files untouched.
            """)

    @OptionGroup var input: ScenarioArgument

    @Option(name: .long, help: "Folder for the plan (created if missing).")
    var out: String

    @Option(name: .customLong("time-limit"), help: "Stop the solver after this many seconds (exit 4, nothing written).")
    var timeLimit: Double?

    @Option(name: .long, help: "Simplex method: dual (default), primal, or interior.")
    var method: SolverOptions.Method = .dualSimplex

    @Flag(name: .customLong("no-tie-break"), help: "Skip the tie-break among carbon-optimal plans (lower cost, fewer moves).")
    var noTieBreak = false

    @Option(name: .customLong("solver-log"), help: "Write GLPK's own output to this file.")
    var solverLog: String?

    @Flag(name: .shortAndLong, help: "Print no summary.")
    var quiet = false

    @Flag(help: ArgumentHelp("Print the LP's size, each stage's seconds and peak memory, tab-separated (for `make bench`; see docs/performance.md).",
                             visibility: .hidden))
    var timings = false

    @Flag(name: .customLong("no-sifting"),
          help: ArgumentHelp("Solve the whole LP in one GLPK call instead of node by node with sifting (for comparison; see docs/performance.md).",
                             visibility: .hidden))
    var noSifting = false

    func validate() throws {
        if let t = timeLimit, !(t > 0 && t.isFinite) { throw ValidationError("--time-limit must be a positive number of seconds") }
        if out.isEmpty { throw ValidationError("--out must name a folder") }
        if solverLog?.isEmpty == true { throw ValidationError("--solver-log must name a file") }
    }

    func run() throws {
        try runReportingErrors {
            let started = Date()
            let scenario = try input.load()
            // Hashed right after reading, so that the record is of the files this run read.
            let inputs = try PlanInputs.of(scenario, directory: input.scenario)
            let loadSeconds = Date().timeIntervalSince(started)
            var options = OptimizerOptions()
            options.solver.method = method
            options.solver.timeLimitSeconds = timeLimit
            options.tieBreak = !noTieBreak
            options.sifting = !noSifting
            var result = try Optimizer.optimize(scenario, options: options)
            result.plan.inputs = inputs
            if let solverLog {
                do { try OutputDirectory.replaceFile(at: solverLog, contents: result.solverLog) } catch {
                    throw OutputDirectory.WriteError(description: "--solver-log: \(error); the plan was not written")
                }
            }
            let writeStarted = Date()
            let ledger = result.plan.settlement?.rows ?? SettlementLedger.rows(plan: result.plan, scenario: scenario)
            try OutputDirectory(path: out).write([
                ("plan.json", result.plan.jsonWithSchedulerSections().rendered()),
                ("placements.csv", result.plan.placementsCSV()),
                ("state.json", result.state.json().rendered()),
                ("capacity.csv", result.plan.capacityCSV()),
                ("routing.csv", result.plan.routingCSV()),
                ("settlement.csv", SettlementLedger.csv(ledger, marginal: scenario.marginalKgPerMWh != nil)),
                ("settlement-summary.csv", SettlementLedger.summaryCSV(ledger, scenario: scenario, marginal: scenario.marginalKgPerMWh != nil)),
            ] + Report.files(plan: result.plan, scenario: scenario, settlement: ledger), owning: [Report.ownedDataFiles])
            let writeSeconds = Date().timeIntervalSince(writeStarted)
            if timings {
                print(StageTimings.text(result, scenario: scenario, read: loadSeconds, write: writeSeconds, total: Date().timeIntervalSince(started)))
            }
            if !quiet { print(Summary.text(result, scenario: scenario, seconds: Date().timeIntervalSince(started), out: out)) }
        }
    }
}

extension SolverOptions.Method: ExpressibleByArgument {}

enum Summary {
    static func text(_ result: OptimizationResult, scenario: Scenario, seconds: Double, out: String) -> String {
        let s = result.plan.summary
        let solver = result.plan.solver
        func t(_ kg: Double) -> String { String(format: "%.3f t", kg / 1000) }
        var lines = [
            "greenshift: \(scenario.name), \(scenario.nodes.count) nodes, \(scenario.periodCount) x \(scenario.periodMinutes) min from \(scenario.start)",
            "  emissions       \(t(s.carbonKg)) CO2 (grid \(t(s.gridCarbonKg)), network \(t(s.networkCarbonKg)))",
            "  baseline        \(t(s.baselineCarbonKg)) CO2 without shifting",
            "  reduction       \(String(format: "%.2f", s.reductionPercent)) %",
            "  renewables      \(String(format: "%.1f", s.renewableUsedMWh)) MWh used, \(String(format: "%.1f", s.renewableCurtailedMWh)) MWh curtailed",
            "  work            \(String(format: "%.0f", s.workCUh)) CU*h run, \(String(format: "%.0f", s.movedCUh)) moved",
            "  unserved        \(String(format: "%.0f", s.unservedCUh)) CU*h" + (s.unservedCUh > 0 ? "  <-- WORK LEFT UNSERVED" : "")
                + " (baseline \(String(format: "%.0f", s.baselineUnservedCUh)))",
        ]
        let poolTypes = Set(scenario.nodes.flatMap { $0.pools.map(\.type) })
        if poolTypes.count > 1 {
            // Each pool type counts in its own unit (a CPU server-hour, an accelerator-hour): say them apart.
            var byPool: [String: Double] = [:]
            for p in result.plan.placements { byPool[p.pool, default: 0] += p.cuH }
            lines.append("  by pool         " + poolTypes.sorted().map { "\($0) \(String(format: "%.0f", byPool[$0] ?? 0))" }.joined(separator: ", ") + " CU*h run, each in its pool's unit")
        }
        if let cost = s.cost { lines.append("  cost            \(String(format: "%.2f", cost))") }
        if let signal = result.plan.carbonSignal, let marginal = s.marginalCarbonKg, let average = s.averageCarbonKg {
            lines.append("  signal          optimized \(signal); average \(t(average)), marginal \(t(marginal)) CO2")
        }
        if (s.backlogInCUh ?? 0) > 0 || (s.backlogOutCUh ?? 0) > 0 {
            lines.append("  backlog         \(String(format: "%.0f", s.backlogInCUh ?? 0)) CU*h in, \(String(format: "%.0f", s.backlogOutCUh ?? 0)) CU*h left after \(scenario.commitPeriods) committed periods")
        }
        if let solver {
            lines.append("  LP              \(solver.variables) variables, \(solver.constraints) constraints, \(solver.nonzeros) nonzeros")
            lines.append("  solve           \(String(format: "%.2f", solver.solveSeconds)) s (\(solver.iterations) iterations, \(solver.solver) \(solver.method)); baseline \(String(format: "%.2f", solver.baselineSeconds)) s; total \(String(format: "%.2f", seconds)) s")
        }
        lines.append("  wrote           \(out)/plan.json, \(out)/placements.csv, \(out)/state.json, \(out)/capacity.csv, \(out)/routing.csv, \(out)/settlement.csv, \(out)/settlement-summary.csv, \(out)/report.html, \(out)/report-data/")
        return lines.joined(separator: "\n")
    }
}
