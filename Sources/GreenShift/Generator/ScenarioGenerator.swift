import Foundation

/// Generates realistic scenarios of any size, deterministically: the same parameters give the
/// same bytes. Nodes are placed around the ten national hubs, with the hubs' 2023 grid factors,
/// renewables from solar geometry and a nocturnal wind profile, a diurnal temperature cycle,
/// the shipped cooling models, and demand shaped by the Google 2019 trace. Benchmarks and
/// stress tests use it; `Data/README.md` explains the physics.
public struct ScenarioGenerator: Sendable {
    public var nodes = 10
    public var periods = 24
    public var periodMinutes = 60
    public var classes = 3
    public var seed: UInt64 = 1
    /// Links per node in large scenarios; up to this many + 1 nodes are fully meshed.
    public var linksPerNode = 6
    /// Compute pool types besides `general` to give nodes (`ai`, `hpc`); empty writes version-1
    /// nodes, byte for byte what the generator wrote before pools.
    public var extraPools: [String] = []

    /// The pool types the generator knows beyond `general`.
    public static let poolTypes = PoolTemplate.all.map(\.type)

    public init(nodes: Int = 10, periods: Int = 24, periodMinutes: Int = 60, classes: Int = 3, seed: UInt64 = 1) {
        self.nodes = nodes
        self.periods = periods
        self.periodMinutes = periodMinutes
        self.classes = classes
        self.seed = seed
    }

    static let start = "2026-11-27T00:00:00+08:00"
    static let utcOffsetHours = 8.0

    struct Site {
        let id: String
        let hub: PublicData.Hub
        let latitude: Double
        let longitude: Double
        let capacityCU: Double
        let idleFraction: Double
        let cooling: String
        let gridImportMW: Double?
        let battery: (energy: Double, power: Double, efficiency: Double)?
        let solarMW: Double
        let windMW: Double
        let carbonScale: Double
        let demandScale: Double
    }

    /// A pool type beyond general: which nodes have one, its size and its power. Its compute unit
    /// is the type's own: an accelerator (ai) or a CPU node (hpc), busy for an hour.
    struct PoolTemplate {
        let type: String
        /// Chance that a western or an eastern node has the pool.
        let westShare: Double, eastShare: Double
        /// Units per general CU of the node's general capacity.
        let unitsPerCU: Double
        /// Full-load IT power per unit and the fraction of it drawn idle.
        let peakITMWPerUnit: Double, idleFraction: Double
        /// The class that needs the pool.
        let workload: ClassTemplate

        static let all = [
            // An 8-GPU server draws about 10.2 kW at full load (NVIDIA DGX H100 datasheet), 1.3 kW per
            // accelerator; about 30 % of it idle. The national plan puts intelligent-computing centres
            // mostly in the western hubs beside their wind and solar.
            PoolTemplate(type: "ai", westShare: 0.8, eastShare: 0.3, unitsPerCU: 0.02, peakITMWPerUnit: 0.0013, idleFraction: 0.3,
                         workload: ClassTemplate(id: "ai-training", deadlineHours: 24, movable: true, maxLatencyMs: nil, gbPerCUh: 0.2,
                                                 share: 0.2, shapeWeight: 0.2, pool: "ai")),
            // A two-socket CPU node of a supercomputing partition: about 0.6 kW at full load, a quarter idle.
            PoolTemplate(type: "hpc", westShare: 0.3, eastShare: 0.3, unitsPerCU: 0.05, peakITMWPerUnit: 0.0006, idleFraction: 0.25,
                         workload: ClassTemplate(id: "simulation", deadlineHours: 12, movable: true, maxLatencyMs: nil, gbPerCUh: 0.5,
                                                 share: 0.15, shapeWeight: 0.3, pool: "hpc")),
        ]
    }

    struct ClassTemplate {
        let id: String
        let deadlineHours: Double
        let movable: Bool
        let maxLatencyMs: Double?
        let gbPerCUh: Double
        /// Share of each origin's mean demand, and how much of the trace's swing it keeps.
        let share: Double
        let shapeWeight: Double
        var pool: String = Pool.general
    }

    static let classTemplates: [ClassTemplate] = [
        ClassTemplate(id: "web", deadlineHours: 0, movable: false, maxLatencyMs: nil, gbPerCUh: 0, share: 0.45, shapeWeight: 1),
        ClassTemplate(id: "batch", deadlineHours: 12, movable: true, maxLatencyMs: nil, gbPerCUh: 0.05, share: 0.25, shapeWeight: 0.5),
        ClassTemplate(id: "ai-training", deadlineHours: 24, movable: true, maxLatencyMs: nil, gbPerCUh: 0.01, share: 0.2, shapeWeight: 0.2),
        ClassTemplate(id: "analytics", deadlineHours: 4, movable: true, maxLatencyMs: 12, gbPerCUh: 0.2, share: 0.1, shapeWeight: 1),
    ]

    /// Server power at full load (Fan, Weber and Barroso 2007 linear model; 500 W per CU).
    static let peakITMWPerCU = 0.0005
    static let kwhPerGB = 0.06

    /// The `classes` classes asked for: the templates in order, then flexible ones.
    private var requestedClasses: [ClassTemplate] {
        (0 ..< classes).map { k in
            k < Self.classTemplates.count ? Self.classTemplates[k]
                : ClassTemplate(id: "flex-\(k)", deadlineHours: Double(2 + 2 * k), movable: true, maxLatencyMs: nil,
                                gbPerCUh: 0.02, share: 0.1, shapeWeight: 0.5)
        }
    }

    /// The classes the scenario holds: the requested ones with the extra pools' workloads,
    /// ai-training needing the ai pool once there is one and hpc bringing its own class.
    private var writtenClasses: [ClassTemplate] {
        var written = requestedClasses
        for extra in extraPools.compactMap({ type in PoolTemplate.all.first { $0.type == type } }) {
            if let k = written.firstIndex(where: { $0.id == extra.workload.id }) { written[k] = extra.workload }
            else { written.append(extra.workload) }
        }
        return written
    }

    /// How many classes the scenario holds (more than `classes` when a pool brings its own).
    public var classCount: Int { writtenClasses.count }

    /// The scenario's files, by path relative to the scenario folder.
    public func files() -> [(path: String, contents: String)] {
        let (sites, toml) = layout()
        return [("scenario.toml", toml)] + series(sites).map { ("timeseries/\($0.name).csv", csv(sites, $0.value)) }
    }

    /// The sites and scenario.toml.
    func layout() -> (sites: [Site], toml: String) {
        var random = SplitMix64(seed: seed)
        let sites = makeSites(&random)
        let links = makeLinks(sites, &random)
        return (sites, scenarioTOML(sites, writtenClasses, links, pools: poolsPerSite(sites)))
    }

    /// Every time series by file name (without .csv), as a value per site and period.
    func series(_ sites: [Site]) -> [(name: String, value: (Site, Int) -> Double)] {
        var result: [(name: String, value: (Site, Int) -> Double)] = [
            ("renewable_mw", { s, t in renewableMW(s, t) }),
            ("carbon_intensity", { s, t in carbonKgPerMWh(s, t) }),
            ("temperature_c", { s, t in temperatureC(s, t) }),
        ]
        let shares = requestedClasses.map(\.share).reduce(0, +)
        for template in writtenClasses {
            let pool = PoolTemplate.all.first { $0.type == template.pool }
            result.append(("demand_\(template.id)", { s, t in
                // Pooled work is in its pool's units: the share of the origin's demand it would be in
                // general CU, converted at the pool's units per CU.
                pool.map { demandCUh(s, t, template, shareTotal: 1) * $0.unitsPerCU } ?? demandCUh(s, t, template, shareTotal: shares)
            }))
        }
        return result
    }

    /// The extra pools of every site, drawn from a generator of their own so that the rest of the
    /// scenario is the same with and without pools; every type is at one site at least.
    private func poolsPerSite(_ sites: [Site]) -> [[PoolTemplate]] {
        var random = SplitMix64(seed: seed ^ 0x706F_6F6C_7300)
        let templates = extraPools.compactMap { type in PoolTemplate.all.first { $0.type == type } }
        var result = sites.map { site in
            templates.filter { random.uniform(0, 1) < (site.hub.west ? $0.westShare : $0.eastShare) }
        }
        for template in templates where !result.contains(where: { $0.contains { $0.type == template.type } }) {
            let k = sites.firstIndex { $0.hub.west } ?? 0
            result[k].append(template)
        }
        return result
    }

    /// Writes the files into `directory` (created if needed).
    public func write(to directory: String) throws {
        try Self.write(files(), to: directory)
    }

    /// Writes files given by relative path into `directory` (created if needed).
    static func write(_ files: [(path: String, contents: String)], to directory: String) throws {
        for (path, contents) in files {
            let full = (directory as NSString).appendingPathComponent(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent,
                                                    withIntermediateDirectories: true)
            try contents.write(toFile: full, atomically: true, encoding: .utf8)
        }
    }

    // MARK: Sites

    private func makeSites(_ random: inout SplitMix64) -> [Site] {
        (0 ..< nodes).map { k in
            let hub = PublicData.hubs[k % PublicData.hubs.count]
            let round = k / PublicData.hubs.count
            // Later rounds scatter further from the hub (up to about 3 degrees).
            let spread = round == 0 ? 0 : min(3, 0.8 * Double(round).squareRoot())
            let capacity = (hub.west ? 120_000 : 150_000) * random.uniform(0.6, 1.4)
            let cooling: String
            if hub.west { cooling = random.next() % 4 == 0 ? "liquid-cooling" : "air-economizer" }
            else { cooling = hub.meanTemperatureC >= 10 ? (random.next() % 5 == 0 ? "chiller-only" : "water-economizer") : "air-economizer" }
            let idleFraction = random.uniform(0.25, 0.35)
            let peakFacilityMW = capacity * Self.peakITMWPerCU * 1.5
            let hasBattery = random.next() % 3 == 0
            return Site(
                id: round == 0 ? hub.id : "\(hub.id)-\(round + 1)", hub: hub,
                latitude: hub.latitude + spread * random.uniform(-1, 1),
                longitude: hub.longitude + spread * random.uniform(-1, 1),
                capacityCU: capacity.rounded(), idleFraction: idleFraction, cooling: cooling,
                // West: grid-limited sites next to big plants; east: strong grids.
                gridImportMW: hub.west ? (peakFacilityMW * random.uniform(0.5, 0.8)).rounded() : nil,
                battery: hasBattery ? ((peakFacilityMW * 0.4).rounded(), (peakFacilityMW * 0.2).rounded(), random.uniform(0.85, 0.92)) : nil,
                solarMW: (hub.west ? random.uniform(60, 160) : random.uniform(2, 10)).rounded(),
                windMW: (hub.west || hub.id == "zhangjiakou" ? random.uniform(40, 160) : 0).rounded(),
                carbonScale: random.uniform(0.9, 1.1),
                demandScale: hub.west ? random.uniform(0.03, 0.1) : random.uniform(0.45, 0.8))
        }
    }

    private struct GeneratedLink { let a: Int; let b: Int; let latencyMs: Double; let bandwidthGbps: Double? }

    /// Every pair up to `linksPerNode + 1` nodes; beyond, each node's nearest neighbours plus its
    /// nearest nodes on the other side of the east-west divide, so work can always move west.
    private func makeLinks(_ sites: [Site], _ random: inout SplitMix64) -> [GeneratedLink] {
        var pairs = Set<[Int]>()
        if sites.count <= linksPerNode + 1 {
            for a in sites.indices { for b in sites.indices where a < b { pairs.insert([a, b]) } }
        } else {
            for a in sites.indices {
                let byDistance = sites.indices.filter { $0 != a }.sorted { distanceKm(sites[a], sites[$0]) < distanceKm(sites[a], sites[$1]) }
                let near = byDistance.prefix(linksPerNode / 2)
                let across = byDistance.filter { sites[$0].hub.west != sites[a].hub.west }.prefix(linksPerNode - linksPerNode / 2)
                for b in near + across { pairs.insert([min(a, b), max(a, b)]) }
            }
        }
        return pairs.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.map { pair in
            let km = distanceKm(sites[pair[0]], sites[pair[1]])
            // Light in fibre covers about 200 km per ms; routes run about 1.5 x the great circle.
            let latency = (km * 1.5 / 200 + 2) * 10
            let bandwidth: Double? = random.next() % 4 == 0 ? nil : [100, 200, 400, 800, 1600][Int(random.next() % 5)]
            return GeneratedLink(a: pair[0], b: pair[1], latencyMs: latency.rounded() / 10, bandwidthGbps: bandwidth)
        }
    }

    private func distanceKm(_ a: Site, _ b: Site) -> Double {
        let p1 = a.latitude * .pi / 180, p2 = b.latitude * .pi / 180
        let dl = (b.longitude - a.longitude) * .pi / 180
        let h = pow(sin((p2 - p1) / 2), 2) + cos(p1) * cos(p2) * pow(sin(dl / 2), 2)
        return 2 * 6371 * asin(min(1, h.squareRoot()))
    }

    // MARK: Series

    /// Clock hours since local midnight of the start day at the middle of period t.
    private func clockHour(_ t: Int) -> Double { (Double(t) + 0.5) * Double(periodMinutes) / 60 }

    private func solarHour(_ site: Site, _ t: Int) -> Double {
        clockHour(t) + (site.longitude - 15 * Self.utcOffsetHours) / 15
    }

    /// Sine of the sun's elevation: Cooper's declination for 27 November (day 331).
    private func sinElevation(_ site: Site, _ t: Int) -> Double {
        let declination = 23.45 * sin(2 * .pi * (284 + 331) / 365) * .pi / 180
        let phi = site.latitude * .pi / 180
        let omega = 15 * (solarHour(site, t) - 12) * .pi / 180
        return sin(phi) * sin(declination) + cos(phi) * cos(declination) * cos(omega)
    }

    private func renewableMW(_ site: Site, _ t: Int) -> Double {
        // Clear-sky output ~ sin(elevation)^1.15 (Haurwitz-like), 80 % performance ratio.
        let solar = site.solarMW * 0.8 * pow(max(0, sinElevation(site, t)), 1.15)
        // Hub-height wind peaks around 02:00 solar time (nocturnal low-level jet), mean 35 %.
        let wind = site.windMW * 0.35 * (1 + 0.35 * cos(2 * .pi * (solarHour(site, t) - 2) / 24))
        return solar + wind
    }

    private func carbonKgPerMWh(_ site: Site, _ t: Int) -> Double {
        // Midday solar on the provincial grid dips the factor; the daily mean stays the published one.
        site.hub.kgPerMWh * site.carbonScale * (1 - 0.05 * cos(2 * .pi * (solarHour(site, t) - 12) / 24))
    }

    private func temperatureC(_ site: Site, _ t: Int) -> Double {
        // Daily maximum near 15:00 solar time, minimum near 03:00.
        site.hub.meanTemperatureC + site.hub.diurnalRangeK / 2 * cos(2 * .pi * (solarHour(site, t) - 15) / 24)
    }

    /// The Google trace at the period's clock hour, linearly interpolated and wrapped weekly.
    private func traceShape(_ t: Int) -> Double {
        let trace = PublicData.googleWeekCPU
        let mean = trace.reduce(0, +) / Double(trace.count)
        let h = clockHour(t) - 0.5
        let i = Int(h.rounded(.down)), f = h - h.rounded(.down)
        let a = trace[((i % trace.count) + trace.count) % trace.count], b = trace[(i + 1) % trace.count]
        return (a + (b - a) * f) / mean
    }

    private func demandCUh(_ site: Site, _ t: Int, _ template: ClassTemplate, shareTotal: Double) -> Double {
        let shape = 1 + template.shapeWeight * (traceShape(t) - 1)
        let perHour = site.capacityCU * site.demandScale * template.share / shareTotal * shape
        return perHour * Double(periodMinutes) / 60
    }

    // MARK: Text

    /// A series file over `rows` (all periods unless given).
    func csv(_ sites: [Site], rows: Range<Int>? = nil, _ value: (Site, Int) -> Double) -> String {
        let start = try! Timestamp(parsing: Self.start)
        var out = "timestamp," + sites.map(\.id).joined(separator: ",") + "\n"
        for t in rows ?? 0 ..< periods {
            out += start.adding(minutes: t * periodMinutes).description
            for site in sites { out += "," + Self.fixed(value(site, t), 2) }
            out += "\n"
        }
        return out
    }

    /// Fixed-point text, deterministic across platforms, without negative zero.
    static func fixed(_ v: Double, _ decimals: Int) -> String {
        let scale = pow(10, Double(decimals))
        let scaled = (v * scale).rounded()
        if scaled == 0 { return decimals == 0 ? "0" : "0." + String(repeating: "0", count: decimals) }
        let negative = scaled < 0
        var digits = String(Int64(abs(scaled)))
        if digits.count <= decimals { digits = String(repeating: "0", count: decimals - digits.count + 1) + digits }
        let split = digits.index(digits.endIndex, offsetBy: -decimals)
        return (negative ? "-" : "") + digits[..<split] + (decimals > 0 ? "." + digits[split...] : "")
    }

    private func scenarioTOML(_ sites: [Site], _ templates: [ClassTemplate], _ links: [GeneratedLink], pools: [[PoolTemplate]]) -> String {
        let poolOption = extraPools.isEmpty ? "" : " --pools \(([Pool.general] + extraPools).joined(separator: ","))"
        var out = """
            # Generated by `greenshift generate --nodes \(nodes) --periods \(periods) --period-minutes \(periodMinutes) --classes \(classes) --seed \(seed)\(linksPerNode == 6 ? "" : " --links-per-node \(linksPerNode)")\(poolOption)`.
            [scenario]
            name = "generated-\(nodes)x\(periods)x\(classes)-s\(seed)"
            start = "\(Self.start)"
            period_minutes = \(periodMinutes)
            periods = \(periods)

            """
        for (k, site) in sites.enumerated() {
            let general = """
                capacity_cu = \(Self.fixed(site.capacityCU, 0))
                idle_it_mw = \(Self.fixed(site.capacityCU * Self.peakITMWPerCU * site.idleFraction, 3))
                it_mw_per_cu = \(Self.fixed(Self.peakITMWPerCU * (1 - site.idleFraction), 7))

                """
            out += """

                [[nodes]]
                id = "\(site.id)"
                latitude = \(Self.fixed(site.latitude, 3))
                longitude = \(Self.fixed(site.longitude, 3))
                \(extraPools.isEmpty ? general : "")cooling_model = "\(site.cooling)"

                """
            if let grid = site.gridImportMW { out += "grid_import_mw = \(Self.fixed(grid, 0))\n" }
            if !extraPools.isEmpty {
                out += "[[nodes.pools]]\ntype = \"\(Pool.general)\"\n" + general
                for p in pools[k] {
                    let units = (site.capacityCU * p.unitsPerCU).rounded()
                    out += "[[nodes.pools]]\ntype = \"\(p.type)\"\ncapacity_cu = \(Self.fixed(units, 0))\n"
                    out += "idle_it_mw = \(Self.fixed(units * p.peakITMWPerUnit * p.idleFraction, 3))\n"
                    out += "it_mw_per_cu = \(Self.fixed(p.peakITMWPerUnit * (1 - p.idleFraction), 7))\n"
                }
            }
            if let b = site.battery {
                out += "[nodes.battery]\nenergy_mwh = \(Self.fixed(b.energy, 0))\npower_mw = \(Self.fixed(b.power, 0))\nround_trip_efficiency = \(Self.fixed(b.efficiency, 2))\ninitial_soc = 0.5\n"
            }
        }
        for c in templates {
            out += "\n[[classes]]\nid = \"\(c.id)\"\ndeadline_hours = \(Self.fixed(c.deadlineHours, 1))\nmovable = \(c.movable)\n"
            if let l = c.maxLatencyMs { out += "max_latency_ms = \(Self.fixed(l, 1))\n" }
            out += "gb_per_cu_h = \(Self.fixed(c.gbPerCUh, 3))\n"
            if c.pool != Pool.general { out += "pool = \"\(c.pool)\"\n" }
        }
        for l in links {
            out += "\n[[links]]\na = \"\(sites[l.a].id)\"\nb = \"\(sites[l.b].id)\"\nlatency_ms = \(Self.fixed(l.latencyMs, 1))\n"
            if let bw = l.bandwidthGbps { out += "bandwidth_gbps = \(Self.fixed(bw, 0))\n" }
            out += "kwh_per_gb = \(Self.kwhPerGB)\n"
        }
        return out
    }
}

/// SplitMix64 (Steele, Lea and Flood 2014): tiny, fast, and the same sequence on every platform.
struct SplitMix64 {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [low, high).
    mutating func uniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * Double(next() >> 11) / Double(1 << 53)
    }
}
