import ArgumentParser
import Foundation
import GreenShift

@main
struct GreenShiftCommand: ParsableCommand {
    static func main() {
        StandardStreams.secure()
        Signals.endCleanly()
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            // A usage error exits 64 (EX_USAGE), ArgumentParser's status, as docs/plan-format.md says.
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
            64 a wrong command line, 1 any other failure.
            """,
        version: GreenShiftVersion.current,
        subcommands: [Optimize.self, Validate.self, Verify.self, Export.self, ReportCommand.self, Generate.self, Evaluate.self,
                      Forecast.self, BacktestCommand.self, Schedule.self, Now.self, Simulate.self])
}

/// Standard input, output and error as the exit codes need them, whatever the caller left.
enum StandardStreams {
    static func secure() {
        // A closed descriptor 0, 1 or 2 would be reused by the next open(2): the plan's own
        // temporary file would receive the summary or the error messages. /dev/null takes its place.
        for fd: Int32 in 0 ... 2 where fcntl(fd, F_GETFD) == -1 && errno == EBADF {
            let null = open("/dev/null", O_RDWR)
            if null >= 0, null != fd { dup2(null, fd); close(null) }
        }
        // A reader that went away (`greenshift ... | head`) gives EPIPE on write, which is
        // ignored (StandardError), instead of SIGPIPE ending the run with status 141.
        signal(SIGPIPE, SIG_IGN)
        // Likewise a file size limit (ulimit -f) makes write(2) fail with EFBIG, reported as a
        // write error with the previous files kept, instead of SIGXFSZ dumping core.
        signal(SIGXFSZ, SIG_IGN)
    }
}

/// SIGINT, SIGTERM and SIGHUP end a run with a message and the conventional status 128 + signal.
/// Output files are only ever renamed into place with these signals held back (OutputDirectory),
/// so whenever one arrives the output folder holds a complete plan: the last good one or the new one.
/// The temporary files of a write under way, and the folders it created, are removed on the way out.
enum Signals {
    static func endCleanly() {
        TemporaryFiles.prepare()
        // A parent may start us with these signals blocked (the mask is inherited); a nightly
        // run must still be stoppable.
        var signals = sigset_t()
        sigemptyset(&signals)
        for sig in TemporaryFiles.terminationSignals { sigaddset(&signals, sig) }
        pthread_sigmask(SIG_UNBLOCK, &signals, nil)
        for sig in TemporaryFiles.terminationSignals {
            signal(sig) { sig in
                // Only async-signal-safe calls here: unlink(2), rmdir(2), write(2) and _exit(2).
                TemporaryFiles.removeAll()
                let message: StaticString = "greenshift: stopped by a signal; the output folder holds the last complete plan\n"
                _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
                _exit(128 + sig)
            }
        }
    }
}
