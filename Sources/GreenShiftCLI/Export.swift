import ArgumentParser
import GreenShift
import LinearProgramming

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the scenario's linear program as MPS or CPLEX LP, for other solvers.",
        discussion: "Rows and columns carry readable names, e.g. x[batch,shanghai,qingyang,3] or capacity[qingyang,3].")

    @OptionGroup var input: ScenarioArgument

    @Option(help: "mps (free MPS) or lp (CPLEX LP).")
    var format: GLPKProblem.FileFormat = .mps

    @Option(help: "The file to write.")
    var out: String

    @Flag(help: "Export the no-shifting baseline instead of the full model.")
    var baseline = false

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            try IdleFeasibility.check(scenario)
            let formulation = Formulation(scenario, mode: baseline ? .baseline : .optimize, names: true)
            try GLPKProblem(formulation.program).write(to: out, format: format)
            print("wrote \(out): \(formulation.program.columnCount) columns, \(formulation.program.rowCount) rows")
        }
    }
}

extension GLPKProblem.FileFormat: ExpressibleByArgument {}
