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
}

/// Nodes by id and links by pair of nodes, built in O(nodes + links). Build one per pass over a
/// plan or the LP: a scan of the links per placement grows with placements x links.
public struct NetworkIndex: Sendable {
    private let nodeByID: [String: Int]
    private let linkByPair: [Int: Link]
    private let nodeCount: Int
    /// The nodes linked to each node, ascending.
    public let neighbours: [[Int]]

    public init(_ scenario: Scenario) {
        let count = scenario.nodes.count
        let byID = Dictionary(scenario.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        var byPair: [Int: Link] = [:]
        var neighbours = [[Int]](repeating: [], count: count)
        for link in scenario.links {
            guard let a = byID[link.a], let b = byID[link.b], a != b else { continue }
            let key = min(a, b) * count + max(a, b)
            guard byPair[key] == nil else { continue }
            byPair[key] = link
            neighbours[a].append(b)
            neighbours[b].append(a)
        }
        nodeByID = byID
        linkByPair = byPair
        nodeCount = count
        self.neighbours = neighbours.map { $0.sorted() }
    }

    /// Index of the node with this id.
    public func node(_ id: String) -> Int? { nodeByID[id] }

    /// The link joining two nodes, in either direction.
    public func link(between a: Int, _ b: Int) -> Link? {
        linkByPair[min(a, b) * nodeCount + max(a, b)]
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
