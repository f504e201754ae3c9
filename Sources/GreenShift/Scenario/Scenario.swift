/// A validated scenario (scenario.md, version 2): everything one optimization run needs.
/// Built only by `ScenarioLoader`, so every value here has passed the format's rules.
public struct Scenario: Sendable {
    public var name: String
    public var start: Timestamp
    public var periodMinutes: Int
    public var periodCount: Int
    /// The periods this run commits to; the state it leaves describes the instant after them.
    public var commitPeriods: Int
    public var unservedPenaltyKgPerCUh: Double
    public var carbonSignal: CarbonSignal
    public var nodes: [Node]
    public var classes: [WorkloadClass]
    public var links: [Link]
    /// Work carried over from the previous run (`state.json`), by earliest due first.
    public var backlog: [BacklogEntry]

    /// Time series indexed `[node][period]`, in the order of `nodes`.
    public var renewableMW: [[Double]]
    /// Average grid emission factors (`carbon_intensity.csv`).
    public var averageKgPerMWh: [[Double]]
    /// Marginal grid emission factors, when the scenario has `marginal_carbon_intensity.csv`.
    public var marginalKgPerMWh: [[Double]]?
    public var temperatureC: [[Double]]
    /// Grid price per MWh, when the scenario has `price.csv`.
    public var pricePerMWh: [[Double]]?
    /// Work arriving, indexed `[class][origin node][period]`, CU*h; zero where a demand file has no column.
    public var demandCUh: [[[Double]]]
    /// The cooling model of each node, resolved.
    public var cooling: [CoolingModel]

    /// A scenario as the loader builds it; the version-2 parts default to a version-1 scenario's
    /// meaning (every period committed, the average signal, no state).
    public init(name: String, start: Timestamp, periodMinutes: Int, periodCount: Int, commitPeriods: Int? = nil,
                unservedPenaltyKgPerCUh: Double, carbonSignal: CarbonSignal = .average,
                nodes: [Node], classes: [WorkloadClass], links: [Link], backlog: [BacklogEntry] = [],
                renewableMW: [[Double]], averageKgPerMWh: [[Double]], marginalKgPerMWh: [[Double]]? = nil,
                temperatureC: [[Double]], pricePerMWh: [[Double]]?, demandCUh: [[[Double]]], cooling: [CoolingModel]) {
        self.name = name
        self.start = start
        self.periodMinutes = periodMinutes
        self.periodCount = periodCount
        self.commitPeriods = commitPeriods ?? periodCount
        self.unservedPenaltyKgPerCUh = unservedPenaltyKgPerCUh
        self.carbonSignal = carbonSignal
        self.nodes = nodes
        self.classes = classes
        self.links = links
        self.backlog = backlog
        self.renewableMW = renewableMW
        self.averageKgPerMWh = averageKgPerMWh
        self.marginalKgPerMWh = marginalKgPerMWh
        self.temperatureC = temperatureC
        self.pricePerMWh = pricePerMWh
        self.demandCUh = demandCUh
        self.cooling = cooling
    }

    /// The emission factors the objective weighs grid and network energy with (G in model.md).
    public var carbonKgPerMWh: [[Double]] {
        carbonSignal == .marginal ? (marginalKgPerMWh ?? averageKgPerMWh) : averageKgPerMWh
    }

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
        Int(min(Self.wholePeriods(classes[w].deadlineHours * 60 / Double(periodMinutes)), Double(periodCount)))
    }

    /// K_w before the horizon caps it: state.json's backlog may not have more time than this.
    public func uncappedWindowPeriods(_ w: Int) -> Double {
        Self.wholePeriods(classes[w].deadlineHours * 60 / Double(periodMinutes))
    }

    /// floor(q), nudged so that a quotient meant to be whole (1.5 h / 30 min) is not 2.999...
    static func wholePeriods(_ q: Double) -> Double { (q + 1e-9 * max(1, q)).rounded(.down) }

    /// The index of node n's pool of class w's type, or nil when the node has none.
    public func pool(of w: Int, at n: Int) -> Int? { nodes[n].poolIndex(classes[w].pool) }

    /// The instant `commitPeriods` after the start: where the state this run leaves stands.
    public var commitEnd: Timestamp { periodStart(commitPeriods) }
}

/// Which grid emission factors the objective uses (scenario.md, `carbon_signal`).
public enum CarbonSignal: String, Sendable, CaseIterable {
    case average, marginal
}

/// Work from `state.json` that arrived before the horizon and must finish by `due`.
public struct BacklogEntry: Sendable, Equatable {
    public var classIndex: Int
    public var origin: Int
    public var due: Timestamp
    /// K_b of model.md, capped at the horizon's last period: the last period it may run in.
    public var lastPeriod: Int
    public var cuH: Double
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
    /// The node's compute, one pool per type (a version-1 node has one `general` pool).
    public var pools: [Pool]
    public var coolingModel: String
    /// Most power drawn from the grid; nil means unlimited.
    public var gridImportMW: Double?
    public var battery: Battery?

    /// A node's idle load is the sum of its pools' (model.md, "Infeasibility").
    public var idleITMW: Double { pools.reduce(0) { $0 + $1.idleITMW } }

    public init(id: String, name: String? = nil, latitude: Double? = nil, longitude: Double? = nil, pools: [Pool],
                coolingModel: String, gridImportMW: Double? = nil, battery: Battery? = nil) {
        (self.id, self.name, self.latitude, self.longitude) = (id, name, latitude, longitude)
        (self.pools, self.coolingModel, self.gridImportMW, self.battery) = (pools, coolingModel, gridImportMW, battery)
    }

    /// A node of version 1's three compute keys: one `general` pool.
    public init(id: String, name: String? = nil, latitude: Double? = nil, longitude: Double? = nil,
                capacityCU: Double, idleITMW: Double, itMWPerCU: Double,
                coolingModel: String, gridImportMW: Double? = nil, battery: Battery? = nil) {
        self.init(id: id, name: name, latitude: latitude, longitude: longitude,
                  pools: [Pool(capacityCU: capacityCU, idleITMW: idleITMW, itMWPerCU: itMWPerCU)],
                  coolingModel: coolingModel, gridImportMW: gridImportMW, battery: battery)
    }

    public func poolIndex(_ type: String) -> Int? { pools.firstIndex { $0.type == type } }
}

/// One kind of compute at a node (scenario.md, "Compute pools"). Its CU is the pool type's own.
public struct Pool: Sendable, Equatable {
    public static let general = "general"
    public var type: String
    public var capacityCU: Double
    public var idleITMW: Double
    public var itMWPerCU: Double

    public init(type: String = Pool.general, capacityCU: Double, idleITMW: Double, itMWPerCU: Double) {
        self.type = type
        self.capacityCU = capacityCU
        self.idleITMW = idleITMW
        self.itMWPerCU = itMWPerCU
    }

    /// IT power with the pool full, MW.
    public var fullLoadITMW: Double { idleITMW + itMWPerCU * capacityCU }
}

public struct Battery: Sendable, Equatable {
    public var energyMWh: Double
    public var powerMW: Double
    public var roundTripEfficiency: Double
    /// State of charge at the start, as a fraction of `energyMWh`; also the level it must end at.
    public var initialSOC: Double
    /// The energy `state.json` says the battery holds at the start, replacing `initialSOC`'s.
    public var stateEnergyMWh: Double? = nil

    /// One-way efficiency, sqrt(round-trip), applied on charge and on discharge.
    public var oneWayEfficiency: Double { roundTripEfficiency.squareRoot() }
    /// initial_soc x energy: where the battery must be at the horizon's end (constraint 8).
    public var initialEnergyMWh: Double { initialSOC * energyMWh }
    /// s[-1] of model.md: from the state when there is one.
    public var startEnergyMWh: Double { stateEnergyMWh ?? initialEnergyMWh }
}

public struct WorkloadClass: Sendable, Equatable {
    public var id: String
    public var deadlineHours: Double
    public var movable: Bool
    public var maxLatencyMs: Double?
    /// The only nodes other than the origin where the work may run; nil means any linked node.
    public var allowedNodes: [String]?
    public var gbPerCUh: Double
    /// The pool type the work needs.
    public var pool: String = Pool.general
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
