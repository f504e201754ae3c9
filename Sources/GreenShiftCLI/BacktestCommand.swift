import ArgumentParser
import Foundation
import GreenShift

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Rolling-origin evaluation of every forecasting method on every series of a history.",
        discussion: """
            WINDOWS forecasts of HORIZON periods each, origins STEP periods apart (default: HORIZON), the last \
            ending with the history; each forecast sees only the history before its origin. Writes backtest.json \
            (MAE, RMSE, WAPE, MASE overall and by lead time, quantile coverage, run time) and backtest.html into \
            OUT. MASE is scaled by naive-week on the same windows. docs/forecast.md.
            """)

    @OptionGroup var input: HistoryOptions

    @Option(help: "Periods per forecast.")
    var horizon: Int

    @Option(help: "Number of forecast windows.")
    var windows: Int

    @Option(help: "Periods between window origins (default: the horizon).")
    var step: Int?

    @Option(help: "Folder for backtest.json and backtest.html (created if missing).")
    var out: String

    @Flag(name: .shortAndLong, help: "Print no summary.")
    var quiet = false

    func run() throws {
        try runReportingErrors {
            let history = try HistoryReader(directory: input.history).read()
            let b = try Backtest.run(history: history, horizon: horizon, windows: windows, step: step,
                                     quantiles: try input.levels(default: [0.1, 0.5, 0.9]), holidays: try input.holidayDays())
            try OutputDirectory(path: out).write([("backtest.json", b.json().rendered()), ("backtest.html", BacktestPage.html(b))])
            if !quiet { print(Self.summary(b, out: out)) }
        }
    }

    static func summary(_ b: Backtest, out: String) -> String {
        var lines = ["greenshift backtest: \(b.origins.count) window\(b.origins.count == 1 ? "" : "s") of \(b.horizon) period\(b.horizon == 1 ? "" : "s"), \(String(format: "%.2f", b.seconds)) s"]
        for c in b.columns {
            let auto = c.result(.auto)!
            let mase = auto.overall.mase.map { String(format: "%.3f", $0) } ?? "-"
            let best = c.result(c.best)!.overall.mase.map { String(format: "%.3f", $0) } ?? "-"
            lines.append("  \(c.file) \(c.column): auto MASE \(mase) (best \(c.best.rawValue) \(best))")
        }
        lines.append("  wrote           \(out)/backtest.json, \(out)/backtest.html")
        return lines.joined(separator: "\n")
    }
}
