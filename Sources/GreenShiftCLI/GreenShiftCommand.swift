import ArgumentParser
import Foundation
import GreenShift

@main
struct GreenShiftCommand: ParsableCommand {
    static func main() {
        Signals.endCleanly()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // plan.md gives 2, 3 and 4 their meanings; a usage error is "any other failure", 1,
            // not the 64 (EX_USAGE) that ArgumentParser would use.
            if exitCode(for: error) == .validationFailure {
                FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
                Foundation.exit(ExitStatus.other)
            }
            exit(withError: error)
        }
    }

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
        subcommands: [Optimize.self, Validate.self, Verify.self, Export.self, ReportCommand.self, Generate.self, Evaluate.self,
                      Schedule.self, Now.self])
}

/// SIGINT, SIGTERM and SIGHUP end a run with a message and the conventional status 128 + signal.
/// Output files are only ever renamed into place with these signals held back (OutputDirectory),
/// so whenever one arrives the output folder holds a complete plan: the last good one or the new one.
enum Signals {
    static func endCleanly() {
        // A parent may start us with these signals blocked (the mask is inherited); a nightly
        // run must still be stoppable.
        var signals = sigset_t()
        sigemptyset(&signals)
        for sig in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&signals, sig) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for sig in [SIGINT, SIGTERM, SIGHUP] {
            signal(sig) { sig in
                // Only async-signal-safe calls here: write(2) and _exit(2).
                let message: StaticString = "greenshift: stopped by a signal; the output folder holds the last complete plan\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _exit(128 + sig)
            }
        }
    }
}
