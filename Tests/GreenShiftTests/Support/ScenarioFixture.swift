import Foundation
@testable import GreenShift

/// A scenario written file by file into a fresh temporary folder, so tests can state a case
/// in a few lines and mutate one file to break one rule.
struct ScenarioFixture {
    var files: [String: String]

    /// The repository root, found from this file's path.
    static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    static let coolingLibrary = repositoryRoot + "/Models/cooling"
    static let defaultScenario = repositoryRoot + "/Data/scenarios/east-west-hubs"

    /// Writes the files into a new temporary folder and returns its path.
    func write() throws -> String {
        let root = FileManager.default.temporaryDirectory
            .appendingPathComponent("greenshift-test-\(UUID().uuidString)").path
        for (relative, contents) in files {
            let path = root + "/" + relative
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try contents.write(toFile: path, atomically: false, encoding: .utf8)
        }
        try FileManager.default.createDirectory(atPath: root + "/timeseries", withIntermediateDirectories: true)
        return root
    }

    func load() throws -> Scenario {
        try ScenarioLoader(directory: try write(), coolingLibrary: Self.coolingLibrary).load()
    }

    /// A CSV in wide layout: `timestamp` then one column per node, hourly from the default start.
    static func series(_ columns: [(String, [Double])], start: String = "2026-11-27T00:00:00+08:00",
                       periodMinutes: Int = 60) -> String {
        let startStamp = try! Timestamp(parsing: start)
        var out = "timestamp," + columns.map(\.0).joined(separator: ",") + "\n"
        for t in 0 ..< (columns.first?.1.count ?? 0) {
            out += startStamp.adding(minutes: t * periodMinutes).description + ","
                + columns.map { JSON.format($0.1[t]) }.joined(separator: ",") + "\n"
        }
        return out
    }

    /// A flat cooling model file.
    static func flat(_ pue: Double) -> String { "pue_curve = [[0.0, \(pue)]]\n" }

    /// The two-nodes example of the spec (carbon 1800 kg, baseline 3000 kg).
    static var twoNodes: ScenarioFixture {
        ScenarioFixture(files: [
            "scenario.toml": """
                [scenario]
                name = "two-nodes"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 3

                [[nodes]]
                id = "east"
                capacity_cu = 2000.0
                idle_it_mw = 0.0
                it_mw_per_cu = 0.001
                cooling_model = "flat-1.5"

                [[nodes]]
                id = "west"
                capacity_cu = 2000.0
                idle_it_mw = 0.0
                it_mw_per_cu = 0.001
                cooling_model = "flat-1.25"

                [[classes]]
                id = "batch"
                deadline_hours = 2.0
                movable = true

                [[classes]]
                id = "web"

                [[links]]
                a = "east"
                b = "west"
                latency_ms = 30.0

                """,
            "cooling/flat-1.5.toml": "description = \"Constant PUE 1.5\"\npue_curve = [[0.0, 1.5]]\n",
            "cooling/flat-1.25.toml": "description = \"Constant PUE 1.25\"\npue_curve = [[0.0, 1.25]]\n",
            "timeseries/demand_batch.csv": series([("east", [1000, 0, 0])]),
            "timeseries/demand_web.csv": series([("east", [500, 500, 500])]),
            "timeseries/carbon_intensity.csv": series([("east", [800, 800, 800]), ("west", [500, 500, 500])]),
            "timeseries/temperature_c.csv": """
                timestamp,east,west
                2026-11-26T16:00:00Z,12,-3
                2026-11-26T17:00:00Z,11,-4
                2026-11-26T18:00:00Z,10,-5

                """,
            "timeseries/renewable_mw.csv": series([("east", [0, 0, 0]), ("west", [0, 2, 2])]),
        ])
    }
}
