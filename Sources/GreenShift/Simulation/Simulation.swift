import Foundation

/// How a simulated day's work is placed (docs/simulate.md, "Policies").
public enum SimulationPolicy: String, Sendable, CaseIterable {
    /// This optimizer, every night, on that night's forecasts.
    case greenshift
    /// The baseline of model.md: everything at its origin on arrival.
    case noShift = "no-shift"
    case greedyIntensity = "greedy-intensity"
    case greedyRenewable = "greedy-renewable"
    /// One LP over all days on the actuals: the bound no policy can beat.
    case hindsight
}

/// What one policy did on one day, as `SIM_DIR/<policy>/<day>/day.json` keeps it.
public struct SimulatedDay: Sendable, Codable, Equatable {
    public var day: Int
    public var date: String
    /// Periods the night planned (committed day plus look-ahead); for hindsight, all of them.
    public var plannedPeriods: Int
    public var carbonKg: Double
    public var networkCarbonKg: Double
    public var servedCUh: Double
    /// Work unserved this day: of the backlog and the day's arrivals, what neither ran nor is
    /// carried (the schedule left it unserved, or it could not run and its window closed).
    public var unservedCUh: Double
    /// Work the schedule ran that the nodes could not power or fit under the actual conditions;
    /// carried on where its window reaches past the day, else part of `unservedCUh`.
    public var dispatchUnservedCUh: Double
    /// Work run after its deadline. Work that misses its window is unserved, never run late, so
    /// this is 0 under every policy; kept so a reader need not know that.
    public var lateCUh: Double
    public var backlogInCUh: Double
    public var backlogOutCUh: Double
    public var renewableCurtailedMWh: Double
    public var objectiveKg: Double
    /// Why the policy's plan could not be made, when the day fell back to no-shift.
    public var fallback: String?
    /// What the night planned on: `files`, `greenshift` (its own forecasts) or `perfect`; nil for
    /// hindsight and for days kept by a run before this field.
    public var forecasts: String?
    public var seconds: Double

    enum CodingKeys: String, CodingKey {
        case day, date, plannedPeriods = "planned_periods", carbonKg = "carbon_kg", networkCarbonKg = "network_carbon_kg"
        case servedCUh = "served_cu_h", unservedCUh = "unserved_cu_h", dispatchUnservedCUh = "dispatch_unserved_cu_h", lateCUh = "late_cu_h"
        case backlogInCUh = "backlog_in_cu_h", backlogOutCUh = "backlog_out_cu_h"
        case renewableCurtailedMWh = "renewable_curtailed_mwh", objectiveKg = "objective_kg", fallback, forecasts, seconds
    }
}

/// What each night plans on (docs/simulate.md, "Where the forecasts come from").
public enum SimulationForecasts: Sendable, Equatable {
    /// The history's `forecasts/YYYY-MM-DD/` files.
    case files
    /// greenshift's own (`Forecaster`, docs/forecast.md, with this method) from the actuals before
    /// the night's 00:00, for every series the night's forecast files carry. The first night, with
    /// no actuals before it, plans on its files.
    case greenshift(ForecastMethod)
    /// The actuals: what is left of the regret is the cost of the nightly horizon alone.
    case perfect

    public static let names = ["files", "greenshift", "perfect"]

    public init?(name: String, method: ForecastMethod = .auto) {
        switch name {
        case "files": self = .files
        case "greenshift": self = .greenshift(method)
        case "perfect": self = .perfect
        default: return nil
        }
    }

    /// `files`, `greenshift` or `perfect`.
    public var name: String {
        switch self {
        case .files: "files"
        case .greenshift: "greenshift"
        case .perfect: "perfect"
        }
    }

    /// The forecast method, for greenshift's own forecasts.
    public var method: ForecastMethod? {
        if case .greenshift(let m) = self { return m }
        return nil
    }
}

public struct SimulationOptions: Sendable {
    /// Hours planned beyond the committed day.
    public var lookAheadHours: Int = 24
    public var policies: [SimulationPolicy] = SimulationPolicy.allCases
    public var forecasts: SimulationForecasts = .files
    public var optimizer = OptimizerOptions()
    public init(lookAheadHours: Int = 24, policies: [SimulationPolicy] = SimulationPolicy.allCases,
                forecasts: SimulationForecasts = .files, optimizer: OptimizerOptions = OptimizerOptions()) {
        (self.lookAheadHours, self.policies, self.forecasts, self.optimizer) = (lookAheadHours, policies, forecasts, optimizer)
    }
}

/// The closed-loop backtest of `greenshift simulate` (docs/simulate.md). Each day, for each
/// policy: that night's scenario (the history's fixed part, that night's forecasts over the
/// committed day and the look-ahead, the state the day before left), a schedule by the policy,
/// the committed day carried out on the actuals (RealizedDispatch, as `evaluate`), and the
/// realized state carried to the next night. Every finished day is kept under
/// `SIM_DIR/<policy>/<day>/` (day.json, state.json); a rerun continues after the last one.
public struct Simulator {
    public let history: SimulationHistory
    public let directory: String
    public let options: SimulationOptions
    /// Told one line per simulated day (the command line prints it on standard error).
    public let progress: @Sendable (String) -> Void
    /// Each night's forecasts, made once for every policy.
    private let nights = NightForecasts()
    /// greenshift's own forecasts' backtest fits, kept from night to night (the actuals only grow).
    private let forecastMemo = ForecastMemo()

    public init(history: SimulationHistory, directory: String, options: SimulationOptions,
                progress: @escaping @Sendable (String) -> Void = { _ in }) {
        (self.history, self.directory, self.options, self.progress) = (history, directory, options, progress)
    }

    private var C: Int { history.periodsPerDay }
    private var lookAheadPeriods: Int { options.lookAheadHours * 60 / history.actual.periodMinutes }
    /// Periods night `d` plans: the committed day and the look-ahead; the last nights plan no
    /// further than the last simulated day, as hindsight does, so that no policy may push work
    /// past the end that hindsight must finish.
    private func horizon(_ d: Int) -> Int { min(C + lookAheadPeriods, (history.days - d) * C) }
    /// Whether night `d` plans on its forecast files: always with `files`; with greenshift's own
    /// forecasts, when there is less than a day of actuals before it (the first night).
    private func usesFiles(_ d: Int) -> Bool {
        switch options.forecasts {
        case .files: true
        case .greenshift: d * C < history.periodsPerDay
        case .perfect: false
        }
    }

    private func path(_ parts: String...) -> String { ([directory] + parts).joined(separator: "/") }

    /// Runs (or continues) every policy over every day; returns each policy's days.
    public func run() throws -> [(policy: SimulationPolicy, days: [SimulatedDay])] {
        let short = (0 ..< history.days).filter { d in usesFiles(d) && history.forecasts[d].periodCount < horizon(d) }
        guard short.isEmpty else {
            throw InputError(short.map { d in
                Diagnostic(file: "forecasts/\(history.dayNames[d])", "forecasts for \(history.forecasts[d].periodCount) periods, but the committed day and \(options.lookAheadHours) h of look-ahead need \(C + lookAheadPeriods); plan a shorter --look-ahead-hours")
            })
        }
        try checkSettings()
        return try options.policies.map { policy in
            (policy, policy == .hindsight ? try hindsight() : try chain(policy))
        }
    }

    // MARK: Settings

    /// The settings a SIM_DIR was started with: a rerun must use the same, or it would splice
    /// days of different runs together.
    private var settings: String {
        JSON.object([("schema", .string(SimulationReport.schemaVersion)), ("history", .string(history.actual.name)),
                     ("start", .string(history.actual.start.description)), ("days", .number(Double(history.days))),
                     ("look_ahead_hours", .number(Double(options.lookAheadHours))),
                     ("forecasts", .string(options.forecasts.name))]
                    + (options.forecasts.method.map { [("forecast_method", .string($0.rawValue))] } ?? [])).rendered()
    }

    private func checkSettings() throws {
        let file = path("settings.json")
        if case .success(let old) = TextFile.read(file, displayName: file) {
            guard old == settings else {
                throw InputError([Diagnostic(file: file, "this folder holds a simulation with other settings (history, days, look-ahead or forecasts): \(old.replacingOccurrences(of: "\n", with: " ")); use another --out, or delete the folder")])
            }
            return
        }
        try OutputDirectory(path: directory).write([("settings.json", settings)])
    }

    // MARK: The nightly chain

    private func chain(_ policy: SimulationPolicy) throws -> [SimulatedDay] {
        var days: [SimulatedDay] = []
        var stateFile: String?
        // Days kept from an earlier run count only up to the first one missing: every later day
        // started from a state that is simulated again.
        var continuing = true
        for d in 0 ..< history.days {
            let folder = path(policy.rawValue, history.dayNames[d])
            if continuing, let kept = Self.keptDay(folder, withState: true) {
                days.append(kept)
                stateFile = folder + "/state.json"
                continue
            }
            continuing = false
            // The night is forecast before the clock starts: a day's seconds are its policy's alone.
            _ = try nightForecast(d)
            let started = Date()
            var (day, state) = try simulate(policy, day: d, stateFile: stateFile)
            day.seconds = Date().timeIntervalSince(started)
            // state.json first, day.json last: a day counts as finished only once day.json is there.
            try OutputDirectory(path: folder).write([("state.json", state.json().rendered())])
            try OutputDirectory(path: folder).write([("day.json", Self.json(day).rendered())])
            days.append(day)
            stateFile = folder + "/state.json"
            progress(Self.progressLine(policy, day, of: history.days))
        }
        return days
    }

    static func progressLine(_ policy: SimulationPolicy, _ day: SimulatedDay, of total: Int) -> String {
        "simulate \(policy.rawValue) day \(day.day)/\(total) \(day.date): "
            + String(format: "%.1f t CO2, %.0f CU*h unserved, %.0f CU*h could not run when scheduled, %.0f CU*h backlog carried, %.1f s",
                     day.carbonKg / 1000, day.unservedCUh, day.dispatchUnservedCUh, day.backlogOutCUh, day.seconds)
            + (day.fallback.map { " (fell back to no-shift: \($0))" } ?? "")
    }

    /// A day kept by an earlier run (with its state.json, for a nightly chain), or nil when it has not finished.
    static func keptDay(_ folder: String, withState: Bool) -> SimulatedDay? {
        guard !withState || TextFile.exists(folder + "/state.json"),
              let data = FileManager.default.contents(atPath: folder + "/day.json") else { return nil }
        return try? JSONDecoder().decode(SimulatedDay.self, from: data)
    }

    /// One night and day of `policy`: plan on the forecasts, carry out the committed day on the actuals.
    func simulate(_ policy: SimulationPolicy, day d: Int, stateFile: String?) throws -> (SimulatedDay, PlanState) {
        let H = horizon(d)
        var actual = history.actual.window(d * C ..< d * C + H)
        var (forecast, source) = try nightForecast(d)
        forecast.name = "\(history.actual.name)-\(history.dayNames[d])"
        actual.name = forecast.name
        forecast.commitPeriods = C
        actual.commitPeriods = C
        if let stateFile {
            forecast = try forecast.applying(stateFile: stateFile)
            actual = try actual.applying(stateFile: stateFile)
        }
        let committed = actual.window(0 ..< C)
        do {
            try IdleFeasibility.check(committed)
        } catch {
            throw InfeasibleError(node: error.node, period: error.period, periodStart: error.periodStart,
                                  reason: "on \(history.dayNames[d]) under the actual conditions: \(error.reason)")
        }

        var fallback: String?
        let schedule: WorkSchedule
        do {
            schedule = try Self.schedule(policy, forecast, options.optimizer)
        } catch let error where error is InfeasibleError || error is SolverStoppedError {
            // No plan tonight: no shifting. When the forecasts leave even the baseline
            // infeasible, the work is pinned to its origin and arrival as it is.
            fallback = "\(error)"
            schedule = (try? WorkSchedule.baseline(of: forecast)) ?? Self.pinned(forecast)
        }
        let realized = RealizedDispatch.realize(schedule, forecast: forecast, actual: actual)
        // Only the committed day is carried out: its runs, dispatched on that day's actuals.
        var work = WorkSchedule(emptyFor: committed)
        for (key, runs) in realized.run { work.run[key] = Array(runs[0 ..< C]) }
        let outcome = try RealizedDispatch.dispatch(work, actual: committed)
        // What really ran: the realized schedule without what the nodes could not run today.
        let ran = RealizedDispatch.ran(realized, outcome, scenario: actual)
        let state = RealizedDispatch.state(ran, actual: actual, batteries: outcome.batteries).state

        // Everything that could run today (backlog and today's arrivals) ran, is carried, or is
        // unserved: by the schedule, or because it could not run and its window closed today.
        let arrived = actual.demandCUh.joined().reduce(0) { $0 + $1[0 ..< C].reduce(0, +) }
        let backlogIn = actual.backlog.reduce(0) { $0 + $1.cuH }
        let unserved = max(0, backlogIn + arrived - outcome.workCUh - state.backlogCUh)
        let dispatchUnserved = outcome.dispatchUnserved.reduce(0) { $0 + $1.cuH }
        let carbon = outcome.carbonKg
        let day = SimulatedDay(
            day: d + 1, date: history.dayNames[d], plannedPeriods: H, carbonKg: carbon,
            networkCarbonKg: outcome.networkCarbonKg.reduce(0, +), servedCUh: outcome.workCUh,
            unservedCUh: unserved, dispatchUnservedCUh: dispatchUnserved, lateCUh: 0, backlogInCUh: backlogIn, backlogOutCUh: state.backlogCUh,
            renewableCurtailedMWh: outcome.renewableCurtailedMWh, objectiveKg: carbon + actual.unservedPenaltyKgPerCUh * unserved,
            fallback: fallback, forecasts: source, seconds: 0)
        return (day, state)
    }

    /// Night `d`'s forecasts over its horizon, and what they are (`SimulatedDay.forecasts`); made
    /// once, for the first policy that plans the night. greenshift's own are made from the actuals
    /// before the night's 00:00 only, and written to `SIM_DIR/forecasts/<day>/`.
    func nightForecast(_ d: Int) throws -> (scenario: Scenario, source: String) {
        try nights.get(d) {
            let H = horizon(d)
            if options.forecasts == .perfect { return (history.actual.window(d * C ..< d * C + H), "perfect") }
            var night = history.forecasts[d].window(0 ..< H)
            guard case .greenshift(let method) = options.forecasts, !usesFiles(d) else { return (night, "files") }
            let names = night.seriesNames
            let unmeasured = names.filter { history.actual.series(named: $0) == nil }
            guard unmeasured.isEmpty else {
                throw InputError(unmeasured.map { Diagnostic(file: "actuals/\($0).csv", "the forecast files carry \($0), but the actuals do not: greenshift cannot forecast it") })
            }
            let started = Date()
            let known = History(history.actual.window(0 ..< d * C), series: names)
            let set = try Forecaster.forecast(history: known, from: night.start, periods: H, method: method, memo: forecastMemo)
            for file in set.files { night.setSeries(named: file.name, file.point) }
            try OutputDirectory(path: path("forecasts", history.dayNames[d])).write(set.csvFiles())
            progress(String(format: "simulate forecasts %d/%d %@: greenshift's own (%@) from %d days of actuals, %d periods, %.1f s",
                            d + 1, history.days, history.dayNames[d], method.rawValue, d, H, Date().timeIntervalSince(started)))
            return (night, "greenshift")
        }
    }

    /// The schedule a policy makes of a night's scenario.
    static func schedule(_ policy: SimulationPolicy, _ forecast: Scenario, _ options: OptimizerOptions) throws -> WorkSchedule {
        switch policy {
        case .greenshift: return WorkSchedule(plan: try Optimizer.optimize(forecast, options: options).plan, scenario: forecast)
        case .hindsight: preconditionFailure("hindsight is one LP over all days, not a nightly schedule")
        case .noShift: return try WorkSchedule.baseline(of: forecast)
        case .greedyIntensity: return GreedySchedule.schedule(forecast, score: .intensity)
        case .greedyRenewable: return GreedySchedule.schedule(forecast, score: .renewable)
        }
    }

    /// No shifting without an LP: every arrival and backlog entry at its origin when it becomes
    /// runnable, up to the pool's capacity; the rest unserved. Power is left to the dispatch.
    static func pinned(_ s: Scenario) -> WorkSchedule {
        var result = WorkSchedule(emptyFor: s)
        var room = s.nodes.map { node in node.pools.map { [Double](repeating: $0.capacityCU * s.periodHours, count: s.periodCount) } }
        for w in s.classes.indices {
            for o in s.nodes.indices {
                for c in s.cohorts(classIndex: w, origin: o).cohorts where c.cuH > 0 {
                    let run = s.pool(of: w, at: o).map { p in min(c.cuH, room[o][p][c.first]) } ?? 0
                    if run > 0, let p = s.pool(of: w, at: o) {
                        room[o][p][c.first] -= run
                        result.add(.init(classIndex: w, origin: o, node: o), c.first, run, periods: s.periodCount)
                    }
                    if let entry = c.backlogEntry { result.unservedBacklog[entry] += c.cuH - run } else { result.unserved[w][o][c.first] += c.cuH - run }
                }
            }
        }
        return result
    }

    // MARK: Hindsight

    /// One LP over every simulated day on the actuals, split into days for the tables.
    private func hindsight() throws -> [SimulatedDay] {
        let folders = history.dayNames.map { path(SimulationPolicy.hindsight.rawValue, $0) }
        let kept = folders.compactMap { Self.keptDay($0, withState: false) }
        if kept.count == folders.count { return kept }
        let started = Date()
        let scenario = history.actual.window(0 ..< history.days * C)
        var options = options.optimizer
        options.tieBreak = false
        let plan = try Optimizer.optimize(scenario, options: options).plan
        let T = scenario.periodCount, D = scenario.periodHours
        let carbon = Evaluator.carbonKgByPeriod(plan, scenario)
        var network = [Double](repeating: 0, count: T), served = network, curtailed = network, unserved = network
        for node in plan.nodes {
            for p in node.periods {
                served[p.period] += p.workCUh
                curtailed[p.period] += p.renewableCurtailedMW * D
            }
        }
        for u in plan.unserved { if let t = u.period { unserved[t] += u.cuH } }
        let grid = (0 ..< T).map { t in plan.nodes.reduce(0) { $0 + $1.periods[t].carbonKg } }
        for t in 0 ..< T { network[t] = carbon[t] - grid[t] }
        let arrived = (0 ..< T).map { t in scenario.demandCUh.joined().reduce(0) { $0 + $1[t] } }
        let seconds = Date().timeIntervalSince(started)
        var days: [SimulatedDay] = []
        var backlog = 0.0
        for d in 0 ..< history.days {
            let r = d * C ..< (d + 1) * C
            func sum(_ v: [Double]) -> Double { v[r].reduce(0, +) }
            let backlogIn = backlog
            // Work that arrived by the day's end and is neither run nor unserved yet.
            backlog += sum(arrived) - sum(served) - sum(unserved)
            backlog = max(0, backlog)
            days.append(SimulatedDay(
                day: d + 1, date: history.dayNames[d], plannedPeriods: T, carbonKg: sum(carbon), networkCarbonKg: sum(network),
                servedCUh: sum(served), unservedCUh: sum(unserved), dispatchUnservedCUh: 0, lateCUh: 0, backlogInCUh: backlogIn, backlogOutCUh: backlog,
                renewableCurtailedMWh: sum(curtailed), objectiveKg: sum(carbon) + scenario.unservedPenaltyKgPerCUh * sum(unserved),
                fallback: nil, forecasts: nil, seconds: d == 0 ? seconds : 0))
        }
        for (day, folder) in zip(days, folders) {
            try OutputDirectory(path: folder).write([("day.json", Self.json(day).rendered())])
        }
        progress(String(format: "simulate hindsight: one LP over %d days (%d periods), %.1f t CO2, %.1f s",
                        history.days, T, carbon.reduce(0, +) / 1000, seconds))
        return days
    }

    static func json(_ d: SimulatedDay) -> JSON {
        func n(_ v: Double) -> JSON { .number(v) }
        return .object([
            ("day", n(Double(d.day))), ("date", .string(d.date)), ("planned_periods", n(Double(d.plannedPeriods))),
            ("carbon_kg", n(d.carbonKg)), ("network_carbon_kg", n(d.networkCarbonKg)), ("served_cu_h", n(d.servedCUh)),
            ("unserved_cu_h", n(d.unservedCUh)), ("dispatch_unserved_cu_h", n(d.dispatchUnservedCUh)), ("late_cu_h", n(d.lateCUh)), ("backlog_in_cu_h", n(d.backlogInCUh)),
            ("backlog_out_cu_h", n(d.backlogOutCUh)), ("renewable_curtailed_mwh", n(d.renewableCurtailedMWh)),
            ("objective_kg", n(d.objectiveKg)), ("fallback", d.fallback.map(JSON.string) ?? .null),
            ("forecasts", d.forecasts.map(JSON.string) ?? .null), ("seconds", n(d.seconds)),
        ])
    }
}

/// Each night's forecasts, made once and shared by the policies of a run.
final class NightForecasts: @unchecked Sendable {
    private var nights: [Int: (scenario: Scenario, source: String)] = [:]
    private let lock = NSLock()

    func get(_ d: Int, _ make: () throws -> (scenario: Scenario, source: String)) throws -> (scenario: Scenario, source: String) {
        lock.lock()
        defer { lock.unlock() }
        if let night = nights[d] { return night }
        let night = try make()
        nights[d] = night
        return night
    }
}
