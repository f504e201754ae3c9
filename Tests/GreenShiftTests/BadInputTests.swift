import Foundation
import Testing
@testable import GreenShift

/// Every rule of scenario.md, broken one at a time on the spec's two-nodes example: each must be
/// reported as bad input naming the file, with line and column where there is one.
@Suite struct BadInputTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The file the diagnostic must name (suffix of its path).
        let file: String
        /// Text the message must contain.
        let message: String
        /// Whether the diagnostic must carry a line number.
        let hasLine: Bool
        let mutate: @Sendable (inout [String: String]) -> Void

        var testDescription: String { name }
    }

    static func replace(_ file: String, _ old: String, _ new: String) -> @Sendable (inout [String: String]) -> Void {
        { files in
            precondition(files[file]!.contains(old), "fixture has no '\(old)' in \(file)")
            files[file] = files[file]!.replacingOccurrences(of: old, with: new)
        }
    }

    static let toml = "scenario.toml"
    static let renewable = "timeseries/renewable_mw.csv"
    static let carbon = "timeseries/carbon_intensity.csv"
    static let web = "timeseries/demand_web.csv"

    static let cases: [Case] = [
        // scenario.toml: syntax and structure
        Case(name: "TOML syntax", file: toml, message: "TOML syntax", hasLine: true, mutate: replace(toml, "periods = 3", "periods = = 3")),
        Case(name: "duplicate TOML key", file: toml, message: "duplicate key 'periods'", hasLine: true, mutate: replace(toml, "periods = 3", "periods = 3\nperiods = 4")),
        Case(name: "unknown key with hint", file: toml, message: "did you mean 'capacity_cu'", hasLine: true, mutate: replace(toml, "capacity_cu = 2000.0\nidle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"", "capcity_cu = 2000.0\ncapacity_cu = 2000.0\nidle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"")),
        Case(name: "unknown top-level table", file: toml, message: "unknown key 'solver'", hasLine: true, mutate: { $0[toml]! += "\n[solver]\nx = 1\n" }),
        Case(name: "missing [scenario]", file: toml, message: "needs a [scenario] table", hasLine: true, mutate: replace(toml, "[scenario]\nname = \"two-nodes\"\nstart = \"2026-11-27T00:00:00+08:00\"\nperiod_minutes = 60\nperiods = 3\n", "")),
        Case(name: "missing required key", file: toml, message: "has no 'capacity_cu'", hasLine: true, mutate: replace(toml, "capacity_cu = 2000.0\nidle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"", "idle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"")),
        Case(name: "wrong type", file: toml, message: "must be a number, found a string", hasLine: true, mutate: replace(toml, "idle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"", "idle_it_mw = \"zero\"\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"")),
        Case(name: "negative number", file: toml, message: "must be >= 0, found -5", hasLine: true, mutate: replace(toml, "latency_ms = 30.0", "latency_ms = -5")),
        Case(name: "infinite number", file: toml, message: "must be a finite number", hasLine: true, mutate: replace(toml, "latency_ms = 30.0", "latency_ms = inf")),
        Case(name: "NaN number", file: toml, message: "must be a finite number", hasLine: true, mutate: replace(toml, "latency_ms = 30.0", "latency_ms = nan")),
        Case(name: "period_minutes zero", file: toml, message: "must be an integer in 1..1440", hasLine: true, mutate: replace(toml, "period_minutes = 60", "period_minutes = 0")),
        Case(name: "period_minutes too long", file: toml, message: "must be an integer in 1..1440", hasLine: true, mutate: replace(toml, "period_minutes = 60", "period_minutes = 1441")),
        Case(name: "period_minutes not an integer", file: toml, message: "must be an integer, found a decimal number", hasLine: true, mutate: replace(toml, "period_minutes = 60", "period_minutes = 60.0")),
        Case(name: "no periods", file: toml, message: "must be an integer >= 1", hasLine: true, mutate: replace(toml, "periods = 3", "periods = 0")),
        Case(name: "start without offset", file: toml, message: "needs a UTC offset", hasLine: true, mutate: replace(toml, "2026-11-27T00:00:00+08:00", "2026-11-27T00:00:00")),
        Case(name: "start as local TOML date-time", file: toml, message: "needs a UTC offset", hasLine: true, mutate: replace(toml, "\"2026-11-27T00:00:00+08:00\"", "2026-11-27T00:00:00")),
        Case(name: "start not a date", file: toml, message: "is not a calendar date", hasLine: true, mutate: replace(toml, "2026-11-27T00:00:00+08:00", "2026-02-30T00:00:00+08:00")),
        Case(name: "unserved penalty zero", file: toml, message: "must be > 0", hasLine: true, mutate: { $0[toml]! += "\n[objective]\nunserved_penalty_kg_per_cu_h = 0\n" }),
        // nodes
        Case(name: "no nodes", file: toml, message: "at least one [[nodes]]", hasLine: true, mutate: { files in
            var lines = files[toml]!.components(separatedBy: "\n")
            let start = lines.firstIndex(of: "[[nodes]]")!, end = lines.firstIndex(of: "[[classes]]")!
            lines.removeSubrange(start ..< end)
            files[toml] = lines.joined(separator: "\n")
        }),
        Case(name: "node id with a space", file: toml, message: "must match [A-Za-z0-9_-]+", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"west side\"")),
        Case(name: "duplicate node id", file: toml, message: "node id 'east' is used twice", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"east\"")),
        Case(name: "node called timestamp", file: toml, message: "no node may be called 'timestamp'", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"timestamp\"")),
        Case(name: "latitude out of range", file: toml, message: "in -90..90", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"west\"\nlatitude = 95")),
        Case(name: "longitude out of range", file: toml, message: "in -180..180", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"west\"\nlongitude = -181")),
        Case(name: "negative grid import", file: toml, message: "must be >= 0", hasLine: true, mutate: replace(toml, "id = \"west\"", "id = \"west\"\ngrid_import_mw = -1")),
        Case(name: "battery missing a key", file: toml, message: "has no 'initial_soc'", hasLine: true, mutate: replace(toml, "[[classes]]\nid = \"batch\"", "[nodes.battery]\nenergy_mwh = 1\npower_mw = 1\nround_trip_efficiency = 0.9\n\n[[classes]]\nid = \"batch\"")),
        Case(name: "battery efficiency above 1", file: toml, message: "in (0, 1]", hasLine: true, mutate: replace(toml, "[[classes]]\nid = \"batch\"", "[nodes.battery]\nenergy_mwh = 1\npower_mw = 1\nround_trip_efficiency = 1.5\ninitial_soc = 0.5\n\n[[classes]]\nid = \"batch\"")),
        Case(name: "battery efficiency zero", file: toml, message: "in (0, 1]", hasLine: true, mutate: replace(toml, "[[classes]]\nid = \"batch\"", "[nodes.battery]\nenergy_mwh = 1\npower_mw = 1\nround_trip_efficiency = 0\ninitial_soc = 0.5\n\n[[classes]]\nid = \"batch\"")),
        Case(name: "battery initial charge above 1", file: toml, message: "in [0, 1]", hasLine: true, mutate: replace(toml, "[[classes]]\nid = \"batch\"", "[nodes.battery]\nenergy_mwh = 1\npower_mw = 1\nround_trip_efficiency = 0.9\ninitial_soc = 2\n\n[[classes]]\nid = \"batch\"")),
        Case(name: "battery without energy", file: toml, message: "must be > 0", hasLine: true, mutate: replace(toml, "[[classes]]\nid = \"batch\"", "[nodes.battery]\nenergy_mwh = 0\npower_mw = 1\nround_trip_efficiency = 0.9\ninitial_soc = 0.5\n\n[[classes]]\nid = \"batch\"")),
        Case(name: "unknown cooling model", file: toml, message: "no cooling model 'flat-9'", hasLine: true, mutate: replace(toml, "cooling_model = \"flat-1.5\"", "cooling_model = \"flat-9\"")),
        Case(name: "cooling model as a path", file: toml, message: "not a path", hasLine: true, mutate: replace(toml, "cooling_model = \"flat-1.5\"", "cooling_model = \"../../etc/passwd\"")),
        // classes
        Case(name: "duplicate class id", file: toml, message: "class id 'batch' is used twice", hasLine: true, mutate: replace(toml, "id = \"web\"", "id = \"batch\"")),
        Case(name: "movable not a boolean", file: toml, message: "must be true or false", hasLine: true, mutate: replace(toml, "movable = true", "movable = \"yes\"")),
        Case(name: "allowed node unknown", file: toml, message: "names 'north', which is no node", hasLine: true, mutate: replace(toml, "movable = true", "movable = true\nallowed_nodes = [\"north\"]")),
        Case(name: "negative deadline", file: toml, message: "must be >= 0", hasLine: true, mutate: replace(toml, "deadline_hours = 2.0", "deadline_hours = -2.0")),
        // links
        Case(name: "link to itself", file: toml, message: "joins 'east' to itself", hasLine: true, mutate: replace(toml, "b = \"west\"", "b = \"east\"")),
        Case(name: "link to unknown node", file: toml, message: "'b' = 'north' is no node", hasLine: true, mutate: replace(toml, "b = \"west\"", "b = \"north\"")),
        Case(name: "second link for a pair", file: toml, message: "at most one link per pair", hasLine: true, mutate: { $0[toml]! += "\n[[links]]\na = \"west\"\nb = \"east\"\nlatency_ms = 5\n" }),
        // cooling model files
        Case(name: "PUE below 1", file: "cooling/flat-1.5.toml", message: "PUE must be >= 1.0", hasLine: true, mutate: replace("cooling/flat-1.5.toml", "[[0.0, 1.5]]", "[[0.0, 0.9]]")),
        Case(name: "temperatures not increasing", file: "cooling/flat-1.5.toml", message: "strictly increasing", hasLine: true, mutate: replace("cooling/flat-1.5.toml", "[[0.0, 1.5]]", "[[10.0, 1.5], [10.0, 1.6]]")),
        Case(name: "empty PUE curve", file: "cooling/flat-1.5.toml", message: "at least one", hasLine: true, mutate: replace("cooling/flat-1.5.toml", "[[0.0, 1.5]]", "[]")),
        Case(name: "unknown cooling key", file: "cooling/flat-1.5.toml", message: "unknown key 'pue'", hasLine: true, mutate: { $0["cooling/flat-1.5.toml"]! += "pue = 1.5\n" }),
        Case(name: "missing PUE curve", file: "cooling/flat-1.5.toml", message: "needs 'pue_curve'", hasLine: true, mutate: { $0["cooling/flat-1.5.toml"] = "description = \"x\"\n" }),
        // time series: files
        Case(name: "missing renewable file", file: renewable, message: "file not found", hasLine: false, mutate: { $0[renewable] = nil }),
        Case(name: "missing demand file", file: "timeseries/demand_web.csv", message: "file not found", hasLine: false, mutate: { $0[web] = nil }),
        Case(name: "demand file for unknown class", file: "timeseries/demand_gpu.csv", message: "names class 'gpu'", hasLine: false, mutate: { $0["timeseries/demand_gpu.csv"] = $0[web] }),
        Case(name: "misspelt series file", file: "timeseries/prices.csv", message: "did you mean price.csv?", hasLine: false, mutate: { $0["timeseries/prices.csv"] = ScenarioFixture.series([("east", [1, 1, 1]), ("west", [1, 1, 1])]) }),
        Case(name: "broken class is not also called undefined", file: toml, message: "must be true or false", hasLine: true, mutate: replace(toml, "movable = true", "movable = \"yes\"")),
        Case(name: "empty file", file: renewable, message: "the file is empty", hasLine: true, mutate: { $0[renewable] = "" }),
        // time series: header
        Case(name: "first column not timestamp", file: renewable, message: "first column must be 'timestamp'", hasLine: true, mutate: replace(renewable, "timestamp,", "time,")),
        Case(name: "missing node column", file: renewable, message: "no column for node 'west'", hasLine: true, mutate: { $0[renewable] = ScenarioFixture.series([("east", [0, 0, 0])]) }),
        Case(name: "unknown column with hint", file: renewable, message: "column 'wets' is no node id (did you mean 'west'?)", hasLine: true, mutate: replace(renewable, ",west", ",wets")),
        Case(name: "repeated column", file: web, message: "column 'east' appears twice", hasLine: true, mutate: { $0[web] = ScenarioFixture.series([("east", [1, 1, 1]), ("east", [1, 1, 1])]) }),
        Case(name: "semicolon-separated", file: renewable, message: "must be comma-separated", hasLine: true, mutate: { $0[renewable] = $0[renewable]!.replacingOccurrences(of: ",", with: ";") }),
        // time series: rows
        Case(name: "too few rows", file: renewable, message: "2 data rows, expected 3", hasLine: true, mutate: { $0[renewable] = ScenarioFixture.series([("east", [0, 0]), ("west", [0, 2])]) }),
        Case(name: "too many rows", file: renewable, message: "4 data rows, expected 3", hasLine: true, mutate: { $0[renewable] = ScenarioFixture.series([("east", [0, 0, 0, 0]), ("west", [0, 2, 2, 2])]) }),
        Case(name: "row with a field too many", file: renewable, message: "row has 4 fields, expected 3", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,0,2,7")),
        Case(name: "row with a field too few", file: renewable, message: "row has 2 fields, expected 3", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,0")),
        Case(name: "decimal commas", file: carbon, message: "decimal commas", hasLine: true, mutate: replace(carbon, "01:00:00+08:00,800,500", "01:00:00+08:00,800,5,500,5")),
        Case(name: "quoted decimal comma", file: carbon, message: "decimal commas or thousands separators", hasLine: true, mutate: replace(carbon, "01:00:00+08:00,800,500", "01:00:00+08:00,\"800,5\",500")),
        Case(name: "timestamp out of order", file: renewable, message: "should be 2026-11-27T01:00:00+08:00", hasLine: true, mutate: replace(renewable, "2026-11-27T01:00:00+08:00", "2026-11-27T03:00:00+08:00")),
        Case(name: "timestamp without offset", file: renewable, message: "has no UTC offset", hasLine: true, mutate: replace(renewable, "2026-11-27T01:00:00+08:00", "2026-11-27T01:00:00")),
        Case(name: "DST-ambiguous local time", file: renewable, message: "has no UTC offset", hasLine: true, mutate: replace(renewable, "2026-11-27T01:00:00+08:00", "2026-11-01 01:30")),
        Case(name: "malformed timestamp", file: renewable, message: "expected YYYY-MM-DDTHH:MM", hasLine: true, mutate: replace(renewable, "2026-11-27T01:00:00+08:00", "27/11/2026 01:00")),
        Case(name: "empty cell", file: renewable, message: "empty cell", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,,2")),
        Case(name: "NaN cell", file: renewable, message: "NaN is not a value", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,NaN,2")),
        Case(name: "infinite cell", file: renewable, message: "is not a finite number", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,inf,2")),
        Case(name: "overflowing cell", file: renewable, message: "out of range", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,1e400,2")),
        Case(name: "hexadecimal cell", file: renewable, message: "hexadecimal is not allowed", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,0x10,2")),
        Case(name: "negative renewables", file: renewable, message: "is negative", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,-1,2")),
        Case(name: "negative demand", file: web, message: "is negative", hasLine: true, mutate: replace(web, "01:00:00+08:00,500", "01:00:00+08:00,-500")),
        Case(name: "unterminated quote", file: renewable, message: "never closed", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,\"0,2")),
        Case(name: "non-UTF-8 bytes", file: renewable, message: "not valid UTF-8", hasLine: true, mutate: replace(renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,0,2\u{FFFD}")),
    ]

    @Test(arguments: cases)
    func ruleIsReported(_ c: Case) throws {
        var fixture = ScenarioFixture.twoNodes
        c.mutate(&fixture.files)
        let directory = try fixture.write()
        if c.name == "non-UTF-8 bytes" {
            // Replace the marker with a lone Latin-1 byte, as a legacy export would write it.
            let path = directory + "/" + c.file
            var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
            let marker: [UInt8] = [0xEF, 0xBF, 0xBD]
            if let k = (0 ... bytes.count - 3).first(where: { Array(bytes[$0 ..< $0 + 3]) == marker }) {
                bytes.replaceSubrange(k ..< k + 3, with: [0xE9])
            }
            try Data(bytes).write(to: URL(fileURLWithPath: path))
        }
        do {
            _ = try ScenarioLoader(directory: directory, coolingLibrary: ScenarioFixture.coolingLibrary).load()
            Issue.record("\(c.name): the scenario loaded")
        } catch {
            let match = error.diagnostics.first { $0.file.hasSuffix(c.file) && $0.message.contains(c.message) }
            #expect(match != nil, "\(c.name): no diagnostic on \(c.file) containing '\(c.message)' in:\n\(error)")
            if let match, c.hasLine { #expect(match.line != nil && match.column != nil, "\(c.name): \(match) has no line and column") }
        }
    }

    @Test func aBrokenClassKeepsItsDemandFile() throws {
        var fixture = ScenarioFixture.twoNodes
        Self.replace(Self.toml, "movable = true", "movable = \"yes\"")(&fixture.files)
        do { _ = try fixture.load() } catch let error as InputError {
            #expect(error.diagnostics.count == 1, "\(error)")
        }
    }

    /// A node with an error keeps its id: links and columns naming it are not reported too,
    /// and the problems come in file order.
    @Test func aBrokenNodeDoesNotCascade() throws {
        var fixture = ScenarioFixture.twoNodes
        Self.replace(Self.toml, "capacity_cu = 2000.0\nidle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"",
                     "capcity_cu = 2000.0\nidle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.5\"")(&fixture.files)
        do { _ = try fixture.load() } catch let error as InputError {
            #expect(error.diagnostics.count == 2, "\(error)")
            #expect(error.diagnostics.map(\.line) == error.diagnostics.map(\.line).sorted { ($0 ?? 0) < ($1 ?? 0) })
            #expect(error.diagnostics.contains { $0.message.contains("unknown key 'capcity_cu' in node 'east'") })
        }
    }

    @Test func everyProblemIsReportedAtOnce() throws {
        var fixture = ScenarioFixture.twoNodes
        Self.replace(Self.toml, "latency_ms = 30.0", "latency_ms = -5")(&fixture.files)
        Self.replace(Self.renewable, "01:00:00+08:00,0,2", "01:00:00+08:00,-1,2")(&fixture.files)
        Self.replace(Self.carbon, "02:00:00+08:00,800,500", "02:00:00+08:00,800,x")(&fixture.files)
        #expect(throws: InputError.self) { try fixture.load() }
        do { _ = try fixture.load() } catch let error as InputError {
            #expect(error.diagnostics.count == 3, "\(error)")
        }
    }

    @Test func scenarioPathThatIsAFileOrMissing() throws {
        let directory = try ScenarioFixture.twoNodes.write()
        for path in [directory + "/scenario.toml", directory + "/nope"] {
            #expect(throws: InputError.self) { try ScenarioLoader(directory: path).load() }
        }
    }

    /// Excel's habits are accepted: byte-order mark, CRLF line ends, quoted fields, an offset
    /// that names the same instant differently, and no final line break.
    @Test func spreadsheetExportsAreAccepted() throws {
        var fixture = ScenarioFixture.twoNodes
        let csv = "\u{FEFF}\"timestamp\",\"east\",\"west\"\r\n2026-11-26T16:00:00Z,0,0\r\n2026-11-27T01:00:00+08:00,0,\"2\"\r\n2026-11-26T20:00:00.000+02:00,0,2"
        fixture.files[Self.renewable] = csv
        let scenario = try fixture.load()
        #expect(scenario.renewableMW[1] == [0, 2, 2])
    }
}
