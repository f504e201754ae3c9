import ArgumentParser
import Foundation
import GreenShift

@main
struct GreenShiftCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "greenshift",
        abstract: "Plan where and when flexible data-center work runs to cut carbon emissions.",
        discussion: """
            Reads a scenario folder (scenario.toml, timeseries/*.csv, optional cooling/), builds the linear
            program of the greenshift model and solves it with GLPK.

            Exit status: 0 plan written, 2 bad input, 3 infeasible, 4 solver stopped without an optimal plan,
            1 any other failure.
            """,
        version: "0.1.0",
        subcommands: [Optimize.self, Validate.self, Export.self, ReportCommand.self, Evaluate.self])
}
