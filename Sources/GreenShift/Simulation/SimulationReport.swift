/// simulation.json and simulation.html (docs/simulate.md): per policy and day what was emitted,
/// served, left unserved and carried, with totals and the regret against hindsight.
public struct SimulationReport: Sendable {
    public static let schemaVersion = "greenshift.simulation/1"

    public var history: String
    public var start: String
    public var days: Int
    public var periodsPerDay: Int
    public var lookAheadHours: Int
    /// What the nights planned on (`SimulationForecasts.name`), and greenshift's method for its own.
    public var forecasts: String
    public var forecastMethod: String?
    public var penaltyKgPerCUh: Double
    public var policies: [PolicyResult]

    public struct PolicyResult: Sendable {
        public var name: String
        public var days: [SimulatedDay]
        /// Objective minus hindsight's per day (a single day may be below hindsight's share of
        /// the one LP; the total never is). Nil without hindsight in the run.
        public var dailyRegretKg: [Double]?
        public var total: Total
    }

    public struct Total: Sendable {
        public var carbonKg: Double
        public var networkCarbonKg: Double
        public var servedCUh: Double
        public var unservedCUh: Double
        public var lateCUh: Double
        public var objectiveKg: Double
        /// Objective minus hindsight's; nil without hindsight.
        public var regretKg: Double?
        public var renewableCurtailedMWh: Double
        public var fallbackDays: Int
        /// How much of hindsight's reduction below no-shift (objective) the policy reaches, %;
        /// nil without both, or when hindsight is no better than no-shift.
        public var shareOfHindsightReductionPercent: Double?
        /// The same on emissions alone.
        public var shareOfHindsightCarbonCutPercent: Double?
        public var seconds: Double
    }

    /// How the nights' forecasts are told in the page and the table.
    public var forecastsDescription: String {
        switch forecasts {
        case "perfect": "on the actuals (perfect forecasts)"
        case "greenshift": "on greenshift's own forecasts (\(forecastMethod ?? "auto")) from the actuals before each night (the first night on its forecast files)"
        default: "on that night's forecast files"
        }
    }

    public init(history: SimulationHistory, options: SimulationOptions, results: [(policy: SimulationPolicy, days: [SimulatedDay])]) {
        self.history = history.actual.name
        start = history.actual.start.description
        days = history.days
        periodsPerDay = history.periodsPerDay
        lookAheadHours = options.lookAheadHours
        forecasts = options.forecasts.name
        forecastMethod = options.forecasts.method?.rawValue
        penaltyKgPerCUh = history.actual.unservedPenaltyKgPerCUh
        let hindsight = results.first { $0.policy == .hindsight }?.days
        let noShift = results.first { $0.policy == .noShift }?.days
        func objective(_ d: [SimulatedDay]) -> Double { d.reduce(0) { $0 + $1.objectiveKg } }
        policies = results.map { policy, days in
            func sum(_ f: (SimulatedDay) -> Double) -> Double { days.reduce(0) { $0 + f($1) } }
            func share(_ f: ([SimulatedDay]) -> Double) -> Double? {
                guard let h = hindsight, let b = noShift, f(b) > f(h) else { return nil }
                return 100 * (f(b) - f(days)) / (f(b) - f(h))
            }
            func carbon(_ d: [SimulatedDay]) -> Double { d.reduce(0) { $0 + $1.carbonKg } }
            return PolicyResult(
                name: policy.rawValue, days: days,
                dailyRegretKg: hindsight.map { h in zip(days, h).map { $0.objectiveKg - $1.objectiveKg } },
                total: Total(carbonKg: sum(\.carbonKg), networkCarbonKg: sum(\.networkCarbonKg), servedCUh: sum(\.servedCUh),
                             unservedCUh: sum(\.unservedCUh), lateCUh: sum(\.lateCUh), objectiveKg: objective(days),
                             regretKg: hindsight.map { Evaluator.regret(objective(days), objective($0)) },
                             renewableCurtailedMWh: sum(\.renewableCurtailedMWh), fallbackDays: days.filter { $0.fallback != nil }.count,
                             shareOfHindsightReductionPercent: share(objective), shareOfHindsightCarbonCutPercent: share(carbon),
                             seconds: sum(\.seconds)))
        }
    }

    public func json() -> JSON {
        func n(_ v: Double) -> JSON { .number(v) }
        return .object([
            ("schema", .string(Self.schemaVersion)), ("history", .string(history)), ("start", .string(start)),
            ("days", n(Double(days))), ("periods_per_day", n(Double(periodsPerDay))),
            ("look_ahead_hours", n(Double(lookAheadHours))), ("perfect_forecasts", .bool(forecasts == "perfect")),
            ("forecasts", .string(forecasts)), ("forecast_method", forecastMethod.map(JSON.string) ?? .null),
            ("unserved_penalty_kg_per_cu_h", n(penaltyKgPerCUh)),
            ("policies", .array(policies.map { p in
                let t = p.total
                return .object([
                    ("name", .string(p.name)),
                    ("total", .object([
                        ("carbon_kg", n(t.carbonKg)), ("network_carbon_kg", n(t.networkCarbonKg)), ("served_cu_h", n(t.servedCUh)),
                        ("unserved_cu_h", n(t.unservedCUh)), ("late_cu_h", n(t.lateCUh)), ("objective_kg", n(t.objectiveKg)),
                        ("regret_kg", .optional(t.regretKg)), ("renewable_curtailed_mwh", n(t.renewableCurtailedMWh)),
                        ("fallback_days", n(Double(t.fallbackDays))),
                        ("share_of_hindsight_reduction_percent", .optional(t.shareOfHindsightReductionPercent)),
                        ("share_of_hindsight_carbon_cut_percent", .optional(t.shareOfHindsightCarbonCutPercent)),
                        ("seconds", n(t.seconds)),
                    ])),
                    ("days", .array(p.days.enumerated().map { k, d in
                        guard case .object(var members) = Simulator.json(d) else { return .null }
                        members.insert(("regret_kg", .optional(p.dailyRegretKg?[k])), at: members.count - 2)
                        return .object(members)
                    })),
                ])
            })),
        ])
    }
}
