import Foundation

/// What actually happened over a scenario's horizon: the scenario with the measured series in
/// place of the forecasts. A series without a file in the actuals folder is taken as forecast.
public struct Actuals: Sendable {
    /// The forecast scenario with every measured series swapped in.
    public var scenario: Scenario
    /// Names of the series read from the actuals folder (`renewable_mw`, `demand_batch`, ...), in file order.
    public var measured: [String]
    /// Names of the series the folder leaves out, taken as forecast.
    public var asForecast: [String]
}

/// Reads an actuals folder (docs/evaluation.md): the files of a scenario's `timeseries/`, any
/// subset of them, checked by the scenario loader's own series reader so that every rule and
/// message of scenario.md applies unchanged.
public struct ActualsLoader {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    /// The series an actuals folder may hold for `scenario`, in the order they are reported.
    static func seriesNames(_ scenario: Scenario) -> [String] {
        ScenarioLoader.requiredSeries + ["price"] + (scenario.marginalKgPerMWh == nil ? [] : [ScenarioLoader.marginalSeries])
            + scenario.classes.map { "demand_\($0.id)" }
    }

    public func load(for forecast: Scenario) throws(InputError) -> Actuals {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError([Diagnostic(file: directory, "actuals folder not found (it holds files like the scenario's timeseries/: renewable_mw.csv, carbon_intensity.csv, temperature_c.csv, demand_<class>.csv)")])
        }
        var collector = DiagnosticCollector()
        let names = Self.seriesNames(forecast)
        // A misspelt file name would otherwise silently mean "as forecast".
        ScenarioLoader.checkFileNames(in: directory, classIDs: forecast.classes.map(\.id), &collector)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        if forecast.pricePerMWh == nil, files.contains("price.csv") {
            collector.report((directory as NSString).appendingPathComponent("price.csv"), nil,
                             "the scenario has no price.csv, so there is no price forecast to compare actual prices with")
        }

        let header = ScenarioLoader.Header(forecast)
        var actual = forecast
        var measured: [String] = [], asForecast: [String] = []
        for name in names {
            guard TextFile.exists((directory as NSString).appendingPathComponent("\(name).csv")) else {
                if name != "price" || forecast.pricePerMWh != nil { asForecast.append(name) }
                continue
            }
            guard let values = ScenarioLoader.readSeries(name, in: directory, header: header, required: false, &collector)
            else { continue }
            measured.append(name)
            actual.setSeries(named: name, values)
        }
        guard collector.isEmpty else { throw InputError(collector.diagnostics) }
        return Actuals(scenario: actual, measured: measured, asForecast: asForecast)
    }
}

extension ScenarioLoader.Header {
    /// The header of a scenario already loaded, so its series rules (nodes, horizon) apply to other files.
    init(_ scenario: Scenario) {
        self.init()
        name = scenario.name
        start = scenario.start
        periodMinutes = scenario.periodMinutes
        periodCount = scenario.periodCount
        commitPeriods = scenario.commitPeriods
        penalty = scenario.unservedPenaltyKgPerCUh
        carbonSignal = scenario.carbonSignal
        nodes = scenario.nodes
        classes = scenario.classes
        links = scenario.links
    }
}
