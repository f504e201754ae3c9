import Foundation

/// Measured series of a site, in the scenario's wide CSV layout (scenario.md, "Time series"):
/// one file per series, a `timestamp` column and one column per node. All files cover the same
/// periods. `greenshift forecast` and `greenshift backtest` read it (docs/forecast.md).
public struct History: Sendable {
    /// One file: `renewable_mw`, `carbon_intensity`, `temperature_c`, `price` or `demand_<class>`.
    public struct File: Sendable {
        /// The file name without `.csv`.
        public var name: String
        public var columns: [String]
        /// `[column][period]`.
        public var values: [[Double]]

        public init(name: String, columns: [String], values: [[Double]]) {
            self.name = name; self.columns = columns; self.values = values
        }

        /// Temperatures and prices may be negative; every other series is >= 0 (scenario.md).
        public var nonNegative: Bool { name != "temperature_c" && name != "price" }
        public var isDemand: Bool { name.hasPrefix("demand_") }
        /// Weather (renewable output, temperature) keeps no week: a weekly season fitted to it is
        /// noise, so its methods fit the daily season only.
        public var hasWeeklyCycle: Bool { name != "renewable_mw" && name != "temperature_c" }
    }

    /// Start of the first period, in the offset the files are written in.
    public var start: Timestamp
    public var periodMinutes: Int
    public var periodCount: Int
    public var files: [File]

    public init(start: Timestamp, periodMinutes: Int, periodCount: Int, files: [File]) {
        self.start = start; self.periodMinutes = periodMinutes; self.periodCount = periodCount; self.files = files
    }

    public var periodsPerDay: Int { 1440 / periodMinutes }

    public func periodStart(_ t: Int) -> Timestamp { start.adding(minutes: t * periodMinutes) }

    /// The first `count` periods only: the history as it was known at period `count`.
    public func prefix(_ count: Int) -> History {
        History(start: start, periodMinutes: periodMinutes, periodCount: count,
                files: files.map { File(name: $0.name, columns: $0.columns, values: $0.values.map { Array($0.prefix(count)) }) })
    }

    /// The series names a history folder may hold: those of a scenario's timeseries/.
    static let seriesNames = ScenarioLoader.requiredSeries + ["price"]

    /// Series `names` of a scenario (`Scenario.seriesNames`) as a history, one column per node: a
    /// simulation's actuals, to forecast from.
    public init(_ scenario: Scenario, series names: [String]) {
        self.init(start: scenario.start, periodMinutes: scenario.periodMinutes, periodCount: scenario.periodCount,
                  files: names.compactMap { name in
                      scenario.series(named: name).map { File(name: name, columns: scenario.nodes.map(\.id), values: $0) }
                  })
    }
}

/// Reads a history folder with the scenario's own series reader (`SeriesReader`), so the same
/// rules give the same messages: a gap or a repeated timestamp is a timestamp that "should be"
/// another, with file and line. The horizon the reader checks against comes from the file itself:
/// its first timestamp, the usual step between rows, and its row count.
public struct HistoryReader {
    public let directory: String

    public init(directory: String) { self.directory = directory }

    public func read() throws(InputError) -> History {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw InputError([Diagnostic(file: directory, isDirectory.boolValue ? "not found" : "history folder not found or not a folder")])
        }
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
            .filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }
        let classIDs = names.filter { $0.hasPrefix("demand_") }.map { String($0.dropFirst("demand_".count)) }
        var collector = DiagnosticCollector()
        ScenarioLoader.checkFileNames(in: directory, known: History.seriesNames, classIDs: classIDs, &collector)
        for name in names where name == "demand_" {
            collector.report((directory as NSString).appendingPathComponent(name + ".csv"), nil, "demand_.csv names no class; demand files are demand_<class>.csv")
        }
        let series = names.filter { History.seriesNames.contains($0) || ($0.hasPrefix("demand_") && $0 != "demand_") }
        if series.isEmpty, collector.isEmpty {
            collector.report(directory, nil, "no history series found; expected any of \(History.seriesNames.map { $0 + ".csv" }.joined(separator: ", ")), demand_<class>.csv")
        }
        var files: [History.File] = []
        var shape: (file: String, header: ScenarioLoader.Header)?
        for name in series {
            let path = (directory as NSString).appendingPathComponent(name + ".csv")
            guard let header = Self.shape(of: path, &collector) else { continue }
            if let first = shape {
                let a = first.header, b = header
                if (a.start, a.periodMinutes, a.periodCount) != (b.start, b.periodMinutes, b.periodCount) {
                    collector.report(path, nil, "covers \(b.periodCount) periods of \(b.periodMinutes) min from \(b.start), but \((first.file as NSString).lastPathComponent) covers \(a.periodCount) of \(a.periodMinutes) min from \(a.start); every history file must cover the same periods")
                    continue
                }
            } else {
                shape = (path, header)
            }
            let reader = SeriesReader(file: path, header: header, allNodes: true,
                                      negativeAllowed: name == "temperature_c" || name == "price")
            let values = reader.read()
            collector.append(contentsOf: reader.diagnostics)
            if let values { files.append(History.File(name: name, columns: header.nodes.map(\.id), values: values)) }
        }
        guard collector.isEmpty, let header = shape?.header else { throw InputError(collector.diagnostics) }
        return History(start: header.start, periodMinutes: header.periodMinutes, periodCount: header.periodCount, files: files)
    }

    /// The horizon and columns a history file implies, or nil (with a diagnostic) when it has
    /// none: unreadable, no rows, less than one day, or a step that does not divide a day.
    static func shape(of path: String, _ collector: inout DiagnosticCollector) -> ScenarioLoader.Header? {
        // Syntax errors are left to the SeriesReader, which reports them the scenario's way.
        guard case .success(let text) = TextFile.read(path, displayName: path),
              let table = try? CSVTable(parsing: text), let head = table.records.first, head.count > 1 else {
            let reader = SeriesReader(file: path, header: nil, allNodes: true, negativeAllowed: true)
            _ = reader.read()
            collector.append(contentsOf: reader.diagnostics)
            if reader.diagnostics.isEmpty { collector.report(path, 1, "the header names no column; expected 'timestamp,<column ids>'") }
            return nil
        }
        // An empty column name would be written back as an empty header field; a scenario could
        // not name its node.
        if let blank = head.dropFirst().firstIndex(where: { $0.text.trimmingCharacters(in: .whitespaces).isEmpty }) {
            collector.report(path, 1, "column \(blank + 1) of the header has no name; every column after 'timestamp' names a node")
            return nil
        }
        let rows = table.records.dropFirst()
        let stamps = rows.prefix(10_000).map { $0.first.flatMap { try? Timestamp(parsing: $0.text) } }
        if rows.isEmpty {
            collector.report(path, 2, "no data rows; a history needs at least one day")
            return nil
        }
        guard let start = stamps.first ?? nil else {
            // No readable first timestamp: the reader says why, against a one-row horizon.
            let reader = SeriesReader(file: path, header: Self.header(start: Timestamp(epochSeconds: 0), minutes: 60, count: 1, head), allNodes: true, negativeAllowed: true)
            _ = reader.read()
            collector.append(contentsOf: reader.diagnostics.filter { $0.line == 2 })
            return nil
        }
        // The usual step: gaps and repeats are the exceptions the reader will then report.
        var steps: [Int64: Int] = [:]
        for (a, b) in zip(stamps, stamps.dropFirst()) {
            if let a, let b, b.epochSeconds > a.epochSeconds { steps[b.epochSeconds - a.epochSeconds, default: 0] += 1 }
        }
        let stepSeconds = steps.max { ($0.value, -$0.key) < ($1.value, -$1.key) }?.key ?? 3600
        guard stepSeconds % 60 == 0, 86_400 % stepSeconds == 0 else {
            collector.report(path, 3, "rows are \(stepSeconds) s apart; a history's period must divide a day (e.g. 15, 30 or 60 min)")
            return nil
        }
        let minutes = Int(stepSeconds / 60)
        guard rows.count * minutes >= 1440 else {
            collector.report(path, nil, "\(rows.count) rows of \(minutes) min cover less than one day; a forecast needs at least one day of history (two weeks for the weekly season)")
            return nil
        }
        return header(start: start, minutes: minutes, count: rows.count, head)
    }

    private static func header(start: Timestamp, minutes: Int, count: Int, _ head: [CSVTable.Field]) -> ScenarioLoader.Header {
        var h = ScenarioLoader.Header()
        h.start = start
        h.periodMinutes = minutes
        h.periodCount = count
        h.nodes = head.dropFirst().map { column(id: $0.text) }
        return h
    }

    /// A column as the reader sees it: a node with that id and nothing else.
    private static func column(id: String) -> Node {
        Node(id: id, name: nil, latitude: nil, longitude: nil, capacityCU: 0, idleITMW: 0, itMWPerCU: 0,
             coolingModel: "", gridImportMW: nil, battery: nil)
    }
}

extension DiagnosticCollector {
    mutating func report(_ file: String, _ line: Int, _ message: String) {
        report(file, SourcePosition(line: line, column: 1), message)
    }
}
