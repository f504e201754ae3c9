import Foundation

/// The input of `greenshift simulate` (docs/simulate.md, Data/README.md "A 30-day history"):
///
///     scenario.toml              the fixed part: nodes, classes, links, cooling, penalty;
///                                `start` is day 1's first instant, `periods` one day
///     actuals/*.csv              what really happened, from `start`, at least every simulated day
///     forecasts/YYYY-MM-DD/*.csv the forecasts issued at that day's start, from that instant
///
/// Every file is read with the scenario loader's own rules and messages.
public struct SimulationHistory: Sendable {
    /// The fixed part with the actuals as its series: `periodCount` is the number of actual rows.
    public var actual: Scenario
    /// Each day's forecasts as a scenario starting that day (as many periods as the files have rows).
    public var forecasts: [Scenario]
    /// The folder name of each day in `forecasts/`.
    public var dayNames: [String]
    /// Periods of one day: the committed part of every night's plan (scenario.toml's `periods`).
    public var periodsPerDay: Int

    public var days: Int { forecasts.count }

    /// Reads the history, `days` of it (all days in `forecasts/` when nil).
    public static func load(_ directory: String, days: Int? = nil,
                            coolingLibrary: String? = CoolingModelLoader.defaultLibraryDirectory()) throws(InputError) -> SimulationHistory {
        func path(_ relative: String) -> String { (directory as NSString).appendingPathComponent(relative) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError([Diagnostic(file: directory, "history folder not found (it holds scenario.toml, actuals/ and forecasts/YYYY-MM-DD/)")])
        }
        let loader = ScenarioLoader(directory: directory, coolingLibrary: coolingLibrary)
        let (fixed, cooling) = try loader.loadFixedPart()
        let perDay = fixed.periodCount
        guard perDay * fixed.periodMinutes == 24 * 60 else {
            throw InputError([Diagnostic(file: path("scenario.toml"), "[scenario] periods x period_minutes must be one day (1440 min) in a history: it is the committed part of every night")])
        }
        let available = ((try? FileManager.default.contentsOfDirectory(atPath: path("forecasts"))) ?? []).filter { !$0.hasPrefix(".") }
        let dayCount = days ?? available.count
        guard dayCount >= 1 else {
            throw InputError([Diagnostic(file: path("forecasts"), "no forecast days: the folder must hold one folder per day, named YYYY-MM-DD")])
        }

        var collector = DiagnosticCollector()
        /// The series of `folder` with the fixed part's nodes and classes, from `start`, as many
        /// periods as its renewable_mw.csv has rows.
        func series(_ folder: String, start: Timestamp, atLeast: Int) -> Scenario? {
            var header = fixed
            header.start = start
            let rows = Self.dataRows(folder + "/renewable_mw.csv")
            header.periodCount = max(rows, 1)
            header.commitPeriods = nil
            if rows < atLeast {
                collector.report(folder + "/renewable_mw.csv", nil, "\(rows) data rows, but at least \(atLeast) are needed (\(atLeast / perDay) day\(atLeast == perDay ? "" : "s") of \(perDay) periods)")
                return nil
            }
            guard let s = loader.readTimeSeries(header, in: folder, &collector) else { return nil }
            return try? loader.scenario(header, s, cooling)
        }
        let actual = series(path("actuals"), start: fixed.start, atLeast: dayCount * perDay)
        var forecasts: [Scenario] = [], names: [String] = []
        for d in 0 ..< dayCount {
            let start = fixed.start.adding(minutes: d * perDay * fixed.periodMinutes)
            let name = String(start.description.prefix(10))
            names.append(name)
            let folder = path("forecasts/" + name)
            guard FileManager.default.fileExists(atPath: folder) else {
                collector.report(folder, nil, "forecast folder of day \(d + 1) not found (one folder per day, named for the day's start in the scenario's UTC offset)")
                continue
            }
            if let f = series(folder, start: start, atLeast: perDay) { forecasts.append(f) }
        }
        guard collector.isEmpty, let actual, forecasts.count == dayCount else {
            throw InputError(collector.diagnostics.isEmpty
                ? [Diagnostic(file: directory, "the history could not be read")] : collector.diagnostics)
        }
        return SimulationHistory(actual: actual, forecasts: forecasts, dayNames: names, periodsPerDay: perDay)
    }

    /// Data rows of a CSV file (lines after the header that are not empty); 0 when unreadable.
    static func dataRows(_ file: String) -> Int {
        guard case .success(let text) = TextFile.read(file, displayName: file) else { return 0 }
        return max(0, text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.count - 1)
    }
}

extension Scenario {
    /// Periods `range` of this scenario as a scenario of their own: series cut, start moved, every
    /// period committed, no backlog (a state is applied with `applying(state:)`), batteries at
    /// their initial energy.
    func window(_ range: Range<Int>) -> Scenario {
        func cut(_ s: [[Double]]) -> [[Double]] { s.map { Array($0[range]) } }
        var w = self
        w.start = periodStart(range.lowerBound)
        w.periodCount = range.count
        w.commitPeriods = range.count
        w.backlog = []
        w.nodes = nodes.map { var n = $0; n.battery?.stateEnergyMWh = nil; return n }
        w.renewableMW = cut(renewableMW)
        w.averageKgPerMWh = cut(averageKgPerMWh)
        w.marginalKgPerMWh = marginalKgPerMWh.map(cut)
        w.temperatureC = cut(temperatureC)
        w.pricePerMWh = pricePerMWh.map(cut)
        w.demandCUh = demandCUh.map(cut)
        return w
    }

    /// This scenario starting from the state in `file` (a state.json, scenario.md's rules).
    func applying(stateFile file: String) throws(InputError) -> Scenario {
        var header = ScenarioLoader.Header(self)
        var collector = DiagnosticCollector()
        StateLoader(file: file).read(into: &header, &collector)
        guard collector.isEmpty else { throw InputError(collector.diagnostics) }
        var s = self
        s.backlog = header.backlog
        s.nodes = header.nodes
        return s
    }
}
