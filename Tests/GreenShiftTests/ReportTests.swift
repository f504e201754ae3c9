import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
@testable import GreenShift

/// report.html: the figures it shows are the plan's, every chart is well-formed SVG, and a large
/// scenario renders fast and small. The chart toolkit (scales, ticks, formats) is tested on its own.
@Suite struct ReportTests {
    // MARK: - Against real plans

    @Test(arguments: ["Data/scenarios/east-west-hubs", "Tests/GreenShiftTests/Fixtures/report-two-nodes"])
    func keyFiguresAreThePlans(_ scenarioPath: String) throws {
        let (scenario, plan) = try Self.solve(scenarioPath)
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        let s = plan.summary
        // Each key figure carries its exact value and shows it rounded, with its unit.
        // Emissions in tonnes with three decimals, as the command line prints them.
        let expected: [(key: String, value: Double, decimals: Int, unit: String, scale: Double)] = [
            ("carbon_kg", s.carbonKg, 3, "t CO₂", 0.001), ("baseline_carbon_kg", s.baselineCarbonKg, 3, "t CO₂", 0.001),
            ("reduction_percent", s.reductionPercent, 2, "%", 1), ("renewable_used_mwh", s.renewableUsedMWh, 1, "MWh", 1),
            ("renewable_curtailed_mwh", s.renewableCurtailedMWh, 1, "MWh", 1), ("moved_cu_h", s.movedCUh, 0, "CU·h", 1),
            ("unserved_cu_h", s.unservedCUh, 0, "CU·h", 1),
        ]
        for e in expected {
            let figure = try #require(page.first { $0.attributes["data-key"] == e.key }, "no figure \(e.key)")
            #expect(figure.attributes["data-value"] == JSON.format(e.value))
            #expect(figure.first { $0.attributes["class"] == "value" }?.text == Format.grouped(e.value * e.scale, decimals: e.decimals) + " " + e.unit)
        }
        #expect(page.first { $0.attributes["data-key"] == "solver.status" }?.attributes["data-value"] == "optimal")
        #expect(page.first { $0.name == "h1" }?.text == "Plan for \(scenario.name)")
        // No alarm when everything is served.
        #expect(s.unservedCUh > 0 || page.first { $0.attributes["class"]?.contains("alert") == true } == nil)
    }

    @Test func twoNodesReportShowsTheSpecsNumbers() throws {
        let (scenario, plan) = try Self.solve("Tests/GreenShiftTests/Fixtures/report-two-nodes")
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        // spec/examples/two-nodes: 1800 kg against 3000 kg, 40 % less.
        #expect(page.first { $0.attributes["data-key"] == "carbon_kg" }?.first { $0.attributes["class"] == "value" }?.text == "1.800 t CO₂")
        #expect(page.first { $0.attributes["data-key"] == "reduction_percent" }?.first { $0.attributes["class"] == "value" }?.text == "40.00 %")
        // Batch (1000 CU*h) moved east -> west; web stayed. The matrix says so in its cells' tooltips.
        let cells = page.all { $0.name == "rect" }.compactMap { $0.children.first { $0.name == "title" }?.text }
        #expect(cells.contains("east → west: 1,000 CU·h"))
        #expect(cells.contains("east → east: 1,500 CU·h"))
    }

    @Test func nodeTableAddsUpToThePlan() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        let table = try #require(page.first { $0.name == "table" && $0.attributes["class"] == "nodes" })
        let rows = table.all { $0.name == "tr" }.map { $0.children.map(\.text) }
        let body = rows.dropFirst().dropLast()
        #expect(body.map { $0[0] } == plan.nodes.map(\.id))
        let s = plan.summary
        #expect(rows.last! == ["All nodes", "", Format.grouped(s.facilityEnergyMWh, decimals: 1), Format.grouped(s.gridEnergyMWh, decimals: 1),
                               Format.grouped(s.renewableUsedMWh, decimals: 1), Format.grouped(s.renewableCurtailedMWh, decimals: 1),
                               Format.grouped(100 * s.renewableUsedMWh / (s.renewableUsedMWh + s.gridEnergyMWh), decimals: 1),
                               Format.grouped(s.gridCarbonKg), Format.grouped(s.baselineCarbonKg), Format.grouped(s.workCUh), "–", "–",
                               "–", Format.grouped(s.gridCarbonKg - s.baselineCarbonKg), "–", Format.grouped(1000 * s.gridCarbonKg / s.workCUh)])
        let baseline = try #require(plan.baseline)
        for (row, node) in zip(body, plan.nodes) {
            let carbonKg = node.periods.reduce(0) { $0 + $1.carbonKg }, workCUh = node.periods.reduce(0) { $0 + $1.workCUh }
            let energyMWh = node.periods.reduce(0) { $0 + $1.facilityMW } * scenario.periodHours
            let b = try #require(baseline.nodes.first { $0.id == node.id })
            #expect(row[7] == Format.grouped(carbonKg))
            #expect(row[9] == Format.grouped(workCUh))
            // Change against the baseline and carbon per unit of work, from the plan's own figures.
            #expect(row[12] == Format.grouped(energyMWh - b.facilityEnergyMWh, decimals: 1))
            #expect(row[13] == Format.grouped(carbonKg - b.carbonKg))
            #expect(row[14] == Format.grouped(workCUh - b.workCUh))
            #expect(row[15] == (workCUh > 0 ? Format.grouped(1000 * carbonKg / workCUh) : "–"))
        }
    }

    @Test func linkTableIsThePlansMovedWork() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        let table = try #require(page.first { $0.name == "table" && $0.attributes["class"] == "links" })
        let rows = table.all { $0.name == "tr" }.map { $0.children.map(\.text) }
        let gbPerCUh = Dictionary(uniqueKeysWithValues: scenario.classes.map { ($0.id, $0.gbPerCUh) })
        var moved: [String: (cuH: Double, gb: Double)] = [:]
        for p in plan.placements where p.origin != p.node {
            moved["\(p.origin) \(p.node)", default: (0, 0)].cuH += p.cuH
            moved["\(p.origin) \(p.node)", default: (0, 0)].gb += p.cuH * gbPerCUh[p.classID]!
        }
        let body = rows.dropFirst().dropLast()
        #expect(Set(body.map { "\($0[0]) \($0[1])" }) == Set(moved.keys))
        for row in body {
            let m = try #require(moved["\(row[0]) \(row[1])"])
            #expect(row[2] == Format.grouped(m.cuH) && row[3] == Format.grouped(m.gb))
        }
        // The links' network emissions add up to the plan's.
        #expect(rows.last![0] == "All links" && rows.last![2] == Format.grouped(plan.summary.movedCUh))
        #expect(rows.last![6] == Format.grouped(plan.summary.networkCarbonKg))
    }

    @Test func curtailmentCausesFollowTheRule() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let f = ReportFigures(plan: plan, scenario: scenario)
        let D = scenario.periodHours
        // Every node-period with curtailment is listed once, with the plan's curtailed energy.
        let curtailed = plan.nodes.enumerated().flatMap { k, n in n.periods.filter { $0.renewableCurtailedMW * D > 1e-6 }.map { "\(k) \($0.period)" } }
        #expect(f.curtailments.map { "\($0.node) \($0.period)" }.sorted() == curtailed.sorted())
        #expect(Self.isClose(f.curtailments.reduce(0) { $0 + $1.curtailedMWh }, plan.summary.renewableCurtailedMWh))
        for c in f.curtailments {
            let node = scenario.nodes[c.node], p = plan.nodes[c.node].periods[c.period]
            let full = p.workCUh >= node.pools.reduce(0) { $0 + $1.capacityCU } * D * (1 - 1e-6)
            #expect((c.work == .capacityFull) == full, "\(node.id) period \(c.period)")
            // A pool named full ran its capacity.
            for type in c.fullPools {
                let pool = try #require(node.pools.first { $0.type == type }), run = try #require(p.pools?.first { $0.type == type })
                #expect(run.workCUh >= pool.capacityCU * D * (1 - 1e-6))
            }
            #expect((c.work == .poolFull) == (!full && !c.fullPools.isEmpty))
            if let b = node.battery, c.battery == .room {
                #expect(p.batteryEnergyMWh < b.energyMWh && p.batteryChargeMW < b.powerMW)
            }
            #expect((c.battery == .none) == (node.battery == nil))
        }
        // A hand-made case: a node at full capacity with a full battery, and one with room everywhere.
        var (s2, plan2) = Self.synthetic(nodes: 3, periods: 4)
        s2.links = [Link(a: "n0", b: "n1", latencyMs: 5, bandwidthGbps: 1, kwhPerGB: 0.06)]
        plan2.placements = [Self.placement(0, "c1", "n0", "n1", 9000)]   // 9000 * 0.05 = 450 GB: the link's 1 Gbit/s for an hour
        for k in plan2.nodes.indices { for t in plan2.nodes[k].periods.indices { plan2.nodes[k].periods[t].renewableCurtailedMW = 0 } }
        plan2.nodes[0].periods[0].renewableCurtailedMW = 2; plan2.nodes[0].periods[0].workCUh = 20_000
        plan2.nodes[0].periods[0].batteryEnergyMWh = 20
        plan2.nodes[1].periods[0].renewableCurtailedMW = 3; plan2.nodes[1].periods[0].workCUh = 100
        plan2.nodes[2].periods[0].renewableCurtailedMW = 1; plan2.nodes[2].periods[0].workCUh = 100
        let causes = ReportFigures(plan: plan2, scenario: s2).curtailments.map { "\($0.node) \($0.curtailedMWh) \($0.workText), \($0.battery.rawValue)" }
        #expect(causes == ["0 2.0 capacity full, battery full", "1 3.0 link bandwidth, no battery", "2 1.0 no flexible work in reach, no battery"])
        // The table shows period starts as the report's local times, not ISO timestamps.
        let table = Report.curtailmentTable(f, TimeAxis(start: scenario.start, periodMinutes: plan.periodMinutes, periods: plan.periods))
        let largest = try #require(f.curtailments.max { $0.curtailedMWh < $1.curtailedMWh })
        let start = scenario.periodStart(largest.period).description
        #expect(table.contains("<th>Period start (UTC+08:00)</th>"))
        #expect(table.contains("<td>\(plan.nodes[largest.node].id)</td><td>\(start.dropFirst(5).prefix(5)) \(start.dropFirst(11).prefix(5))</td>"))
        #expect(!table.contains("T0") && !table.contains("+08:00</td>"))
    }

    @Test func reportDataIsTheChartsFigures() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let f = ReportFigures(plan: plan, scenario: scenario)
        let files = Dictionary(uniqueKeysWithValues: Report.files(plan: plan, scenario: scenario).map { ($0.name, $0.contents) })
        #expect(files["report.html"] == Report.html(plan: plan, scenario: scenario))
        #expect(Set(files.keys) == Set(["report.html"] + ["system", "nodes", "flows", "waiting", "links", "curtailment", "marginal-capacity", "node-table"].map { "report-data/\($0).csv" }))
        func table(_ name: String) throws -> [[String: String]] {
            let lines = try #require(files["report-data/\(name).csv"]).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            return lines.dropFirst().map { Dictionary(uniqueKeysWithValues: zip(lines[0], $0)) }
        }
        func number(_ s: String?) -> Double { Double(s ?? "") ?? .nan }
        // The power and emissions charts, period by period (plan.json's number format).
        let system = try table("system")
        #expect(system.count == plan.periods)
        for (t, row) in system.enumerated() {
            #expect(row["facility_mw"] == JSON.format(f.facilityMW[t]) && row["grid_mw"] == JSON.format(f.gridMW[t]))
            #expect(row["renewable_used_mw"] == JSON.format(f.renewableUsedMW[t]) && row["carbon_kg"] == JSON.format(f.planCarbonKg[t]))
            #expect(row["baseline_carbon_kg"] == JSON.format(plan.baseline!.periods[t].carbonKg))
        }
        // The flow matrix's cells, the waiting chart's buckets, the node table's rows.
        let flows = try table("flows")
        #expect(Self.isClose(flows.reduce(0) { $0 + number($1["cu_h"]) }, plan.summary.workCUh))
        for row in flows {
            let o = plan.nodes.firstIndex { $0.id == row["origin"] }!, d = plan.nodes.firstIndex { $0.id == row["node"] }!
            #expect(row["cu_h"] == JSON.format(f.flowCUh[o][d]))
        }
        let buckets = Report.waitingBuckets(Waiting.cuHByPeriodsWaited(plan: plan, scenario: scenario), periodHours: scenario.periodHours)
        for row in try table("waiting") {
            let w = scenario.classes.firstIndex { $0.id == row["class"] }!, b = Report.waitBuckets.firstIndex { $0.name == row["waited"] }!
            #expect(row["cu_h"] == JSON.format(buckets[w][b]))
        }
        #expect(try table("node-table").map { $0["carbon_kg"] } == f.nodeRows.map { JSON.format($0.carbonKg) })
        #expect(try table("nodes").count == plan.nodes.count * plan.periods)
        #expect(Self.isClose(try table("links").reduce(0) { $0 + number($1["network_carbon_kg"]) }, plan.summary.networkCarbonKg))
        #expect(try table("curtailment").count == f.curtailments.count)
    }

    @Test func nodesThatReceivedMostWorkAreDrawn() throws {
        let (scenario, plan) = Self.synthetic(nodes: 30, periods: 24)
        let f = ReportFigures(plan: plan, scenario: scenario)
        let drawn = f.nodesToDraw(limit: Report.drawnNodeLimit)
        #expect(drawn.count == Report.drawnNodeLimit && drawn == drawn.sorted())
        let n = plan.nodes.count
        let received = (0 ..< n).map { d in (0 ..< n).reduce(0.0) { $0 + ($1 == d ? 0 : f.flowCUh[$1][d]) } }
        let topReceivers = (0 ..< n).sorted { received[$0] > received[$1] }.prefix(Report.drawnNodeLimit / 2)
        #expect(topReceivers.allSatisfy(drawn.contains))
        let rest = Set(0 ..< n).subtracting(topReceivers)
        let topEnergy = rest.sorted { f.nodeRows[$0].facilityEnergyMWh > f.nodeRows[$1].facilityEnergyMWh }.prefix(Report.drawnNodeLimit - topReceivers.count)
        #expect(Set(drawn) == Set(topReceivers).union(topEnergy))
    }

    @Test func coloursDoNotRepeatWithinALegend() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        var legends = 0
        for chart in page.all({ $0.name == "svg" }) {
            // A legend entry is its mark (swatch: fill, line: stroke) followed by its text.
            var colours: [String] = []
            for parent in chart.all({ _ in true }) {
                for (i, child) in parent.children.enumerated() where i > 0 && child.name == "text" && child.attributes["class"] == "legend" {
                    let mark = parent.children[i - 1]
                    colours.append((mark.name == "line" ? mark.attributes["stroke"] : mark.attributes["fill"]) ?? "?")
                }
            }
            if colours.count > 1 { legends += 1 }
            #expect(Set(colours).count == colours.count, "\(chart.children.first?.text ?? "chart"): \(colours)")
        }
        #expect(legends >= 4)
    }

    @Test func derivedSeriesAddUpToThePlan() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let f = ReportFigures(plan: plan, scenario: scenario)
        let s = plan.summary
        #expect(Self.isClose(f.planCarbonKg.reduce(0, +), s.carbonKg))
        #expect(Self.isClose(f.networkCarbonKg.reduce(0, +), s.networkCarbonKg))
        #expect(Self.isClose(f.facilityMW.reduce(0, +) * scenario.periodHours, s.facilityEnergyMWh))
        #expect(Self.isClose(f.flowCUh.joined().reduce(0, +), s.workCUh))
        let moved = f.flowCUh.enumerated().reduce(0.0) { acc, row in acc + row.element.enumerated().reduce(0) { $0 + ($1.offset == row.offset ? 0 : $1.element) } }
        #expect(Self.isClose(moved, s.movedCUh))
        // Every CU*h run waited some whole number of periods, never beyond its class's window.
        let waited = Waiting.cuHByPeriodsWaited(plan: plan, scenario: scenario)
        for (w, c) in scenario.classes.enumerated() {
            let run = plan.placements.filter { $0.classID == c.id }.reduce(0) { $0 + $1.cuH }
            #expect(Self.isClose(waited[w].reduce(0, +), run))
            #expect(waited[w].dropFirst(scenario.windowPeriods(w) + 1).allSatisfy { $0 < 1e-6 }, "class \(c.id) waited past its deadline")
        }
    }

    @Test func everyChartIsWellFormedSVG() throws {
        let (scenario, plan) = try Self.solve("Data/scenarios/east-west-hubs")
        let html = Report.html(plan: plan, scenario: scenario)
        let page = try Self.parse(html)   // the whole page is strict XML
        let charts = page.all { $0.name == "svg" }
        // power, emissions, small-multiples header + one row per node, matrix, waiting, link heatmap, capacity heatmap
        #expect(charts.count == 7 + min(plan.nodes.count, Report.drawnNodeLimit))
        for chart in charts {
            #expect(chart.attributes["xmlns"] == "http://www.w3.org/2000/svg")
            #expect(chart.children.first?.name == "title" && chart.children.first?.text.isEmpty == false, "every chart has a title")
            let width = try #require(Double(chart.attributes["width"] ?? "")), height = try #require(Double(chart.attributes["height"] ?? ""))
            #expect(chart.attributes["viewBox"] == "0 0 \(SVG.number(width)) \(SVG.number(height))")
            for element in chart.all({ _ in true }) {
                for (name, value) in element.attributes where ["x", "y", "x1", "y1", "x2", "y2", "width", "height"].contains(name) {
                    let v = try #require(Double(value), "\(element.name) \(name)=\(value)")
                    #expect(v.isFinite && (name != "width" && name != "height" || v >= 0))
                }
            }
        }
        // Each chart also stands alone, cut out of the page as text.
        var rest = html[...]
        while let open = rest.range(of: "<svg "), let close = rest.range(of: "</svg>", range: open.upperBound ..< rest.endIndex) {
            _ = try Self.parse(String(rest[open.lowerBound ..< close.upperBound]))
            rest = rest[close.upperBound...]
        }
        // Self-contained: nothing is fetched and nothing runs.
        #expect(!html.contains("<script") && !html.contains("https://") && !html.contains("@import") && !html.contains("url("))
    }

    @Test func unservedWorkIsLoud() throws {
        let (scenario, plan) = Self.synthetic(nodes: 4, periods: 24, unservedCUh: 1234)
        let page = try Self.parse(Report.html(plan: plan, scenario: scenario))
        let figure = try #require(page.first { $0.attributes["data-key"] == "unserved_cu_h" })
        #expect(figure.attributes["class"] == "figure alert")
        #expect(figure.attributes["data-value"] == "1234")
        #expect(page.first { $0.attributes["class"] == "banner alert" }?.text.contains("1,234 CU·h of work is left unserved") == true)
        #expect(page.first { $0.name == "table" && $0.attributes["class"] == "unserved" } != nil)
    }

    @Test func unservedBacklogSaysWhenItWasDue() throws {
        var (scenario, plan) = Self.synthetic(nodes: 4, periods: 24, unservedCUh: 1234)
        plan.unserved.append(Plan.UnservedWork(period: nil, due: "2026-12-03T06:00:00+08:00", classID: plan.unserved[0].classID,
                                               origin: plan.unserved[0].origin, cuH: 5000))
        let html = Report.html(plan: plan, scenario: scenario)
        #expect(html.contains("<td>before the plan (due 2026-12-03T06:00:00+08:00)</td>"))
        #expect(!html.contains("Optional(") && !html.contains("<td>nil</td>"))
    }

    @Test func largeScenarioRendersFastAndSmall() throws {
        let (scenario, plan) = Self.synthetic(nodes: 100, periods: 168)
        let started = Date()
        let html = Report.html(plan: plan, scenario: scenario)
        let seconds = Date().timeIntervalSince(started)
        let megabytes = Double(html.utf8.count) / 1_000_000
        print("report of 100 nodes x 168 periods: \(String(format: "%.2f", seconds)) s, \(String(format: "%.2f", megabytes)) MB")
        #expect(seconds < 2)
        #expect(megabytes < 5)
        let page = try Self.parse(html)
        #expect(page.all { $0.name == "svg" }.count == 7 + Report.drawnNodeLimit)
        if let path = ProcessInfo.processInfo.environment["GREENSHIFT_LARGE_REPORT"] { try html.write(toFile: path, atomically: true, encoding: .utf8) }
    }

    @Test func aPlanOfAnotherScenarioIsRefused() throws {
        let (scenario, plan) = Self.synthetic(nodes: 3, periods: 24)
        #expect(plan.mismatches(with: scenario).isEmpty)
        var other = scenario
        other.name = "elsewhere"
        other.nodes.removeLast()
        #expect(plan.mismatches(with: other).count == 2)
    }

    // MARK: - Waiting

    @Test func waitingLeavesOutSolverRoundOff() {
        // 1000 CU*h on time, 2e-7 "over 24 h" (round-off), 0.01 at 2 h (real, a hundred-thousandth).
        var row = [Double](repeating: 0, count: 30)
        row[0] = 1000; row[2] = 0.01; row[26] = 2e-7
        let buckets = Report.waitingBuckets([row], periodHours: 1)[0]
        #expect(buckets == [1000, 0, 0.01, 0, 0, 0, 0, 0])
        // The tolerance is relative: the same 2e-7 is the whole of a tiny class's work, and shown.
        #expect(Report.waitingBuckets([[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2e-7]], periodHours: 1)[0].last == 2e-7)
    }

    @Test func waitingMatchesArrivalsFirstInFirstOut() {
        // Arrivals 10, 0, 5 CU*h; runs 4 in period 0 and 11 in period 2 (split over two nodes):
        // 4 waited 0, then the 6 left from period 0 waited 2 periods, and period 2's 5 waited 0.
        var (scenario, plan) = Self.synthetic(nodes: 2, periods: 3)
        scenario.classes = [scenario.classes[0]]
        scenario.demandCUh = [[[10, 0, 5], [0, 0, 0]]]
        plan.placements = [Self.placement(0, "c0", "n0", "n0", 4), Self.placement(2, "c0", "n0", "n0", 7), Self.placement(2, "c0", "n0", "n1", 4)]
        plan.unserved = []
        #expect(Waiting.cuHByPeriodsWaited(plan: plan, scenario: scenario) == [[9, 0, 6]])
        // Unserved work never runs, so it leaves the queue: period 0's 10 less 6 unserved.
        plan.placements = [Self.placement(1, "c0", "n0", "n0", 4), Self.placement(2, "c0", "n0", "n0", 5)]
        plan.unserved = [Plan.UnservedWork(period: 0, classID: "c0", origin: "n0", cuH: 6)]
        #expect(Waiting.cuHByPeriodsWaited(plan: plan, scenario: scenario) == [[5, 4, 0]])
    }

    // MARK: - Chart toolkit

    @Test func scalesMapAndTickNicely() {
        let y = LinearScale(domain: 0 ... 200, range: (100, 0))
        #expect(y(0) == 100 && y(200) == 0 && y(50) == 75)
        #expect(y.ticks(count: 4) == [0, 50, 100, 150, 200])
        #expect(LinearScale(domain: 0.13 ... 0.87, range: (0, 1)).nice(count: 4).domain == 0 ... 1)
        #expect(LinearScale(domain: -7.4 ... 19.2, range: (0, 1)).nice(count: 3).domain == -10 ... 20)
        #expect(LinearScale(domain: 3 ... 3, range: (0, 1)).domain == 2 ... 4, "an empty domain is widened")
        #expect(LinearScale.niceStep(1000, count: 5) == 200)
        #expect(LinearScale.niceStep(0.003, count: 3) == 0.001)
        let band = BandScale(count: 4, start: 10, end: 50)
        #expect(band.bandwidth == 10 && band(2) == 30 && band.center(3) == 45)
    }

    @Test func ticksNeverDriftOffRoundValues() {
        let ticks = LinearScale(domain: 0 ... 1.2, range: (0, 1)).ticks(count: 6)
        #expect(ticks.map { Format.tick($0, step: 0.2) } == ["0", "0.2", "0.4", "0.6", "0.8", "1.0", "1.2"])
    }

    @Test func numbersAreFormattedForReaders() {
        #expect(Format.grouped(2865864.087) == "2,865,864")
        #expect(Format.grouped(-1234.5, decimals: 1) == "-1,234.5")
        #expect(Format.grouped(-0.0001, decimals: 2) == "0.00")
        #expect(Format.grouped(999.96, decimals: 1) == "1,000.0")
        #expect(Format.significant(0.0011567) == "0.00116")
        #expect(Format.significant(10000) == "10,000")
        #expect(Format.tick(150_000, step: 50_000) == "150k")
        #expect(Format.tick(2_500_000, step: 500_000) == "2.5M")
        #expect(Format.tick(1000, step: 500) == "1,000")
        #expect(Format.tick(0, step: 50_000) == "0")
        #expect(SVG.number(12.345) == "12.3" && SVG.number(-0.04) == "0" && SVG.number(-3.96) == "-4" && SVG.number(7) == "7")
        #expect(SVG.escape("a<b & \"c\"") == "a&lt;b &amp; &quot;c&quot;")
    }

    @Test func timeAxisTicksOnRoundLocalTimes() throws {
        let start = try Timestamp(parsing: "2026-11-27T00:00:00+08:00")
        let day = TimeAxis(start: start, periodMinutes: 60, periods: 24)
        #expect(day.ticks(maxCount: 5).map(\.label) == ["00:00", "06:00", "12:00", "18:00", "00:00"])
        #expect(day.title == "Local time (UTC+08:00) from 2026-11-27")
        let week = TimeAxis(start: start, periodMinutes: 60, periods: 168)
        let ticks = week.ticks(maxCount: 10)
        #expect(ticks.map(\.label) == ["11-27", "11-28", "11-29", "11-30", "12-01", "12-02", "12-03", "12-04"])
        #expect(ticks.map(\.period) == [0, 24, 48, 72, 96, 120, 144, 168])
        // Two days at 12 h steps: clock times only, not "11-28" among them.
        #expect(TimeAxis(start: start, periodMinutes: 60, periods: 48).ticks(maxCount: 5).map(\.label) == ["00:00", "12:00", "00:00", "12:00", "00:00"])
        // A start off the hour: the first tick is the next round time, at a fractional period.
        let odd = TimeAxis(start: try Timestamp(parsing: "2026-11-27T00:30:00Z"), periodMinutes: 60, periods: 3)
        #expect(odd.ticks(maxCount: 4).map(\.period) == [0.5, 1.5, 2.5])
        // A table's period start: local date and clock time; period 25 of an hourly horizon is the next day, 01:00.
        #expect(week.startLabel(0) == "11-27 00:00" && week.startLabel(25) == "11-28 01:00" && week.utcOffset == "UTC+08:00")
        #expect(TimeAxis(start: try Timestamp(parsing: "2026-12-31T23:45:00-05:00"), periodMinutes: 15, periods: 4).startLabel(1) == "01-01 00:00")
    }

    @Test func sequentialColoursRunFromLightToDark() {
        #expect(Palette.sequential(0) == "#FDE725" && Palette.sequential(1) == "#440154")
        #expect(Palette.sequential(-3) == Palette.sequential(0) && Palette.sequential(.nan) == Palette.sequential(0))
    }

    // MARK: - Support

    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    static func solve(_ relativePath: String) throws -> (Scenario, Plan) {
        let scenario = try ScenarioLoader(directory: repositoryRoot + "/" + relativePath, coolingLibrary: repositoryRoot + "/Models/cooling").load()
        return (scenario, try Optimizer.optimize(scenario).plan)
    }

    static func isClose(_ a: Double, _ b: Double) -> Bool { abs(a - b) <= 1e-6 * max(1, abs(a), abs(b)) }

    static func placement(_ t: Int, _ w: String, _ o: String, _ n: String, _ cuH: Double) -> Plan.Placement {
        Plan.Placement(period: t, start: "", classID: w, pool: Pool.general, origin: o, node: n, cuH: cuH)
    }

    /// A scenario and a plan made up directly (not solved), of any size: smooth daily curves,
    /// every node linked to the next, three classes, work moving one node on and waiting a period or two.
    static func synthetic(nodes N: Int, periods T: Int, unservedCUh: Double = 0) -> (Scenario, Plan) {
        let start = try! Timestamp(parsing: "2026-11-27T00:00:00+08:00")
        func wave(_ n: Int, _ t: Int, _ phase: Double = 0) -> Double { sin(Double(t) / 24 * 2 * .pi + Double(n) + phase) }
        let cooling = CoolingModel(name: "curve", curve: [.init(temperatureC: 0, pue: 1.1), .init(temperatureC: 30, pue: 1.5)], source: "test")
        let classes = (0 ..< 3).map { WorkloadClass(id: "c\($0)", deadlineHours: Double(4 * $0), movable: $0 > 0, maxLatencyMs: nil, allowedNodes: nil, gbPerCUh: 0.05) }
        let demand = classes.indices.map { w in (0 ..< N).map { o in (0 ..< T).map { t in 1000 + 400 * wave(o, t, Double(w)) } } }
        let scenario = Scenario(
            name: "synthetic", start: start, periodMinutes: 60, periodCount: T, unservedPenaltyKgPerCUh: 10_000,
            nodes: (0 ..< N).map { n in
                Node(id: "n\(n)", name: "Node number \(n)", latitude: nil, longitude: nil, capacityCU: 20_000, idleITMW: 2, itMWPerCU: 0.0004,
                     coolingModel: "curve", gridImportMW: nil,
                     battery: n % 3 == 0 ? Battery(energyMWh: 20, powerMW: 5, roundTripEfficiency: 0.9, initialSOC: 0.5) : nil)
            },
            classes: classes,
            links: (0 ..< N).map { Link(a: "n\($0)", b: "n\(($0 + 1) % N)", latencyMs: 5, bandwidthGbps: nil, kwhPerGB: 0.06) },
            renewableMW: (0 ..< N).map { n in (0 ..< T).map { t in max(0, 8 * wave(n, t)) } },
            averageKgPerMWh: (0 ..< N).map { n in (0 ..< T).map { t in 500 + 100 * wave(n, t, 1) } },
            temperatureC: (0 ..< N).map { n in (0 ..< T).map { t in 10 + 8 * wave(n, t, 2) } },
            pricePerMWh: nil, demandCUh: demand, cooling: Array(repeating: cooling, count: N))
        var placements: [Plan.Placement] = []
        for w in classes.indices {
            for o in 0 ..< N {
                for t in 0 ..< T {
                    let run = min(T - 1, t + w), node = w == 0 ? o : (o + 1) % N
                    placements.append(placement(run, "c\(w)", "n\(o)", "n\(node)", demand[w][o][t]))
                }
            }
        }
        let nodes = (0 ..< N).map { n in
            Plan.NodeSchedule(id: "n\(n)", periods: (0 ..< T).map { t in
                let renewable = scenario.renewableMW[n][t] * 0.9, facility = 4 + 1.5 * wave(n, t)
                return Plan.NodePeriod(period: t, workCUh: 3000, itMW: facility / 1.2, pue: 1.2, facilityMW: facility,
                                       renewableUsedMW: min(renewable, facility), renewableCurtailedMW: scenario.renewableMW[n][t] - min(renewable, facility),
                                       gridMW: max(0, facility - renewable), batteryChargeMW: 0, batteryDischargeMW: 0,
                                       batteryEnergyMWh: n % 3 == 0 ? 10 + 5 * wave(n, t) : 0, carbonKg: max(0, facility - renewable) * 500,
                                       pools: [Plan.PoolPeriod(type: "general", workCUh: 3000, itMW: facility / 1.2,
                                                               marginalCarbonKgPerCUh: (n + t) % 7 == 0 ? 0.2 * (1 + wave(n, t)) : 0)])
            })
        }
        let summary = Plan.Summary(carbonKg: 1, gridCarbonKg: 1, networkCarbonKg: 0, baselineCarbonKg: 2, reductionPercent: 50,
                                   facilityEnergyMWh: 1, gridEnergyMWh: 1, networkEnergyMWh: 0, renewableUsedMWh: 0, renewableCurtailedMWh: 0,
                                   workCUh: 1, movedCUh: 0, unservedCUh: unservedCUh, baselineUnservedCUh: 0, cost: nil)
        let plan = Plan(
            scenario: "synthetic", start: start.description, periodMinutes: 60, periods: T, summary: summary, placements: placements,
            nodes: nodes, unserved: unservedCUh > 0 ? [Plan.UnservedWork(period: 0, classID: "c1", origin: "n0", cuH: unservedCUh)] : [],
            baseline: Plan.Baseline(periods: (0 ..< T).map { .init(period: $0, carbonKg: 900, facilityMW: 5, gridMW: 4, renewableUsedMW: 1, unservedCUh: 0) },
                                    nodes: (0 ..< N).map { .init(id: "n\($0)", carbonKg: 100, facilityEnergyMWh: 10, workCUh: 100) }),
            solver: Plan.SolverReport(status: "optimal", solver: "GLPK", method: "dual simplex", variables: 1, constraints: 1, nonzeros: 1,
                                      iterations: 1, solveSeconds: 0.5, baselineSeconds: 0.1, tieBreak: "none"))
        return (scenario, plan)
    }

    /// A parsed XML element: enough of a DOM to find things in the page.
    final class Element {
        let name: String
        let attributes: [String: String]
        var children: [Element] = []
        var ownText = ""
        init(name: String, attributes: [String: String]) { self.name = name; self.attributes = attributes }

        /// All text inside, descendants included.
        var text: String { children.reduce(ownText) { $0 + $1.text } }
        /// This element and its descendants, depth first.
        func all(_ match: (Element) -> Bool) -> [Element] { (match(self) ? [self] : []) + children.flatMap { $0.all(match) } }
        func first(_ match: (Element) -> Bool) -> Element? { all(match).first }
    }

    /// Parses `xml` strictly (Foundation's XMLParser); any error fails.
    static func parse(_ xml: String) throws -> Element {
        final class Builder: NSObject, XMLParserDelegate {
            var stack: [Element] = [Element(name: "#document", attributes: [:])]
            func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String]) {
                let e = Element(name: name, attributes: attributes)
                stack.last!.children.append(e)
                stack.append(e)
            }
            func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) { stack.removeLast() }
            // Text is kept in order relative to children only loosely: enough for the checks here.
            func parser(_ parser: XMLParser, foundCharacters string: String) {
                let text = Element(name: "#text", attributes: [:])
                text.ownText = string
                stack.last!.children.append(text)
            }
        }
        let parser = XMLParser(data: Data(xml.utf8))
        let builder = Builder()
        parser.delegate = builder
        guard parser.parse() else {
            throw XMLError(description: "not well-formed at line \(parser.lineNumber): \(parser.parserError.map { "\($0)" } ?? "?")")
        }
        return builder.stack[0]
    }

    struct XMLError: Error, CustomStringConvertible { let description: String }
}

@Suite struct ScaleEdgeTests {
    /// A domain wider than any tick step could cover (temperatures of +-1e308) draws no ticks
    /// instead of looping over 1e308 of them.
    @Test func hugeDomainsHaveNoTicks() {
        let scale = LinearScale(domain: -1e308 ... 1e308, range: (start: 0, end: 100))
        #expect(scale.ticks().isEmpty)
        #expect(scale.nice().domain == scale.domain)
    }
}
