import ArgumentParser
import Foundation
import GreenShift
import LinearProgramming

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the scenario's linear program as MPS or CPLEX LP, for other solvers.",
        discussion: """
            Rows and columns carry readable names, e.g. x[batch,shanghai,qingyang,3] (work moved) or g[qingyang,3] (grid import). \
            With --format mathprog-data, writes instead the data section for Models/greenshift.mod, the \
            GNU MathProg statement of the model: glpsol --model Models/greenshift.mod --data FILE.
            """)

    enum Format: String, CaseIterable, ExpressibleByArgument {
        case mps, lp
        case mathprogData = "mathprog-data"
    }

    @OptionGroup var input: ScenarioArgument

    @Option(help: "mps (free MPS), lp (CPLEX LP) or mathprog-data (data for Models/greenshift.mod).")
    var format: Format = .mps

    @Option(help: "The file to write.")
    var out: String

    @Flag(help: "Export the no-shifting baseline instead of the full model.")
    var baseline = false

    func validate() throws {
        if baseline, format == .mathprogData { throw ValidationError("--baseline applies to mps and lp only") }
        if out.isEmpty { throw ValidationError("--out must name a file") }
    }

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            try IdleFeasibility.check(scenario)
            switch format {
            case .mathprogData:
                try OutputDirectory.replaceFile(at: out, contents: MathProgData.text(scenario))
                print("wrote \(out): data for Models/greenshift.mod")
            case .mps, .lp:
                let formulation = Formulation(scenario, mode: baseline ? .baseline : .optimize, names: true)
                let problem = try GLPKProblem(formulation.program)
                try OutputDirectory.replaceFile(at: out) { temporary in try problem.write(to: temporary, format: format == .mps ? .mps : .lp) }
                print("wrote \(out): \(formulation.program.columnCount) columns, \(formulation.program.rowCount) rows")
            }
        }
    }
}
