import ArgumentParser
import Foundation
import GreenShift

/// Options `forecast` and `backtest` share.
struct HistoryOptions: ParsableArguments {
    @Argument(help: "Folder of history series in the scenario's timeseries/ layout (any of renewable_mw.csv, carbon_intensity.csv, temperature_c.csv, price.csv, demand_<class>.csv).")
    var history: String

    @Option(help: "Quantile levels in (0, 1), comma-separated, e.g. 0.1,0.5,0.9 (forecast: each writes <series>.qNN.csv; none unless asked. backtest: their coverage; default 0.1,0.5,0.9).")
    var quantiles: String?

    @Option(help: "File of public holidays, one YYYY-MM-DD a line: forecast like Sundays.")
    var holidays: String?

    /// The levels asked for; a usage error (exit 64) when one is not in (0, 1), none is given, or
    /// two would write the same file.
    func levels(default fallback: [Double]) throws(ValidationError) -> [Double] {
        guard let quantiles else { return fallback }
        var levels: [Double] = []
        for text in quantiles.split(separator: ",", omittingEmptySubsequences: false) {
            guard let q = Double(text.trimmingCharacters(in: .whitespaces)), q > 0, q < 1 else {
                throw ValidationError("--quantiles: '\(text)' is no level in (0, 1)")
            }
            if let same = levels.first(where: { ForecastSet.quantileSuffix($0) == ForecastSet.quantileSuffix(q) }) {
                throw ValidationError("--quantiles: \(same) and \(q) are one level to four decimals (\(ForecastSet.quantileSuffix(q)))")
            }
            levels.append(q)
        }
        return levels
    }

    func validate() throws { _ = try levels(default: []) }

    func holidayDays() throws -> Holidays { try holidays.map { try Holidays(file: $0) } ?? Holidays() }
}

struct Forecast: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Forecast every series of a history for the next periods, in the scenario's timeseries/ layout.",
        discussion: """
            Per column, --method auto (the default) backtests naive-day, naive-week, holt-winters, mstl and, for \
            demand, regression on up to 28 daily windows of the history before --from and uses the one with \
            the lowest mean absolute error. renewable_mw and temperature_c (weather) get a daily season only, \
            other series a daily and a weekly one. Series other than temperature and price stay >= 0. Quantile forecasts come from that \
            backtest's errors by lead time. A short history makes a method fall back, and says so; less than \
            a day, gaps, repeated timestamps or bad values are bad input (exit 2). docs/forecast.md.
            """)

    @OptionGroup var input: HistoryOptions

    @Option(help: "Start of the first forecast period (ISO 8601 with offset); history from there on is not used.")
    var from: String

    @Option(help: "Number of periods to forecast.")
    var periods: Int

    @Option(help: "auto, naive-day, naive-week, holt-winters, mstl or regression.")
    var method: String = ForecastMethod.auto.rawValue

    @Option(help: "Folder for the forecast files (created if missing).")
    var out: String

    @Flag(name: .shortAndLong, help: "Print no summary.")
    var quiet = false

    func validate() throws {
        guard ForecastMethod(rawValue: method) != nil else {
            throw ValidationError("--method must be one of \(ForecastMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard periods >= 1 else { throw ValidationError("--periods must be at least 1") }
        let resolved = { (path: String) in URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path }
        guard resolved(out) != resolved(input.history) else {
            throw ValidationError("--out is the history folder: the forecasts would replace the history they are made from")
        }
    }

    func run() throws {
        try runReportingErrors {
            let start: Timestamp
            do { start = try Timestamp(parsing: from) } catch {
                throw InputError([Diagnostic(file: "--from", "'\(from)' is no timestamp YYYY-MM-DDTHH:MM[:SS] with Z or +HH:MM")])
            }
            let history = try HistoryReader(directory: input.history).read()
            let set = try Forecaster.forecast(history: history, from: start, periods: periods, method: ForecastMethod(rawValue: method)!,
                                              quantiles: try input.levels(default: []), holidays: try input.holidayDays())
            let files = set.csvFiles()
            // Earlier runs' quantile files of these series, for levels not asked for now, would
            // mix with this set in a scenario's timeseries/.
            try OutputDirectory(path: out).write(files, owning: set.files.map { OutputDirectory.OwnedFiles(folder: "", prefix: $0.name + ".q", suffix: ".csv", digitsBetween: true) })
            for note in set.notes { FileHandle.standardError.write(Data("note: \(note)\n".utf8)) }
            if !quiet {
                print("greenshift forecast: \(periods) periods from \(set.start)")
                for file in set.files {
                    let methods = Dictionary(grouping: file.columns, by: \.method).map { "\($0.key.rawValue) x\($0.value.count)" }.sorted()
                    print("  \(file.name): \(methods.joined(separator: ", "))")
                }
                print("  wrote           \(files.count) file\(files.count == 1 ? "" : "s") to \(out)")
            }
        }
    }
}
