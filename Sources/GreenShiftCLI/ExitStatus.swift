import ArgumentParser
import Foundation
import GreenShift
import LinearProgramming

/// The one place that maps failures to exit codes (plan.md, "Exit status").
enum ExitStatus {
    static let badInput: Int32 = 2
    static let infeasible: Int32 = 3
    static let solverStopped: Int32 = 4
    static let other: Int32 = 1

    /// Prints the error to standard error and returns the exit code to end with.
    static func report(_ error: Error) -> ExitCode {
        let code: Int32
        let message: String
        switch error {
        case let e as InputError:
            code = badInput
            message = e.diagnostics.map { "error: \($0)" }.joined(separator: "\n")
                + "\n\(e.problemCount) problem\(e.problemCount == 1 ? "" : "s") found; nothing was written."
        case let e as InfeasibleError:
            code = infeasible
            message = "error: \(e)\nNothing was written."
        case let e as SolverStoppedError:
            code = solverStopped
            message = "error: \(e)\nNothing was written."
        default:
            code = other
            message = "error: \(error)"
        }
        StandardError.write(message + "\n")
        return ExitCode(code)
    }
}

/// Runs a command body and turns any failure into the right exit code.
func runReportingErrors(_ body: () throws -> Void) throws {
    do {
        try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        throw ExitStatus.report(error)
    }
}

struct ScenarioArgument: ParsableArguments {
    @Argument(help: "The scenario folder (scenario.toml, timeseries/, optional cooling/).")
    var scenario: String

    @OptionGroup var cooling: CoolingLibraryOption

    func load() throws -> Scenario {
        try ScenarioLoader(directory: scenario, coolingLibrary: cooling.directory).load()
    }
}

/// `--cooling-library`, for every command that loads a scenario.
struct CoolingLibraryOption: ParsableArguments {
    @Option(name: .customLong("cooling-library"), help: "Folder of the shipped cooling models (default: $GREENSHIFT_COOLING_LIBRARY, else share/greenshift/cooling beside the installed program, else Models/cooling of the checkout it was built in).")
    var coolingLibrary: String?

    var directory: String? { coolingLibrary ?? CoolingModelLoader.defaultLibraryDirectory() }
}
