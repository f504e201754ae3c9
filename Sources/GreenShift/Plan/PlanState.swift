import Foundation

/// The state a run leaves for the next one (`state.json`, schema `greenshift.state/1`; plan.md):
/// the backlog still to run and each battery's energy at `at`. The next scenario reads it with
/// `StateLoader`, which applies scenario.md's rules; this type only writes and decodes it.
public struct PlanState: Sendable, Decodable, Equatable {
    public static let schemaVersion = "greenshift.state/1"

    public var schema: String = PlanState.schemaVersion
    public var at: String
    public var backlog: [BacklogEntry]
    public var batteries: [BatteryEnergy]

    public init(at: String, backlog: [BacklogEntry], batteries: [BatteryEnergy]) {
        (self.at, self.backlog, self.batteries) = (at, backlog, batteries)
    }

    public struct BacklogEntry: Sendable, Decodable, Equatable {
        public var classID: String
        public var origin: String
        public var due: String
        public var cuH: Double
        enum CodingKeys: String, CodingKey { case classID = "class", origin, due, cuH = "cu_h" }
    }

    /// The backlog entries of one class and origin: the work left per last period it may run
    /// in (`byLast`), due at that period's end, earliest first, leaving out round-off below
    /// `noise` CU*h.
    static func backlog(_ byLast: [Int: Double], classID: String, origin: String, above noise: Double,
                        in scenario: Scenario) -> [BacklogEntry] {
        byLast.keys.sorted().filter { byLast[$0]! > noise }.map { last in
            BacklogEntry(classID: classID, origin: origin, due: scenario.periodStart(last + 1).description, cuH: byLast[last]!)
        }
    }

    public struct BatteryEnergy: Sendable, Decodable, Equatable {
        public var node: String
        public var energyMWh: Double
        enum CodingKeys: String, CodingKey { case node, energyMWh = "energy_mwh" }
    }

    public var backlogCUh: Double { backlog.reduce(0) { $0 + $1.cuH } }

    public func json() -> JSON {
        .object([
            ("schema", .string(schema)), ("at", .string(at)),
            ("backlog", .array(backlog.map { b in
                .object([("class", .string(b.classID)), ("origin", .string(b.origin)), ("due", .string(b.due)),
                         ("cu_h", .number(b.cuH))])
            })),
            ("batteries", .array(batteries.map { .object([("node", .string($0.node)), ("energy_mwh", .number($0.energyMWh))]) })),
        ])
    }

    /// Reads a state.json as written by `optimize` or `evaluate`; its rules as a next scenario's
    /// state are StateLoader's.
    public static func read(from path: String) throws(InputError) -> PlanState {
        let text: String
        switch TextFile.read(path, displayName: path) {
        case .success(let t): text = t
        case .failure(let d): throw InputError([d])
        }
        do {
            return try JSONDecoder().decode(PlanState.self, from: Data(text.utf8))
        } catch {
            throw InputError([Diagnostic(file: path, "not a greenshift state: \(error)")])
        }
    }
}
