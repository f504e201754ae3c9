/// A validated scenario (scenario.md, version 1): everything one optimization run needs.
/// Built only by `ScenarioLoader`, so every value here has passed the format's rules.
public struct Scenario: Sendable {
    public var name: String
    public var start: Timestamp
    public var periodMinutes: Int
    public var periodCount: Int
    public var unservedPenaltyKgPerCUh: Double
    public var nodes: [Node]
    public var classes: [WorkloadClass]
    public var links: [Link]

    /// Time series indexed `[node][period]`, in the order of `nodes`.
    public var renewableMW: [[Double]]
    public var carbonKgPerMWh: [[Double]]
    public var temperatureC: [[Double]]
    /// Grid price per MWh, when the scenario has `price.csv`.
    public var pricePerMWh: [[Double]]?
    /// Work arriving, indexed `[class][origin node][period]`, CU*h; zero where a demand file has no column.
    public var demandCUh: [[[Double]]]
    /// The cooling model of each node, resolved.
    public var cooling: [CoolingModel]

    /// Length of a period in hours (D in model.md).
    public var periodHours: Double { Double(periodMinutes) / 60 }

    /// PUE of every node and period, from its cooling curve and the temperature forecast.
    public var pue: [[Double]] {
        nodes.indices.map { n in temperatureC[n].map { cooling[n].pue(atTemperature: $0) } }
    }

    /// Start of period `t`.
    public func periodStart(_ t: Int) -> Timestamp { start.adding(minutes: t * periodMinutes) }

    /// K_w of model.md: work of class `w` arriving in period t may run in t ... t + K_w.
    /// The quotient is nudged by 1e-9 so that 1.5 h / 30 min is 3, not 2.999...; capped at the horizon.
    public func windowPeriods(_ w: Int) -> Int {
        let q = classes[w].deadlineHours * 60 / Double(periodMinutes)
        return Int(min((q + 1e-9 * max(1, q)).rounded(.down), Double(periodCount)))
    }

    public func nodeIndex(_ id: String) -> Int? { nodes.firstIndex { $0.id == id } }

    /// The link joining two nodes, in either direction.
    public func link(between a: Int, _ b: Int) -> Link? {
        let idA = nodes[a].id, idB = nodes[b].id
        return links.first { ($0.a == idA && $0.b == idB) || ($0.a == idB && $0.b == idA) }
    }
}

public struct Node: Sendable, Equatable {
    public var id: String
    public var name: String?
    public var latitude: Double?
    public var longitude: Double?
    public var capacityCU: Double
    public var idleITMW: Double
    public var itMWPerCU: Double
    public var coolingModel: String
    /// Most power drawn from the grid; nil means unlimited.
    public var gridImportMW: Double?
    public var battery: Battery?
}

public struct Battery: Sendable, Equatable {
    public var energyMWh: Double
    public var powerMW: Double
    public var roundTripEfficiency: Double
    /// State of charge at the start, as a fraction of `energyMWh`.
    public var initialSOC: Double

    /// One-way efficiency, sqrt(round-trip), applied on charge and on discharge.
    public var oneWayEfficiency: Double { roundTripEfficiency.squareRoot() }
    public var initialEnergyMWh: Double { initialSOC * energyMWh }
}

public struct WorkloadClass: Sendable, Equatable {
    public var id: String
    public var deadlineHours: Double
    public var movable: Bool
    public var maxLatencyMs: Double?
    /// The only nodes other than the origin where the work may run; nil means any linked node.
    public var allowedNodes: [String]?
    public var gbPerCUh: Double
}

public struct Link: Sendable, Equatable {
    public var a: String
    public var b: String
    public var latencyMs: Double
    /// Capacity in each direction; nil means unlimited.
    public var bandwidthGbps: Double?
    public var kwhPerGB: Double

    /// GB one direction carries in one hour at full bandwidth (scenario.md: 1 Gbit/s is 450 GB/h).
    public static let gbPerHourPerGbps = 450.0
}
