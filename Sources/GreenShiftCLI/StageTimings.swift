import Foundation
import GreenShift

/// What `greenshift optimize --timings` prints: one `key<TAB>value` line each for the LP's size,
/// the plan's objective (carbon + penalty x unserved, to compare with other solvers), every
/// stage's wall-clock seconds (the Optimizer's own stages, plus reading the scenario and writing
/// the plan) and the process's peak resident memory. `make bench` reads it.
enum StageTimings {
    static func text(_ result: OptimizationResult, scenario: Scenario, read: Double, write: Double, total: Double) -> String {
        let summary = result.plan.summary
        var lines: [String] = []
        if let s = result.plan.solver {
            lines += ["variables\t\(s.variables)", "rows\t\(s.constraints)", "nonzeros\t\(s.nonzeros)",
                      "iterations\t\(s.iterations)"]
        }
        let objective = summary.carbonKg + scenario.unservedPenaltyKgPerCUh * summary.unservedCUh
        lines.append("objective\t" + String(format: "%.6f", objective))
        lines.append("seconds.read\t" + format(read))
        for (stage, seconds) in result.timings { lines.append("seconds.\(stage.replacingOccurrences(of: " ", with: "-"))\t" + format(seconds)) }
        lines.append("seconds.write\t" + format(write))
        lines.append("seconds.total\t" + format(total))
        lines.append("peak_rss_mb\t" + String(format: "%.1f", peakResidentMegabytes()))
        return lines.joined(separator: "\n")
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.3f", seconds) }

    /// getrusage's ru_maxrss: kilobytes on Linux, bytes on macOS.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        #if os(macOS)
        getrusage(RUSAGE_SELF, &usage)
        return Double(usage.ru_maxrss) / 1_048_576
        #else
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
        #endif
    }
}
