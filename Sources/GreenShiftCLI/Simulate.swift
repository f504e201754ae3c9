import ArgumentParser
import Foundation
import GreenShift

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Backtest nightly planning over a history: greenshift against greedy schedulers, no shifting and hindsight.",
        discussion: """
            HISTORY_DIR holds scenario.toml (the fixed part; periods = one day), actuals/*.csv and \
            forecasts/YYYY-MM-DD/*.csv, the forecasts issued each night (docs/simulate.md). Every simulated day, \
            each policy plans that night's scenario (the committed day plus --look-ahead-hours, from the state \
            the day before left) on the night's forecast files, on greenshift's own forecasts from the actuals \
            before the night (--forecasts greenshift), or on the actuals (--forecasts perfect); the committed day is carried out on the actuals, and the realized state goes \
            to the next night. Writes simulation.json and simulation.html into SIM_DIR and keeps every day \
            under SIM_DIR/<policy>/<day>/: a rerun continues after the last finished day. A night whose plan \
            fails (infeasible, solver stopped) falls back to no-shift and is counted. One progress line per day \
            on standard error. Exit 2 for a bad history, 3 when the actuals leave a node unable to power its \
            idle load, 4 when the hindsight LP stops without an optimum.
            """)

    @Argument(help: "The history folder (HISTORY_DIR).")
    var history: String

    @Option(help: "Folder for simulation.json, simulation.html and the days (created if missing).")
    var out: String

    @Option(help: "Days to simulate from the first (default: every day in forecasts/).")
    var days: Int?

    @Option(help: "Policies, comma-separated: \(SimulationPolicy.allCases.map(\.rawValue).joined(separator: ", ")) (default: all).")
    var policies: String?

    @Option(name: .customLong("look-ahead-hours"), help: "Hours planned beyond the committed day (default 24).")
    var lookAheadHours = 24

    @Option(help: "What each night plans on: files (the history's forecasts/, the default), greenshift (its own forecasts from the actuals before the night, as `greenshift forecast` makes them) or perfect (the actuals).")
    var forecasts: String?

    @Option(name: .customLong("forecast-method"), help: "With --forecasts greenshift: \(ForecastMethod.allCases.map(\.rawValue).joined(separator: ", ")) (default auto).")
    var forecastMethod: String?

    @Flag(name: .customLong("perfect-forecasts"), help: "The same as --forecasts perfect.")
    var perfectForecasts = false

    @OptionGroup var cooling: CoolingLibraryOption

    @Flag(name: .shortAndLong, help: "Print no table.")
    var quiet = false

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a folder") }
        if let days, days < 1 { throw ValidationError("--days must be at least 1") }
        if lookAheadHours < 0 { throw ValidationError("--look-ahead-hours must not be negative") }
        _ = try parsedPolicies()
        _ = try parsedForecasts()
    }

    func parsedForecasts() throws -> SimulationForecasts {
        if perfectForecasts, let forecasts, forecasts != "perfect" {
            throw ValidationError("--perfect-forecasts and --forecasts \(forecasts) contradict each other")
        }
        let name = perfectForecasts ? "perfect" : forecasts ?? "files"
        var method = ForecastMethod.auto
        if let forecastMethod {
            guard name == "greenshift" else { throw ValidationError("--forecast-method goes with --forecasts greenshift") }
            guard let m = ForecastMethod(rawValue: forecastMethod) else {
                throw ValidationError("unknown forecast method '\(forecastMethod)'; known: \(ForecastMethod.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            method = m
        }
        guard let source = SimulationForecasts(name: name, method: method) else {
            throw ValidationError("unknown --forecasts '\(name)'; known: \(SimulationForecasts.names.joined(separator: ", "))")
        }
        return source
    }

    func parsedPolicies() throws -> [SimulationPolicy] {
        guard let policies else { return SimulationPolicy.allCases }
        return try policies.split(separator: ",").map { name in
            guard let p = SimulationPolicy(rawValue: name.trimmingCharacters(in: .whitespaces)) else {
                throw ValidationError("unknown policy '\(name)'; known: \(SimulationPolicy.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return p
        }
    }

    func run() throws {
        try runReportingErrors {
            let history = try SimulationHistory.load(self.history, days: days, coolingLibrary: cooling.directory)
            let options = SimulationOptions(lookAheadHours: lookAheadHours, policies: try parsedPolicies(),
                                            forecasts: try parsedForecasts())
            let results = try Simulator(history: history, directory: out, options: options,
                                        progress: { StandardError.write($0 + "\n") }).run()
            let report = SimulationReport(history: history, options: options, results: results)
            try OutputDirectory(path: out).write([
                ("simulation.json", report.json().rendered()),
                ("simulation.html", SimulationPage.html(report)),
            ])
            if !quiet { print(Self.table(report, out: out)) }
        }
    }

    static func table(_ r: SimulationReport, out: String) -> String {
        func row(_ cells: [String]) -> String {
            "  " + cells[0].padding(toLength: 17, withPad: " ", startingAt: 0)
                + cells.dropFirst().map { String(repeating: " ", count: max(0, 14 - $0.count)) + $0 }.joined()
        }
        func f(_ v: Double?, _ decimals: Int = 1) -> String { v.map { String(format: "%.\(decimals)f", $0) } ?? "-" }
        var lines = ["greenshift simulate: \(r.history), \(r.days) days, \(r.lookAheadHours) h look-ahead"
                        + ", planned " + r.forecastsDescription,
                     row(["policy", "carbon t", "unserved CU*h", "objective t", "regret t", "carbon cut %", "fallback days"])]
        for p in r.policies {
            let t = p.total
            lines.append(row([p.name, f(t.carbonKg / 1000), f(t.unservedCUh, 0), f(t.objectiveKg / 1000), f(t.regretKg.map { $0 / 1000 }),
                              f(t.shareOfHindsightCarbonCutPercent), "\(t.fallbackDays)"]))
        }
        lines.append("  carbon cut %: share of hindsight's emission cut below no-shift; regret with the unserved penalty")
        lines.append("  wrote \(out)/simulation.json, \(out)/simulation.html")
        return lines.joined(separator: "\n")
    }
}
