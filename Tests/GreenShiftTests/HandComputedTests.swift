import Testing
@testable import GreenShift

/// Small scenarios whose optimum is worked out by hand in each comment.
@Suite struct HandComputedTests {
    typealias F = ScenarioFixture

    @Test func twoNodesExampleOfTheSpec() throws {
        let scenario = try F.twoNodes.load()
        let plan = try solveAndVerify(scenario)
        // Web: 0.5 MW IT x 1.5 x 800 kg/MWh x 3 h = 1800 kg. Batch runs west on wind.
        #expect(isClose(plan.summary.carbonKg, 1800))
        // Baseline: batch at east in hour 0: 1.5 MW x 1.5 x 800 + 2 x 600 = 3000 kg.
        #expect(isClose(plan.summary.baselineCarbonKg, 3000))
        #expect(isClose(plan.summary.reductionPercent, 40))
        #expect(isClose(plan.summary.movedCUh, 1000))
        #expect(plan.summary.unservedCUh == 0)
        // Batch runs whole at west in an hour with wind; web stays at east every hour.
        let batch = plan.placements.filter { $0.classID == "batch" }
        #expect(batch.count == 1 && batch[0].node == "west" && [1, 2].contains(batch[0].period) && isClose(batch[0].cuH, 1000))
        #expect(plan.placements.filter { $0.classID == "web" }.allSatisfy { $0.node == "east" && $0.cuH == 500 })
    }

    /// One node, idle 1 MW at PUE 1, grid at 100 then 500 kg/MWh, a battery with round trip 0.81
    /// (one way 0.9) starting empty. Discharging 1 MW in hour 1 needs 1/0.9 MWh stored, which takes
    /// 1/0.81 MWh charged in hour 0: carbon = 100 x (1 + 1/0.81) = 223.4568 kg (600 without it).
    @Test func batteryShiftsGridDrawToTheCleanHour() throws {
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "battery"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 2
                [[nodes]]
                id = "n"
                capacity_cu = 0
                idle_it_mw = 1
                it_mw_per_cu = 0
                cooling_model = "flat"
                [nodes.battery]
                energy_mwh = 10
                power_mw = 5
                round_trip_efficiency = 0.81
                initial_soc = 0
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("n", [100, 500])]),
            "timeseries/renewable_mw.csv": F.series([("n", [0, 0])]),
            "timeseries/temperature_c.csv": F.series([("n", [10, 10])]),
        ]).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 100 * (1 + 1 / 0.81)))
        // The baseline dispatches the battery too: same emissions without work to shift.
        #expect(isClose(plan.summary.baselineCarbonKg, plan.summary.carbonKg))
        let hours = plan.nodes[0].periods
        #expect(isClose(hours[0].batteryChargeMW, 1 / 0.81) && isClose(hours[1].batteryDischargeMW, 1))
        #expect(isClose(hours[1].gridMW, 0, relative: 1e-9))
    }

    /// 1000 CU*h of batch (1 GB per CU*h) at east (1000 kg/MWh) may move to west (0 kg/MWh) over a
    /// 1 Gbit/s link: 450 GB, so 450 CU*h, in the hour. The other 550 CU*h at 1 kW/CU emit 550 kg.
    @Test func bandwidthLimitsTheMove() throws {
        let scenario = try eastWest(link: "bandwidth_gbps = 1.0", gbPerCUh: 1).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 550))
        #expect(isClose(plan.summary.movedCUh, 450))
        #expect(isClose(plan.summary.baselineCarbonKg, 1000))
    }

    /// The same with two classes sharing the link: the bandwidth row binds their sum.
    @Test func bandwidthIsSharedByClasses() throws {
        var fixture = eastWest(link: "bandwidth_gbps = 1.0", gbPerCUh: 1)
        fixture.files["scenario.toml"]! += """

            [[classes]]
            id = "other"
            movable = true
            gb_per_cu_h = 2.0
            """
        fixture.files["timeseries/demand_other.csv"] = F.series([("east", [100])])
        let plan = try solveAndVerify(try fixture.load())
        // 450 GB/h carries at best 450 CU*h of batch (1 GB each) and none of "other" (2 GB each):
        // run at east: 1100 - 450 = 650 CU*h = 650 kg.
        #expect(isClose(plan.summary.carbonKg, 650))
        #expect(isClose(plan.summary.networkEnergyMWh, 0))
    }

    /// Network energy is charged at the origin's factor: 0.06 kWh/GB x 1 GB/CU*h x 1000 CU*h =
    /// 0.06 MWh at 1000 kg/MWh = 60 kg, on top of 0 kg at west.
    @Test func networkEnergyIsChargedAtTheOrigin() throws {
        let scenario = try eastWest(link: "kwh_per_gb = 0.06", gbPerCUh: 1).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.networkCarbonKg, 60))
        #expect(isClose(plan.summary.carbonKg, 60))
        #expect(isClose(plan.summary.networkEnergyMWh, 0.06))
    }

    /// Three nodes: west1 is cleanest (100 kg/MWh) but 50 ms away, west2 (500 kg/MWh) 10 ms away.
    /// With max_latency_ms = 20 the work can only go to west2: 1 MWh x 500 = 500 kg.
    @Test func latencyExcludesTheSlowLink() throws {
        func fixture(maxLatency: String) -> F {
            F(files: [
                "scenario.toml": """
                    [scenario]
                    name = "latency"
                    start = "2026-11-27T00:00:00+08:00"
                    period_minutes = 60
                    periods = 1
                    \(["east", "west1", "west2"].map { node in """
                    [[nodes]]
                    id = "\(node)"
                    capacity_cu = 5000
                    idle_it_mw = 0
                    it_mw_per_cu = 0.001
                    cooling_model = "flat"
                    """ }.joined(separator: "\n"))
                    [[classes]]
                    id = "batch"
                    movable = true
                    \(maxLatency)
                    [[links]]
                    a = "east"
                    b = "west1"
                    latency_ms = 50
                    [[links]]
                    a = "west2"
                    b = "east"
                    latency_ms = 10
                    """,
                "cooling/flat.toml": F.flat(1.0),
                "timeseries/carbon_intensity.csv": F.series([("east", [1000]), ("west1", [100]), ("west2", [500])]),
                "timeseries/renewable_mw.csv": F.series([("east", [0]), ("west1", [0]), ("west2", [0])]),
                "timeseries/temperature_c.csv": F.series([("east", [0]), ("west1", [0]), ("west2", [0])]),
                "timeseries/demand_batch.csv": F.series([("east", [1000])]),
            ])
        }
        let limited = try solveAndVerify(try fixture(maxLatency: "max_latency_ms = 20").load())
        #expect(isClose(limited.summary.carbonKg, 500))
        #expect(limited.placements.allSatisfy { $0.node == "west2" })
        let free = try solveAndVerify(try fixture(maxLatency: "").load())
        #expect(isClose(free.summary.carbonKg, 100))
    }

    /// Capacity 100 CU for 2 hours, deadline 1 h, arrivals 150 then 100 CU*h: 200 CU*h can run,
    /// 50 are unserved. Emissions 2 x 0.1 MW x 1000 kg/MWh = 200 kg. The baseline runs 100 of
    /// each hour's arrivals and drops 50 of the first.
    @Test func unservedWorkIsReported() throws {
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "unserved"
                start = "2026-11-27T00:00:00Z"
                period_minutes = 60
                periods = 2
                [[nodes]]
                id = "n"
                capacity_cu = 100
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[classes]]
                id = "batch"
                deadline_hours = 1
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("n", [1000, 1000])], start: "2026-11-27T00:00:00Z"),
            "timeseries/renewable_mw.csv": F.series([("n", [0, 0])], start: "2026-11-27T00:00:00Z"),
            "timeseries/temperature_c.csv": F.series([("n", [0, 0])], start: "2026-11-27T00:00:00Z"),
            "timeseries/demand_batch.csv": F.series([("n", [150, 100])], start: "2026-11-27T00:00:00Z"),
        ]).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.unservedCUh, 50))
        #expect(isClose(plan.unserved.reduce(0) { $0 + $1.cuH }, 50))
        #expect(isClose(plan.summary.carbonKg, 200))
        #expect(isClose(plan.summary.baselineUnservedCUh, 50))
        #expect(isClose(plan.summary.baselineCarbonKg, 200))
        // Capacity binds in both hours and the extra work would otherwise be unserved: one more
        // CU*h of capacity saves the penalty and costs 1 kg of emissions.
        #expect(plan.nodes[0].periods.allSatisfy { isClose($0.pools![0].marginalCarbonKgPerCUh, 10_000 - 1) })
    }

    /// 15-minute periods, deadline 0.6 h = 36 min: K = floor(36 / 15) = 2, so work arriving in
    /// period 0 may run in periods 0-2 but not 3. The cleanest allowed period is 2 (100 kg/MWh):
    /// 100 CU*h x 1 kW = 0.1 MWh x 100 = 10 kg (5 kg if period 3 were allowed; 100 kg baseline).
    @Test func quarterHourPeriodsRoundTheDeadlineDown() throws {
        let start = "2026-11-27T00:00:00+08:00"
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "quarter-hours"
                start = "\(start)"
                period_minutes = 15
                periods = 4
                [[nodes]]
                id = "n"
                capacity_cu = 1000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[classes]]
                id = "batch"
                deadline_hours = 0.6
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("n", [1000, 1000, 100, 50])], start: start, periodMinutes: 15),
            "timeseries/renewable_mw.csv": F.series([("n", [0, 0, 0, 0])], start: start, periodMinutes: 15),
            "timeseries/temperature_c.csv": F.series([("n", [0, 0, 0, 0])], start: start, periodMinutes: 15),
            "timeseries/demand_batch.csv": F.series([("n", [100, 0, 0, 0])], start: start, periodMinutes: 15),
        ]).load()
        #expect(scenario.windowPeriods(0) == 2)
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 10))
        #expect(isClose(plan.summary.baselineCarbonKg, 100))
        #expect(plan.placements.map(\.period) == [2])
        // IT power is work / period length: 100 CU*h in 15 min is 400 CU busy = 0.4 MW.
        #expect(isClose(plan.nodes[0].periods[2].itMW, 0.4))
    }

    /// Prices break ties among carbon-optimal plans: two identical clean hours, the second cheaper.
    @Test func priceBreaksTiesWithoutRaisingEmissions() throws {
        let scenario = try F(files: [
            "scenario.toml": """
                [scenario]
                name = "prices"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 3
                [[nodes]]
                id = "n"
                capacity_cu = 1000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[classes]]
                id = "batch"
                deadline_hours = 2
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("n", [900, 300, 300])]),
            "timeseries/price.csv": F.series([("n", [10, 80, 40])]),
            "timeseries/renewable_mw.csv": F.series([("n", [0, 0, 0])]),
            "timeseries/temperature_c.csv": F.series([("n", [0, 0, 0])]),
            "timeseries/demand_batch.csv": F.series([("n", [500, 0, 0])]),
        ]).load()
        let plan = try solveAndVerify(scenario)
        #expect(isClose(plan.summary.carbonKg, 150))
        #expect(plan.placements.map(\.period) == [2])
        #expect(isClose(plan.summary.cost ?? -1, 0.5 * 40))
    }

    /// The window of model.md: 4.1 h in 6-minute periods is 41, though 4.1 * 60 / 6 is
    /// 40.99999999999999 in binary floating point (rounded down without the nudge: 40).
    @Test func windowIsExactForDecimalDeadlines() throws {
        var scenario = try F.twoNodes.load()
        scenario.periodCount = 100
        scenario.periodMinutes = 6
        scenario.classes[0].deadlineHours = 4.1
        #expect((4.1 * 60 / 6).rounded(.down) == 40)
        #expect(scenario.windowPeriods(0) == 41)
        // The nudge is relative and tiny: 4.09 h is 40.9 periods, still 40.
        scenario.classes[0].deadlineHours = 4.09
        #expect(scenario.windowPeriods(0) == 40)
        scenario.periodCount = 24
        scenario.periodMinutes = 30
        scenario.classes[0].deadlineHours = 1.5
        #expect(scenario.windowPeriods(0) == 3)
        // Windows past the horizon are capped at it.
        scenario.classes[0].deadlineHours = 1e300
        #expect(scenario.windowPeriods(0) == 24)
    }

    private func eastWest(link: String, gbPerCUh: Double) -> F {
        F(files: [
            "scenario.toml": """
                [scenario]
                name = "east-west"
                start = "2026-11-27T00:00:00+08:00"
                period_minutes = 60
                periods = 1
                [[nodes]]
                id = "east"
                capacity_cu = 5000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[nodes]]
                id = "west"
                capacity_cu = 5000
                idle_it_mw = 0
                it_mw_per_cu = 0.001
                cooling_model = "flat"
                [[links]]
                a = "east"
                b = "west"
                latency_ms = 20
                \(link)
                [[classes]]
                id = "batch"
                movable = true
                gb_per_cu_h = \(gbPerCUh)
                """,
            "cooling/flat.toml": F.flat(1.0),
            "timeseries/carbon_intensity.csv": F.series([("east", [1000]), ("west", [0])]),
            "timeseries/renewable_mw.csv": F.series([("east", [0]), ("west", [0])]),
            "timeseries/temperature_c.csv": F.series([("east", [0]), ("west", [0])]),
            "timeseries/demand_batch.csv": F.series([("east", [1000])]),
        ])
    }
}
