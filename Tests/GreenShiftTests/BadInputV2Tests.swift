import Foundation
import Testing
@testable import GreenShift

/// Every rule spec version 2 adds (pools, commit_periods, carbon_signal, state.json), broken one at a
/// time on a small valid scenario: each is bad input naming the file, with line and column in
/// scenario.toml and the entry's position in state.json, and nothing else is reported.
@Suite struct BadInputV2Tests {
    typealias F = ScenarioFixture

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        /// The file the diagnostic must name (suffix of its path).
        let file: String
        /// Text the message must contain.
        let message: String
        let mutate: @Sendable (inout [String: String]) -> Void
        var testDescription: String { name }
    }

    static let toml = "scenario.toml"
    static let state = "state.json"

    /// east: one general pool; west: general and ai pools and a 10 MWh battery. batch is movable
    /// with a 2 h deadline (K_w = 2 in hourly periods), train needs the ai pool and is not movable.
    static let scenarioTOML = """
        [scenario]
        name = "v2-rules"
        start = "2026-11-27T00:00:00+08:00"
        period_minutes = 60
        periods = 4
        commit_periods = 2

        [objective]
        carbon_signal = "average"

        [[nodes]]
        id = "east"
        capacity_cu = 1000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        cooling_model = "flat"

        [[nodes]]
        id = "west"
        cooling_model = "flat"
        [[nodes.pools]]
        type = "general"
        capacity_cu = 1000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        [[nodes.pools]]
        type = "ai"
        capacity_cu = 50
        idle_it_mw = 0
        it_mw_per_cu = 0.01
        [nodes.battery]
        energy_mwh = 10
        power_mw = 5
        round_trip_efficiency = 0.9
        initial_soc = 0.5

        [[classes]]
        id = "batch"
        deadline_hours = 2
        movable = true
        [[classes]]
        id = "train"
        pool = "ai"

        [[links]]
        a = "east"
        b = "west"
        latency_ms = 20

        """

    static let stateJSON = """
        {"schema": "greenshift.state/1", "at": "2026-11-26T16:00:00Z",
         "backlog": [
           {"class": "batch", "origin": "east", "due": "2026-11-27T02:00:00+08:00", "cu_h": 100},
           {"class": "train", "origin": "west", "due": "2026-11-27T01:00:00+08:00", "cu_h": 10}
         ],
         "batteries": [{"node": "west", "energy_mwh": 2.5}]}
        """

    static var valid: F {
        let both: (Double, Double) -> [(String, [Double])] = { [("east", Array(repeating: $0, count: 4)), ("west", Array(repeating: $1, count: 4))] }
        return F(files: [
            toml: scenarioTOML, state: stateJSON, "cooling/flat.toml": F.flat(1.0),
            "timeseries/demand_batch.csv": F.series(both(100, 0)),
            "timeseries/demand_train.csv": F.series(both(0, 20)),
            "timeseries/carbon_intensity.csv": F.series(both(800, 500)),
            "timeseries/renewable_mw.csv": F.series(both(0, 0)),
            "timeseries/temperature_c.csv": F.series(both(10, 10)),
        ])
    }

    static func replace(_ file: String, _ old: String, _ new: String) -> @Sendable (inout [String: String]) -> Void {
        { files in
            precondition(files[file]!.contains(old), "fixture has no '\(old)' in \(file)")
            files[file] = files[file]!.replacingOccurrences(of: old, with: new)
        }
    }

    static let westPools = """
        [[nodes.pools]]
        type = "general"
        capacity_cu = 1000
        idle_it_mw = 0
        it_mw_per_cu = 0.001
        [[nodes.pools]]
        type = "ai"
        """

    static let cases: [Case] = [
        // Compute pools
        Case(name: "compute keys and pools", file: toml, message: "has both 'capacity_cu' and [[nodes.pools]]",
             mutate: replace(toml, "cooling_model = \"flat\"\n[[nodes.pools]]", "cooling_model = \"flat\"\ncapacity_cu = 5\n[[nodes.pools]]")),
        Case(name: "neither compute keys nor pools", file: toml, message: "needs its compute: either capacity_cu, idle_it_mw and it_mw_per_cu, or [[nodes.pools]] tables",
             mutate: replace(toml, "capacity_cu = 1000\nidle_it_mw = 0\nit_mw_per_cu = 0.001\ncooling_model = \"flat\"", "cooling_model = \"flat\"")),
        Case(name: "two pools of one type", file: toml, message: "has two pools of type 'general'",
             mutate: replace(toml, "type = \"ai\"", "type = \"general\"")),
        Case(name: "pool type not an id", file: toml, message: "pool type 'a i' of",
             mutate: replace(toml, "type = \"ai\"", "type = \"a i\"")),
        Case(name: "pool key missing", file: toml, message: "has no 'it_mw_per_cu'",
             mutate: replace(toml, "capacity_cu = 50\nidle_it_mw = 0\nit_mw_per_cu = 0.01", "capacity_cu = 50\nidle_it_mw = 0")),
        Case(name: "negative pool capacity", file: toml, message: "must be >= 0, found -50",
             mutate: replace(toml, "capacity_cu = 50", "capacity_cu = -50")),
        Case(name: "unknown pool key", file: toml, message: "unknown key 'gpus'",
             mutate: replace(toml, "capacity_cu = 50", "capacity_cu = 50\ngpus = 8")),
        Case(name: "class needs a pool type no node has", file: toml, message: "needs pool type 'hpc', which no node has",
             mutate: replace(toml, "pool = \"ai\"", "pool = \"hpc\"")),
        Case(name: "class pool not an id", file: toml, message: "'pool' of class",
             mutate: replace(toml, "pool = \"ai\"", "pool = \"a.i\"")),
        Case(name: "no general pool for a class without pool", file: toml, message: "needs pool type 'general' (the default 'pool'), which no node has",
             mutate: { files in
                 replace(toml, "capacity_cu = 1000\nidle_it_mw = 0\nit_mw_per_cu = 0.001\ncooling_model = \"flat\"",
                         "cooling_model = \"flat\"\n[[nodes.pools]]\ntype = \"cpu\"\ncapacity_cu = 1000\nidle_it_mw = 0\nit_mw_per_cu = 0.001")(&files)
                 replace(toml, "type = \"general\"", "type = \"cpu2\"")(&files)
             }),
        Case(name: "non-movable demand where its pool is missing", file: "timeseries/demand_train.csv",
             message: "20 CU*h of class 'train' (not movable) arrive at node 'east', which has no 'ai' pool",
             mutate: { $0["timeseries/demand_train.csv"] = F.series([("east", [0, 20, 0, 0]), ("west", [20, 20, 20, 20])]) }),
        // [scenario] and [objective]
        Case(name: "commit_periods zero", file: toml, message: "commit_periods", mutate: replace(toml, "commit_periods = 2", "commit_periods = 0")),
        Case(name: "commit_periods above periods", file: toml, message: "commit_periods", mutate: replace(toml, "commit_periods = 2", "commit_periods = 5")),
        Case(name: "commit_periods not an integer", file: toml, message: "commit_periods", mutate: replace(toml, "commit_periods = 2", "commit_periods = 2.5")),
        Case(name: "unknown carbon signal", file: toml, message: "'carbon_signal' in [objective] must be \"average\" or \"marginal\", found \"hourly\"",
             mutate: replace(toml, "carbon_signal = \"average\"", "carbon_signal = \"hourly\"")),
        Case(name: "marginal signal without its file", file: toml, message: "carbon_signal = \"marginal\" needs timeseries/marginal_carbon_intensity.csv",
             mutate: replace(toml, "carbon_signal = \"average\"", "carbon_signal = \"marginal\"")),
        Case(name: "negative marginal factor", file: "timeseries/marginal_carbon_intensity.csv", message: "is negative",
             mutate: { $0["timeseries/marginal_carbon_intensity.csv"] = F.series([("east", [900, -1, 900, 900]), ("west", [600, 600, 600, 600])]) }),
        // state.json
        Case(name: "state not JSON", file: state, message: "not valid JSON", mutate: { $0[state] = "{\"schema\": " }),
        Case(name: "state not an object", file: state, message: "must be a JSON object with 'schema' and 'at'", mutate: { $0[state] = "[1, 2]" }),
        Case(name: "state wrong schema", file: state, message: "'schema' is 'greenshift.state/2', expected 'greenshift.state/1'",
             mutate: replace(state, "greenshift.state/1", "greenshift.state/2")),
        Case(name: "state without schema", file: state, message: "has no 'schema' (required)",
             mutate: replace(state, "\"schema\": \"greenshift.state/1\", ", "")),
        Case(name: "state without at", file: state, message: "has no 'at' (required)",
             mutate: replace(state, "\"at\": \"2026-11-26T16:00:00Z\",", "")),
        Case(name: "state at another instant", file: state, message: "but the scenario starts at",
             mutate: replace(state, "2026-11-26T16:00:00Z", "2026-11-27T00:00:00Z")),
        Case(name: "state at without offset", file: state, message: "needs a UTC offset",
             mutate: replace(state, "2026-11-26T16:00:00Z", "2026-11-27T00:00:00")),
        Case(name: "state unknown top-level key", file: state, message: "unknown key 'jobs'",
             mutate: replace(state, "\"backlog\":", "\"jobs\": [], \"backlog\":")),
        Case(name: "backlog not a list", file: state, message: "'backlog' in state.json must be a list",
             mutate: { $0[state] = "{\"schema\": \"greenshift.state/1\", \"at\": \"2026-11-27T00:00:00+08:00\", \"backlog\": {}}" }),
        Case(name: "backlog entry not an object", file: state, message: "backlog entry #1 must be an object",
             mutate: { $0[state] = "{\"schema\": \"greenshift.state/1\", \"at\": \"2026-11-27T00:00:00+08:00\", \"backlog\": [3]}" }),
        Case(name: "backlog unknown class", file: state, message: "backlog entry #1: 'class' = 'etl' is no class of the scenario",
             mutate: replace(state, "\"class\": \"batch\"", "\"class\": \"etl\"")),
        Case(name: "backlog unknown origin", file: state, message: "backlog entry #1: 'origin' = 'north' is no node of the scenario",
             mutate: replace(state, "\"origin\": \"east\"", "\"origin\": \"north\"")),
        Case(name: "backlog entry key missing", file: state, message: "backlog entry #2 has no 'due' (required)",
             mutate: replace(state, "\"due\": \"2026-11-27T01:00:00+08:00\", ", "")),
        Case(name: "backlog unknown entry key", file: state, message: "unknown key 'priority' in backlog entry #1",
             mutate: replace(state, "\"cu_h\": 100}", "\"cu_h\": 100, \"priority\": 1}")),
        Case(name: "backlog negative work", file: state, message: "'cu_h' in backlog entry #1 must be >= 0, found -100",
             mutate: replace(state, "\"cu_h\": 100", "\"cu_h\": -100")),
        Case(name: "backlog work not a number", file: state, message: "'cu_h' in backlog entry #1 must be a number, found a string",
             mutate: replace(state, "\"cu_h\": 100", "\"cu_h\": \"100\"")),
        Case(name: "backlog due before the end of period 0", file: state, message: "backlog entry #2: due 2026-11-27T00:30:00+08:00 is before the end of period 0",
             mutate: replace(state, "2026-11-27T01:00:00+08:00", "2026-11-27T00:30:00+08:00")),
        Case(name: "backlog due later than its class allows", file: state, message: "backlog entry #1: due 2026-11-27T04:00:00+08:00 leaves 4 periods, more than class 'batch' allows",
             mutate: replace(state, "2026-11-27T02:00:00+08:00", "2026-11-27T04:00:00+08:00")),
        Case(name: "backlog of non-movable work where its pool is missing", file: state,
             message: "backlog entry #2: 10 CU*h of class 'train' (not movable) at node 'east', which has no 'ai' pool",
             mutate: replace(state, "\"class\": \"train\", \"origin\": \"west\"", "\"class\": \"train\", \"origin\": \"east\"")),
        Case(name: "battery of an unknown node", file: state, message: "batteries entry #1: 'node' = 'north' is no node of the scenario",
             mutate: replace(state, "{\"node\": \"west\"", "{\"node\": \"north\"")),
        Case(name: "battery of a node without one", file: state, message: "batteries entry #1: node 'east' has no battery",
             mutate: replace(state, "{\"node\": \"west\"", "{\"node\": \"east\"")),
        Case(name: "battery listed twice", file: state, message: "batteries entry #2: node 'west' is listed twice (first in entry #1)",
             mutate: replace(state, "[{\"node\": \"west\", \"energy_mwh\": 2.5}]", "[{\"node\": \"west\", \"energy_mwh\": 2.5}, {\"node\": \"west\", \"energy_mwh\": 1}]")),
        Case(name: "battery above its energy", file: state, message: "batteries entry #1: energy_mwh 12 of node 'west' is above the battery's energy_mwh 10",
             mutate: replace(state, "\"energy_mwh\": 2.5", "\"energy_mwh\": 12")),
        Case(name: "battery energy overflowing a double", file: state, message: "not valid JSON (Number 1e999 is not representable",
             mutate: replace(state, "\"energy_mwh\": 2.5", "\"energy_mwh\": 1e999")),
    ]

    @Test func theFixtureIsValid() throws {
        let scenario = try Self.valid.load()
        #expect(scenario.nodes.map { $0.pools.map(\.type) } == [["general"], ["general", "ai"]])
        #expect(scenario.commitPeriods == 2)
    }

    @Test(arguments: cases)
    func ruleIsReported(_ c: Case) throws {
        var fixture = Self.valid
        c.mutate(&fixture.files)
        do {
            _ = try fixture.load()
            Issue.record("\(c.name): the scenario loaded")
        } catch let error as InputError {
            let diagnostics = error.diagnostics
            let match = diagnostics.first { $0.file.hasSuffix(c.file) && $0.message.contains(c.message) }
            #expect(match != nil, "\(c.name): no diagnostic on \(c.file) containing '\(c.message)' in:\n\(error)")
            if let match, c.file == Self.toml { #expect(match.line != nil, "\(c.name): \(match) has no line") }
            #expect(diagnostics.count <= 2, "\(c.name): one broken rule gave \(diagnostics.count) problems:\n\(error)")
        }
    }
}
