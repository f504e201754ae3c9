import Foundation

/// Reads and validates a scenario folder (scenario.md, version 2). Every rule violation is
/// collected, with file, line and column, and thrown together as one `InputError`.
public struct ScenarioLoader {
    public let directory: String
    /// The shipped cooling-model library, searched after the scenario's own `cooling/`.
    public let coolingLibrary: String?

    public init(directory: String, coolingLibrary: String? = CoolingModelLoader.defaultLibraryDirectory()) {
        self.directory = directory
        self.coolingLibrary = coolingLibrary
    }

    public static let requiredSeries = ["renewable_mw", "carbon_intensity", "temperature_c"]
    public static let marginalSeries = "marginal_carbon_intensity"

    public func load() throws(InputError) -> Scenario {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) else {
            let problem = TextFile.problem(with: directory) ?? "not found"
            throw InputError([Diagnostic(file: directory, "scenario folder \(problem == "file not found" ? "not found" : problem)")])
        }
        guard isDirectory.boolValue else {
            throw InputError([Diagnostic(file: directory, "is a file; a scenario is a folder holding scenario.toml and timeseries/")])
        }
        var collector = DiagnosticCollector()
        var header = readScenarioTOML(&collector)
        let cooling = header.map { resolveCooling($0, &collector) }
        let series = readTimeSeries(header, &collector)
        if var h = header, h.complete {
            StateLoader(file: path(StateLoader.fileName)).read(into: &h, &collector)
            header = h
        }
        guard collector.isEmpty, let header, let cooling, let series else {
            throw InputError(Self.inFileOrder(collector.diagnostics))
        }
        return try scenario(header, series, cooling.compactMap { $0 })
    }

    /// The scenario of a header, its series and cooling models, once each has passed its rules.
    func scenario(_ header: Header, _ series: Series, _ cooling: [CoolingModel]) throws(InputError) -> Scenario {
        let scenario = Scenario(
            name: header.name, start: header.start, periodMinutes: header.periodMinutes,
            periodCount: header.periodCount, commitPeriods: header.commitPeriods ?? header.periodCount,
            unservedPenaltyKgPerCUh: header.penalty, carbonSignal: header.carbonSignal,
            nodes: header.nodes, classes: header.classes, links: header.links, backlog: header.backlog,
            renewableMW: series.renewable, averageKgPerMWh: series.carbon, marginalKgPerMWh: series.marginal,
            temperatureC: series.temperature, pricePerMWh: series.price, demandCUh: series.demand,
            cooling: cooling)
        let overflows = Self.overflows(scenario, file: path("scenario.toml"))
        guard overflows.isEmpty else { throw InputError(overflows) }
        return scenario
    }

    /// scenario.toml and its cooling models alone, for a folder whose series live elsewhere (a
    /// simulate history's `actuals/` and `forecasts/DAY/`, read with `readTimeSeries(_:in:_:)`).
    func loadFixedPart() throws(InputError) -> (header: Header, cooling: [CoolingModel]) {
        var collector = DiagnosticCollector()
        let header = readScenarioTOML(&collector)
        let cooling = header.map { resolveCooling($0, &collector) }
        guard collector.isEmpty, let header, header.complete, let cooling else {
            throw InputError(Self.inFileOrder(collector.diagnostics))
        }
        return (header, cooling.compactMap { $0 })
    }

    /// Every number is finite, but products of them (full-load power, network energy) may not be:
    /// such a scenario is bad input, not a solver failure.
    static func overflows(_ s: Scenario, file: String) -> [Diagnostic] {
        var found: [Diagnostic] = []
        let pue = s.pue
        let factors = s.marginalKgPerMWh.map { zip(s.averageKgPerMWh, $0).map { zip($0, $1).map(max) } } ?? s.averageKgPerMWh
        for (n, node) in s.nodes.enumerated() {
            let fullLoadMW = (pue[n].max() ?? 1) * node.pools.reduce(0) { $0 + $1.fullLoadITMW }
            if !fullLoadMW.isFinite || !(fullLoadMW * factors[n].reduce(0, max) * s.periodHours).isFinite {
                found.append(Diagnostic(file: file, "node '\(node.id)': its power at full load (PUE x (idle_it_mw + it_mw_per_cu x capacity_cu)) or its emissions overflow a double; check the units"))
            }
        }
        let maxFactor = factors.joined().reduce(0, max)
        for link in s.links {
            for c in s.classes where !(link.kwhPerGB / 1000 * c.gbPerCUh * maxFactor).isFinite {
                found.append(Diagnostic(file: file, "link \(link.a)-\(link.b) and class '\(c.id)': the network emissions per CU*h (kwh_per_gb x gb_per_cu_h x emission factor) overflow a double; check the units"))
            }
        }
        return found
    }

    /// Files in the order they were read, and each file's problems by line and column.
    static func inFileOrder(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var rank: [String: Int] = [:]
        for d in diagnostics where rank[d.file] == nil { rank[d.file] = rank.count }
        return diagnostics.enumerated().sorted { a, b in
            let (x, y) = (a.element, b.element)
            return (rank[x.file]!, x.line ?? 0, x.column ?? 0, a.offset) < (rank[y.file]!, y.line ?? 0, y.column ?? 0, b.offset)
        }.map(\.element)
    }

    // MARK: scenario.toml

    /// What scenario.toml says. Fields that failed validation are absent (nil or left out).
    struct Header {
        var name = ""
        var start = Timestamp(epochSeconds: 0)
        var periodMinutes = 60
        var periodCount = 1
        var commitPeriods: Int?
        var commitPosition: SourcePosition?
        var penalty = 10_000.0
        var carbonSignal = CarbonSignal.average
        var carbonSignalPosition: SourcePosition?
        var nodes: [Node] = []
        var nodePositions: [SourcePosition] = []
        var classes: [WorkloadClass] = []
        var links: [Link] = []
        var backlog: [BacklogEntry] = []
        /// Whether every node's pools were read, so a class's pool type can be looked for.
        var poolsKnown = true
        /// Whether the horizon and the node and class ids are known, so time series can be checked.
        var complete = true
        /// Nodes with errors of their own: rules that read their pools or battery (in time series,
        /// state.json) are not checked against them, so one mistake is reported once.
        var brokenNodes: Set<Int> = []

        /// Whether work of the class can be checked for having no pool to run in: every node's
        /// pools are known and some node has the class's pool type (else that is the one error).
        func poolRulesApply(toClass w: Int) -> Bool {
            complete && poolsKnown && nodes.contains { $0.poolIndex(classes[w].pool) != nil }
        }
    }

    private func path(_ relative: String) -> String {
        (directory as NSString).appendingPathComponent(relative)
    }

    static let idPattern = "[A-Za-z0-9_-]+"

    static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id.unicodeScalars.allSatisfy {
            ($0.isASCII && $0.properties.isAlphabetic) || ("0" ... "9").contains($0) || $0 == "_" || $0 == "-"
        }
    }

    private func readScenarioTOML(_ collector: inout DiagnosticCollector) -> Header? {
        let file = path("scenario.toml")
        let text: String
        switch TextFile.read(file, displayName: file) {
        case .success(let t): text = t
        case .failure(let d): collector.append(contentsOf: [d]); return nil
        }
        let root: TOMLTable
        do {
            root = try TOMLDocument(parsing: text).root
        } catch {
            collector.report(file, error.position, "TOML syntax: \(error.message)")
            return nil
        }
        let r = TOMLSchemaReader(file: file)
        defer { collector.append(contentsOf: r.diagnostics) }
        var h = Header()
        r.rejectUnknownKeys(root, allowed: ["scenario", "objective", "nodes", "classes", "links"], context: "scenario.toml")

        if let s = r.table(root, "scenario", context: "scenario.toml") {
            let ctx = "[scenario]"
            r.rejectUnknownKeys(s, allowed: ["name", "start", "period_minutes", "periods", "commit_periods"], context: ctx)
            if let name = r.string(s, "name", context: ctx) { h.name = name } else { h.complete = false }
            if let start = readStart(s, r) { h.start = start } else { h.complete = false }
            if let pm = r.integer(s, "period_minutes", context: ctx, range: 1 ... 1440) { h.periodMinutes = pm } else { h.complete = false }
            let periods = r.integer(s, "periods", context: ctx, range: 1 ... Int.max)
            if let periods { h.periodCount = periods } else { h.complete = false }
            if s["commit_periods"] != nil {
                h.commitPosition = s["commit_periods"]!.position
                if let c = r.integer(s, "commit_periods", context: ctx, range: 1 ... (periods ?? Int.max)) {
                    h.commitPeriods = c
                } else { h.complete = false }
            }
        } else {
            r.report(SourcePosition(line: 1, column: 1), "scenario.toml needs a [scenario] table (required)")
            h.complete = false
        }

        if let o = r.table(root, "objective", context: "scenario.toml") {
            r.rejectUnknownKeys(o, allowed: ["unserved_penalty_kg_per_cu_h", "carbon_signal"], context: "[objective]")
            if let p = r.number(o, "unserved_penalty_kg_per_cu_h", context: "[objective]", required: false,
                                isValid: { $0 > 0 }, rule: "> 0") { h.penalty = p }
            if let text = r.string(o, "carbon_signal", context: "[objective]", required: false) {
                h.carbonSignalPosition = o["carbon_signal"]?.position
                if let signal = CarbonSignal(rawValue: text) { h.carbonSignal = signal } else {
                    r.report(o["carbon_signal"]?.position, "'carbon_signal' in [objective] must be \"average\" or \"marginal\", found \"\(text)\"")
                }
            }
        }

        readNodes(root, r, &h)
        readClasses(root, r, &h)
        readLinks(root, r, &h)
        return h
    }

    private func readStart(_ s: TOMLTable, _ r: TOMLSchemaReader) -> Timestamp? {
        guard let node = s["start"] else {
            r.report(s.position, "[scenario] has no 'start' (required)")
            return nil
        }
        let text: String
        switch node.value {
        case .string(let t): text = t
        case .dateTime(let d) where d.hasOffset: text = d.text
        case .dateTime:
            r.report(node.position, "'start' needs a UTC offset (Z or +HH:MM), e.g. 2026-11-27T00:00:00+08:00")
            return nil
        default:
            r.report(node.position, "'start' must be an ISO 8601 date-time with UTC offset, found \(node.value.typeName)")
            return nil
        }
        do {
            return try Timestamp(parsing: text, allowSpaceSeparator: node.value.isDateTime)
        } catch {
            switch error {
            case .missingOffset:
                r.report(node.position, "'start' needs a UTC offset (Z or +HH:MM), e.g. 2026-11-27T00:00:00+08:00")
            case .malformed(let why):
                r.report(node.position, "'start' = \"\(text)\": \(why)")
            }
        }
        return nil
    }

    private func readNodes(_ root: TOMLTable, _ r: TOMLSchemaReader, _ h: inout Header) {
        let tables = r.tables(root, "nodes")
        guard let tables, !tables.isEmpty else {
            // A wrong type was reported by `tables`; say what is missing only when nothing is there.
            if root["nodes"] == nil || tables?.isEmpty == true {
                r.report(SourcePosition(line: 1, column: 1), "a scenario needs at least one [[nodes]] table")
            }
            h.complete = false
            return
        }
        var seen: [String: SourcePosition] = [:]
        for (k, t) in tables.enumerated() {
            var ctx = "[[nodes]] #\(k + 1)"
            var ok = true
            let id = r.string(t, "id", context: ctx)
            r.rejectUnknownKeys(t, allowed: ["id", "name", "latitude", "longitude", "capacity_cu", "idle_it_mw",
                                             "it_mw_per_cu", "pools", "cooling_model", "grid_import_mw", "battery"],
                                context: id.map { "node '\($0)'" } ?? ctx)
            if let id {
                ctx = "node '\(id)'"
                if !Self.isValidID(id) {
                    r.report(t["id"]?.position, "node id '\(id)' must match \(Self.idPattern)"); ok = false
                } else if id == "timestamp" {
                    r.report(t["id"]?.position, "no node may be called 'timestamp' (it is the time column of every CSV)"); ok = false
                } else if let first = seen[id] {
                    r.report(t["id"]?.position, "node id '\(id)' is used twice (first at line \(first.line))"); ok = false
                } else {
                    seen[id] = t["id"]!.position
                }
            } else { ok = false }
            let name = r.string(t, "name", context: ctx, required: false)
            let lat = r.number(t, "latitude", context: ctx, required: false, isValid: { (-90 ... 90).contains($0) }, rule: "in -90..90")
            let lon = r.number(t, "longitude", context: ctx, required: false, isValid: { (-180 ... 180).contains($0) }, rule: "in -180..180")
            let pools = readPools(t, r, context: ctx)
            if pools == nil { ok = false; h.poolsKnown = false }
            let coolingName = r.string(t, "cooling_model", context: ctx)
            if let c = coolingName, !CoolingModelLoader.isValidName(c) {
                r.report(t["cooling_model"]?.position, "cooling_model '\(c)' must be a model name (letters, digits, '-', '_', '.'), not a path")
                ok = false
            }
            let grid: Double? = t["grid_import_mw"] == nil ? nil : r.number(t, "grid_import_mw", context: ctx)
            if t["grid_import_mw"] != nil, grid == nil { ok = false }
            var battery: Battery? = nil
            if let b = r.table(t, "battery", context: ctx) {
                let bctx = "the battery of \(ctx)"
                r.rejectUnknownKeys(b, allowed: ["energy_mwh", "power_mw", "round_trip_efficiency", "initial_soc"], context: bctx)
                let energy = r.number(b, "energy_mwh", context: bctx, isValid: { $0 > 0 }, rule: "> 0")
                let power = r.number(b, "power_mw", context: bctx, isValid: { $0 > 0 }, rule: "> 0")
                let rte = r.number(b, "round_trip_efficiency", context: bctx, isValid: { $0 > 0 && $0 <= 1 }, rule: "in (0, 1]")
                let soc = r.number(b, "initial_soc", context: bctx, isValid: { $0 >= 0 && $0 <= 1 }, rule: "in [0, 1]")
                if let energy, let power, let rte, let soc {
                    battery = Battery(energyMWh: energy, powerMW: power, roundTripEfficiency: rte, initialSOC: soc)
                } else { ok = false }
            } else if t["battery"] != nil { ok = false }
            guard let id, seen[id] == t["id"]?.position else {
                // Without a usable id the time-series columns cannot be matched to nodes.
                h.complete = false
                continue
            }
            // A node with other errors still takes its place, so later references to its id (links,
            // columns) are not reported too; the errors already stop the scenario from loading.
            let usableCooling = coolingName.flatMap { CoolingModelLoader.isValidName($0) ? $0 : nil }
            if !ok { h.brokenNodes.insert(h.nodes.count) }
            h.nodes.append(Node(id: id, name: name, latitude: lat, longitude: lon, pools: pools ?? [],
                                coolingModel: usableCooling ?? "",
                                gridImportMW: ok ? grid : nil, battery: ok ? battery : nil))
            h.nodePositions.append(t["cooling_model"]?.position ?? t.position)
        }
    }

    static let computeKeys = ["capacity_cu", "idle_it_mw", "it_mw_per_cu"]

    /// A node's compute: the three version-1 keys (one `general` pool) or `[[nodes.pools]]`,
    /// never both. Nil when something is wrong (already reported).
    private func readPools(_ t: TOMLTable, _ r: TOMLSchemaReader, context ctx: String) -> [Pool]? {
        let flat = Self.computeKeys.filter { t[$0] != nil }
        guard t["pools"] != nil else {
            guard let capacity = r.number(t, "capacity_cu", context: ctx), let idle = r.number(t, "idle_it_mw", context: ctx),
                  let perCU = r.number(t, "it_mw_per_cu", context: ctx) else {
                if flat.isEmpty {
                    r.report(t.position, "\(ctx) needs its compute: either capacity_cu, idle_it_mw and it_mw_per_cu, or [[nodes.pools]] tables")
                }
                return nil
            }
            return [Pool(capacityCU: capacity, idleITMW: idle, itMWPerCU: perCU)]
        }
        var ok = true
        for key in flat {
            r.report(t.keyPosition(key) ?? t[key]?.position,
                     "\(ctx) has both '\(key)' and [[nodes.pools]]; give the three compute keys or pools, never both")
            ok = false
        }
        guard let tables = r.tables(t, "pools") else { return nil }
        if tables.isEmpty {
            r.report(t["pools"]?.position, "\(ctx): 'pools' is empty; a node needs at least one pool"); return nil
        }
        var pools: [Pool] = []
        var seen: [String: SourcePosition] = [:]
        for (k, p) in tables.enumerated() {
            var pctx = "pool #\(k + 1) of \(ctx)"
            r.rejectUnknownKeys(p, allowed: ["type"] + Self.computeKeys, context: pctx)
            let type = r.string(p, "type", context: pctx)
            if let type {
                pctx = "pool '\(type)' of \(ctx)"
                if !Self.isValidID(type) {
                    r.report(p["type"]?.position, "pool type '\(type)' of \(ctx) must match \(Self.idPattern)"); ok = false
                } else if let first = seen[type] {
                    r.report(p["type"]?.position, "\(ctx) has two pools of type '\(type)' (first at line \(first.line)); pool types are unique within a node")
                    ok = false
                } else {
                    seen[type] = p["type"]!.position
                }
            } else { ok = false }
            let capacity = r.number(p, "capacity_cu", context: pctx)
            let idle = r.number(p, "idle_it_mw", context: pctx)
            let perCU = r.number(p, "it_mw_per_cu", context: pctx)
            if let type, let capacity, let idle, let perCU {
                pools.append(Pool(type: type, capacityCU: capacity, idleITMW: idle, itMWPerCU: perCU))
            } else { ok = false }
        }
        return ok ? pools : nil
    }

    private func readClasses(_ root: TOMLTable, _ r: TOMLSchemaReader, _ h: inout Header) {
        guard let tables = r.tables(root, "classes") else {
            if root["classes"] != nil { h.complete = false }
            return
        }
        let nodeIDs = Set(h.nodes.map(\.id))
        var seen: [String: SourcePosition] = [:]
        for (k, t) in tables.enumerated() {
            var ctx = "[[classes]] #\(k + 1)"
            var ok = true
            let id = r.string(t, "id", context: ctx)
            r.rejectUnknownKeys(t, allowed: ["id", "deadline_hours", "movable", "max_latency_ms", "allowed_nodes", "gb_per_cu_h", "pool"],
                                context: id.map { "class '\($0)'" } ?? ctx)
            if let id {
                ctx = "class '\(id)'"
                if !Self.isValidID(id) {
                    r.report(t["id"]?.position, "class id '\(id)' must match \(Self.idPattern)"); ok = false
                } else if let first = seen[id] {
                    r.report(t["id"]?.position, "class id '\(id)' is used twice (first at line \(first.line))"); ok = false
                } else {
                    seen[id] = t["id"]!.position
                }
            } else { ok = false; h.complete = false }
            let deadline = t["deadline_hours"] == nil ? 0 : r.number(t, "deadline_hours", context: ctx)
            let movable = t["movable"] == nil ? false : r.boolean(t, "movable", context: ctx)
            let latency: Double? = t["max_latency_ms"] == nil ? nil : r.number(t, "max_latency_ms", context: ctx)
            if t["max_latency_ms"] != nil, latency == nil { ok = false }
            let gb = t["gb_per_cu_h"] == nil ? 0 : r.number(t, "gb_per_cu_h", context: ctx)
            var pool = Pool.general
            if let type = r.string(t, "pool", context: ctx, required: false) {
                pool = type
                if !Self.isValidID(type) {
                    r.report(t["pool"]?.position, "'pool' of \(ctx) must be a pool type matching \(Self.idPattern), found '\(type)'"); ok = false
                } else if h.complete, h.poolsKnown, !h.nodes.contains(where: { $0.poolIndex(type) != nil }) {
                    let types = Set(h.nodes.flatMap { $0.pools.map(\.type) }).sorted()
                    r.report(t["pool"]?.position, "\(ctx) needs pool type '\(type)', which no node has (pool types: \(types.joined(separator: ", ")))")
                    ok = false
                }
            } else if t["pool"] != nil { ok = false }
            if t["pool"] == nil, h.complete, h.poolsKnown, !h.nodes.contains(where: { $0.poolIndex(Pool.general) != nil }) {
                r.report(t.position, "\(ctx) needs pool type 'general' (the default 'pool'), which no node has; give the class a 'pool'")
                ok = false
            }
            var allowed: [String]? = nil
            if let node = t["allowed_nodes"] {
                if case .array(let elements) = node.value {
                    allowed = []
                    for e in elements {
                        guard case .string(let s) = e.value else {
                            r.report(e.position, "'allowed_nodes' of \(ctx) must list node ids as strings"); ok = false; continue
                        }
                        if h.complete, !nodeIDs.contains(s) {
                            r.report(e.position, "'allowed_nodes' of \(ctx) names '\(s)', which is no node"); ok = false
                        }
                        allowed!.append(s)
                    }
                } else {
                    r.report(node.position, "'allowed_nodes' of \(ctx) must be an array of node ids"); ok = false
                }
            }
            // As with nodes, a class with a usable id keeps its place (and its demand file is read).
            guard let id, seen[id] == t["id"]?.position else { continue }
            h.classes.append(WorkloadClass(id: id, deadlineHours: deadline ?? 0, movable: movable ?? false, maxLatencyMs: latency,
                                           allowedNodes: ok ? allowed : nil, gbPerCUh: gb ?? 0, pool: pool))
        }
    }

    private func readLinks(_ root: TOMLTable, _ r: TOMLSchemaReader, _ h: inout Header) {
        guard let tables = r.tables(root, "links") else { return }
        let nodeIDs = Set(h.nodes.map(\.id))
        var seen: [Set<String>: SourcePosition] = [:]
        for (k, t) in tables.enumerated() {
            let ctx = "[[links]] #\(k + 1)"
            r.rejectUnknownKeys(t, allowed: ["a", "b", "latency_ms", "bandwidth_gbps", "kwh_per_gb"], context: ctx)
            var ok = true
            let a = r.string(t, "a", context: ctx)
            let b = r.string(t, "b", context: ctx)
            for (key, id) in [("a", a), ("b", b)] {
                if let id, h.complete, !nodeIDs.contains(id) {
                    r.report(t[key]?.position, "\(ctx): '\(key)' = '\(id)' is no node"); ok = false
                }
            }
            if let a, let b {
                if a == b {
                    r.report(t["b"]?.position, "\(ctx) joins '\(a)' to itself; 'a' and 'b' must differ"); ok = false
                } else if let first = seen[[a, b]] {
                    r.report(t.position, "\(ctx) joins '\(a)' and '\(b)' again (first at line \(first.line)); at most one link per pair")
                    ok = false
                } else {
                    seen[[a, b]] = t.position
                }
            }
            let latency = r.number(t, "latency_ms", context: ctx)
            let bandwidth: Double? = t["bandwidth_gbps"] == nil ? nil : r.number(t, "bandwidth_gbps", context: ctx)
            if t["bandwidth_gbps"] != nil, bandwidth == nil { ok = false }
            let kwh = t["kwh_per_gb"] == nil ? 0 : r.number(t, "kwh_per_gb", context: ctx)
            guard ok, let a, let b, let latency, let kwh else { continue }
            h.links.append(Link(a: a, b: b, latencyMs: latency, bandwidthGbps: bandwidth, kwhPerGB: kwh))
        }
    }

    // MARK: Cooling models

    private func resolveCooling(_ h: Header, _ collector: inout DiagnosticCollector) -> [CoolingModel?] {
        var cache: [String: CoolingModel?] = [:]
        let scenarioFile = path("scenario.toml")
        return zip(h.nodes, h.nodePositions).map { node, position in
            guard !node.coolingModel.isEmpty else { return nil }  // missing or invalid, already reported
            if let cached = cache[node.coolingModel] { return cached }
            let relative = "cooling/\(node.coolingModel).toml"
            let local = path(relative)
            var candidates = [local]
            if let library = coolingLibrary {
                candidates.append((library as NSString).appendingPathComponent("\(node.coolingModel).toml"))
            }
            guard let found = candidates.first(where: TextFile.exists) else {
                var known = CoolingModelLoader.modelNames(in: path("cooling"))
                if let library = coolingLibrary { known += CoolingModelLoader.modelNames(in: library) }
                let where_ = coolingLibrary.map { "\(relative) or the library \($0)" } ?? "\(relative) (no cooling-model library was found; set GREENSHIFT_COOLING_LIBRARY)"
                collector.report(scenarioFile, position,
                                 "node '\(node.id)': no cooling model '\(node.coolingModel)' in \(where_)"
                                 + (known.isEmpty ? "" : "; known models: \(Array(Set(known)).sorted().joined(separator: ", "))"))
                cache[node.coolingModel] = .some(nil)
                return nil
            }
            switch CoolingModelLoader.load(path: found, displayName: found, name: node.coolingModel) {
            case .success(let model):
                cache[node.coolingModel] = model
                return model
            case .failure(let error):
                collector.append(contentsOf: error.diagnostics)
                cache[node.coolingModel] = .some(nil)
                return nil
            }
        }
    }

    // MARK: Time series

    struct Series {
        var renewable: [[Double]]
        var carbon: [[Double]]
        var temperature: [[Double]]
        var price: [[Double]]?
        var marginal: [[Double]]?
        var demand: [[[Double]]]
    }

    /// The series files of `folder` (the scenario's `timeseries/` unless given), checked against `h`.
    func readTimeSeries(_ h: Header?, in folder: String? = nil, _ collector: inout DiagnosticCollector) -> Series? {
        let folder = folder ?? path("timeseries")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue else {
            collector.report(folder, nil, "timeseries folder not found (it holds renewable_mw.csv, carbon_intensity.csv, temperature_c.csv and demand_<class>.csv)")
            return nil
        }
        // Without a valid horizon and node list the files can only be checked for syntax.
        let shape = h.flatMap { $0.complete ? $0 : nil }
        func read(_ name: String, required: Bool) -> [[Double]]? {
            Self.readSeries(name, in: folder, header: shape, required: required, &collector)
        }
        let renewable = read("renewable_mw", required: true)
        let carbon = read("carbon_intensity", required: true)
        let temperature = read("temperature_c", required: true)
        let price = read("price", required: false)
        let marginal = read(Self.marginalSeries, required: false)
        if let h, h.carbonSignal == .marginal, !TextFile.exists((folder as NSString).appendingPathComponent("\(Self.marginalSeries).csv")) {
            collector.report(path("scenario.toml"), h.carbonSignalPosition,
                             "carbon_signal = \"marginal\" needs timeseries/\(Self.marginalSeries).csv (the marginal grid emission factors), which is missing")
        }

        let classIDs = h?.classes.map(\.id) ?? []
        if h != nil { Self.checkFileNames(in: folder, classIDs: classIDs, &collector) }
        var demand: [[[Double]]] = []
        for (w, id) in classIDs.enumerated() {
            // Work of a class that cannot move, at a node without its pool, could run nowhere.
            var rule: SeriesReader.CellRule?
            // Reported at the first such cell of each column; nodes whose compute keys are broken are skipped.
            if let h, h.poolRulesApply(toClass: w), !h.classes[w].movable {
                let pool = h.classes[w].pool, nodeIDs = h.nodes.map(\.id)
                let poolless = Set(h.nodes.indices.filter { h.nodes[$0].poolIndex(pool) == nil && !h.brokenNodes.contains($0) })
                if !poolless.isEmpty {
                    let reported = NodeSet()
                    rule = { n, v in
                        guard v > 0, poolless.contains(n), reported.nodes.insert(n).inserted else { return nil }
                        return "\(formatNumber(v)) CU*h of class '\(id)' (not movable) arrive at node '\(nodeIDs[n])', which has no '\(pool)' pool: that work could run nowhere (the first such period)"
                    }
                }
            }
            if let d = Self.readSeries("demand_\(id)", in: folder, header: shape, required: true, cellRule: rule, &collector) {
                demand.append(d)
            }
        }
        guard let renewable, let carbon, let temperature, demand.count == classIDs.count else { return nil }
        for name in ["price", Self.marginalSeries] where TextFile.exists((folder as NSString).appendingPathComponent("\(name).csv")) {
            if (name == "price" ? price : marginal) == nil { return nil }
        }
        return Series(renewable: renewable, carbon: carbon, temperature: temperature, price: price, marginal: marginal, demand: demand)
    }

    /// Reads `<folder>/<name>.csv` with the rules scenario.md sets for that series; nil when the
    /// file is missing (an error only when `required`) or breaks a rule. `greenshift evaluate`
    /// reads actual series through here too, so they meet the same rules and messages.
    static func readSeries(_ name: String, in folder: String, header: Header?, required: Bool,
                           cellRule: SeriesReader.CellRule? = nil, _ collector: inout DiagnosticCollector) -> [[Double]]? {
        let file = (folder as NSString).appendingPathComponent("\(name).csv")
        if !TextFile.exists(file) {
            if required { collector.report(file, nil, "file not found (required)") }
            return nil
        }
        // Demand files may leave out nodes; only temperatures and prices may be negative.
        let reader = SeriesReader(file: file, header: header, allNodes: !name.hasPrefix("demand_"),
                                  negativeAllowed: name == "temperature_c" || name == "price", cellRule: cellRule)
        let result = reader.read()
        collector.append(contentsOf: reader.diagnostics)
        return result
    }

    /// Reports the files of a series folder that would otherwise be skipped without a word: a
    /// `.csv` that names no series (`known`, besides `demand_<class>` of `classIDs`), such as
    /// `prices.csv`, with the nearest name; and a series under a near miss of the extension
    /// (`temperature_c.cvs`). Other files (a README, say) are left alone.
    static func checkFileNames(in folder: String, known series: [String] = requiredSeries + ["price", marginalSeries],
                               classIDs: [String], _ collector: inout DiagnosticCollector) {
        let known = series + classIDs.map { "demand_\($0)" }
        let expected = known.map { $0 + ".csv" } + (classIDs.isEmpty ? ["demand_<class>.csv"] : [])
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
        for file in files where !file.hasPrefix(".") {
            let path = (folder as NSString).appendingPathComponent(file)
            guard file.hasSuffix(".csv") else {
                // Only a near miss of ".csv" (.CSV, .cvs, .tsv); a copy kept beside a series
                // (renewable_mw.csv.bak, .csv~, .csv.1) stays unread quietly.
                let stem = String(file.prefix { $0 != "." })
                let ext = String(file.dropFirst(stem.count + 1))
                if file.contains("."), !ext.hasPrefix("csv"), editDistance(ext.lowercased(), "csv") <= 2,
                   known.contains(stem) || stem.hasPrefix("demand_") {
                    collector.report(path, nil, "\(file) is not read: time series are .csv files (did you mean \(stem).csv?)")
                }
                continue
            }
            let name = String(file.dropLast(".csv".count))
            guard !known.contains(name) else { continue }
            if name.hasPrefix("demand_") {
                let id = String(name.dropFirst("demand_".count))
                collector.report(path, nil, "demand_\(id).csv names class '\(id)', which scenario.toml does not define"
                                 + (classIDs.isEmpty ? "" : " (classes: \(classIDs.joined(separator: ", ")))"))
            } else {
                let near = known.min { editDistance($0, name) < editDistance($1, name) }
                let hint = near.map { editDistance($0, name) <= 3 ? " (did you mean \($0).csv?)" : "" } ?? ""
                collector.report(path, nil, "\(file) is no time series of the scenario format\(hint); expected \(expected.joined(separator: ", "))")
            }
        }
    }
}

private extension TOMLValue {
    var isDateTime: Bool { if case .dateTime = self { true } else { false } }
}

/// The nodes a cell rule has reported, so that it reports each column once.
private final class NodeSet { var nodes = Set<Int>() }

/// Reads one wide time-series CSV: a `timestamp` column and one column per node.
final class SeriesReader {
    let file: String
    let header: ScenarioLoader.Header?
    let allNodes: Bool
    let negativeAllowed: Bool
    /// A rule a valid value must also meet at a node: the message when it does not.
    typealias CellRule = (_ node: Int, _ value: Double) -> String?
    let cellRule: CellRule?
    private(set) var diagnostics: [Diagnostic] = []

    init(file: String, header: ScenarioLoader.Header?, allNodes: Bool, negativeAllowed: Bool, cellRule: CellRule? = nil) {
        self.file = file
        self.header = header
        self.allNodes = allNodes
        self.negativeAllowed = negativeAllowed
        self.cellRule = cellRule
    }

    private func report(_ position: SourcePosition?, _ message: String) {
        diagnostics.append(Diagnostic(file: file, line: position?.line, column: position?.column, message))
    }

    /// Values indexed `[node][period]` in the order of the scenario's nodes (zeros for a node
    /// without a column), or nil when the file breaks a rule.
    func read() -> [[Double]]? {
        let text: String
        switch TextFile.read(file, displayName: file) {
        case .success(let t): text = t
        case .failure(let d): diagnostics.append(d); return nil
        }
        let table: CSVTable
        do {
            table = try CSVTable(parsing: text)
        } catch {
            report(error.position, "CSV syntax: \(error.message)")
            return nil
        }
        guard let head = table.records.first, !(head.count == 1 && head[0].text.isEmpty) else {
            report(SourcePosition(line: 1, column: 1), "the file is empty; expected a header 'timestamp,<node ids>'")
            return nil
        }
        if head.count == 1, head[0].text.contains(";") {
            report(head[0].position, "the header has no commas but has semicolons: the file must be comma-separated (a spreadsheet set to a semicolon list separator writes ';')")
            return nil
        }
        if head[0].text != "timestamp" {
            report(head[0].position, "the first column must be 'timestamp', found '\(head[0].text)'")
        }
        let nodes = header?.nodes.map(\.id)
        var columnNode: [Int?] = [nil]
        var seen: [String: Int] = [:]
        for (k, field) in head.enumerated().dropFirst() {
            let id = field.text
            if let first = seen[id] {
                report(field.position, "column '\(id)' appears twice (first as field \(first + 1) of the header)")
            } else {
                seen[id] = k
            }
            if let nodes {
                if let n = nodes.firstIndex(of: id) { columnNode.append(n) } else {
                    let near = nodes.min { editDistance($0, id) < editDistance($1, id) }
                    let hint = near.map { editDistance($0, id) <= 2 ? " (did you mean '\($0)'?)" : "" } ?? ""
                    report(field.position, "column '\(id)' is no node id\(hint)")
                    columnNode.append(nil)
                }
            } else {
                columnNode.append(nil)
            }
        }
        if allNodes, let nodes {
            let missing = nodes.filter { seen[$0] == nil }
            if !missing.isEmpty {
                report(SourcePosition(line: 1, column: 1), "no column for node\(missing.count > 1 ? "s" : "") \(missing.map { "'\($0)'" }.joined(separator: ", ")); every node needs one")
            }
        }
        let periods = header?.periodCount
        let rows = table.records.dropFirst()
        // Sized by the rows the file has, not by `periods`, which may be absurdly large.
        var values = [[Double]](repeating: [Double](repeating: 0, count: min(periods ?? 0, rows.count)), count: nodes?.count ?? 0)
        if let periods, rows.count != periods {
            let position = rows.count > periods ? rows[rows.startIndex + periods][0].position
                                                : SourcePosition(line: (rows.last?[0].position.line ?? 1) + 1, column: 1)
            report(position, "\(rows.count) data rows, expected \(periods) (one per period)")
        }
        var errorsShown = 0
        func rowError(_ position: SourcePosition, _ message: String) {
            errorsShown += 1
            if errorsShown <= 50 { report(position, message) }
        }
        // After a missing or repeated row every later timestamp is off by the same periods: the
        // rows are compared with the grid as realigned at the last mismatch, so one gap is one error.
        var shift = 0
        for (k, row) in rows.enumerated() {
            if row.count != head.count {
                let position = row.count > head.count ? row[head.count].position : row.last!.position
                var message = "row has \(row.count) field\(row.count == 1 ? "" : "s"), expected \(head.count) like the header"
                if row.count > head.count, row.count - head.count == head.count - 1 {
                    message += " (decimal commas? write 12.5, not 12,5)"
                }
                rowError(position, message)
                continue
            }
            if let header, k < header.periodCount {
                let expected = header.start.adding(minutes: k * header.periodMinutes)
                let field = row[0]
                do {
                    let stamp = try Timestamp(parsing: field.text)
                    let seen = header.start.adding(minutes: (k + shift) * header.periodMinutes)
                    if stamp != seen {
                        let period = Int64(60 * header.periodMinutes)
                        let offsetSeconds = stamp.epochSeconds - header.start.epochSeconds
                        let periods = offsetSeconds % period == 0 ? Int(offsetSeconds / period) - (k + shift) : 0
                        // Rows missing or repeated only when the next row follows this one; else
                        // this row alone is wrong (a typo), and the grid stays.
                        let next = k + 1 < rows.count ? rows[rows.startIndex + k + 1].first.flatMap { try? Timestamp(parsing: $0.text) } : nil
                        let realigned = periods != 0 && (k + 1 == rows.count || next == stamp.adding(minutes: header.periodMinutes))
                        let what = !realigned ? "a wrong timestamp"
                            : periods > 0 ? "\(periods) row\(periods == 1 ? "" : "s") missing before it"
                            : "\(-periods) period\(periods == -1 ? "" : "s") back: a repeated or out-of-order row"
                        let grid = shift == 0 ? "start + \(k) x \(header.periodMinutes) min"
                            : "start + \(k + shift) x \(header.periodMinutes) min, after the \(abs(shift)) row\(abs(shift) == 1 ? "" : "s") \(shift > 0 ? "missing" : "repeated") above"
                        rowError(field.position, "timestamp \(field.text) should be \(seen) (\(grid)); \(what)")
                        if realigned { shift += periods }
                    }
                } catch {
                    switch error {
                    case .missingOffset:
                        rowError(field.position, "timestamp '\(field.text)' has no UTC offset; write it like \(expected) (a local time without an offset is ambiguous)")
                    case .malformed(let why):
                        rowError(field.position, "timestamp '\(field.text)': \(why)")
                    }
                }
            }
            for (c, field) in row.enumerated().dropFirst() {
                switch Self.parseValue(field.text) {
                case .failure(let why):
                    rowError(field.position, "\(why)")
                case .success(let v):
                    if v < 0, !negativeAllowed {
                        rowError(field.position, "value \(field.text) is negative; this series must be >= 0")
                    } else if let n = columnNode[c], k < values[n].count {
                        if let message = cellRule?(n, v) { rowError(field.position, message) }
                        values[n][k] = v
                    }
                }
            }
        }
        if errorsShown > 50 { report(nil, "\(errorsShown - 50) more problems in this file not shown") }
        return diagnostics.isEmpty && header != nil ? values : nil
    }

    /// A decimal number as scenario.md allows it: `12`, `-3.5`, `1e3`, `.5`, `+2`; finite.
    static func parseValue(_ text: String) -> Result<Double, ValueError> {
        if text.isEmpty { return .failure(ValueError("empty cell; every period needs a value")) }
        let t = text.utf8
        var k = t.startIndex
        func digits() -> Int {
            var count = 0
            while k != t.endIndex, t[k] >= 48 && t[k] <= 57 { k = t.index(after: k); count += 1 }
            return count
        }
        if k != t.endIndex, t[k] == 43 || t[k] == 45 { k = t.index(after: k) }
        var mantissa = digits()
        if k != t.endIndex, t[k] == 46 { k = t.index(after: k); mantissa += digits() }
        var valid = mantissa > 0
        if valid, k != t.endIndex, t[k] == 101 || t[k] == 69 {
            k = t.index(after: k)
            if k != t.endIndex, t[k] == 43 || t[k] == 45 { k = t.index(after: k) }
            valid = digits() > 0
        }
        guard valid, k == t.endIndex else {
            let lower = text.lowercased()
            if ["nan", "+nan", "-nan"].contains(lower) { return .failure(ValueError("NaN is not a value; every period needs a number")) }
            if lower.hasSuffix("inf") || lower.hasSuffix("infinity") { return .failure(ValueError("'\(text)' is not a finite number")) }
            if text.contains(",") { return .failure(ValueError("'\(text)' is not a number (decimal commas or thousands separators? write 1234.5)")) }
            if lower.hasPrefix("0x") || lower.hasPrefix("-0x") { return .failure(ValueError("'\(text)' is not a decimal number (hexadecimal is not allowed)")) }
            if text.first == " " || text.last == " " { return .failure(ValueError("'\(text)' has spaces around the number")) }
            return .failure(ValueError("'\(text)' is not a decimal number"))
        }
        guard let v = Double(text), v.isFinite else {
            return .failure(ValueError("'\(text)' is out of range (not a finite double)"))
        }
        return .success(v)
    }

    struct ValueError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
