/// The morning after (docs/evaluation.md, schema `greenshift.evaluation/1`): how good the
/// forecasts were, and what the plan and the no-shifting baseline emitted under the actual
/// conditions, against the best plan hindsight allows.
public struct Evaluation: Sendable {
    public static let schemaVersion = "greenshift.evaluation/1"

    public var scenario: String
    public var start: String
    public var periodMinutes: Int
    public var periods: Int
    /// Series read from the actuals folder, and those taken as forecast.
    public var measuredSeries: [String]
    public var seriesAsForecast: [String]
    public var summary: Summary
    public var byPeriod: [PeriodEmissions]
    public var byNode: [NodeEmissions]
    /// Classes and origins where the work that arrived differs from the forecast.
    public var demand: [DemandDifference]
    /// Work of the plan that the nodes could not run under the actual conditions.
    public var unserved: [UnservedWork]
    public var accuracy: [SeriesAccuracy]
    /// The state the realized dispatch leaves after the plan's committed periods (plan.md): what
    /// the next night's scenario should carry.
    public var realizedState: PlanState

    public struct Summary: Sendable {
        /// The plan's emissions as planned, on the forecasts (plan.json's `carbon_kg`).
        public var plannedCarbonKg: Double
        public var plannedBaselineCarbonKg: Double
        /// The plan's placements under the actual conditions.
        public var realizedCarbonKg: Double
        public var realizedGridCarbonKg: Double
        public var realizedNetworkCarbonKg: Double
        /// The no-shifting baseline's placements under the actual conditions.
        public var realizedBaselineCarbonKg: Double
        /// The optimum of the model on the actual data: the best any plan could have done.
        public var hindsightCarbonKg: Double
        /// Realized objective minus hindsight objective (emissions plus unserved penalty), kg; never negative.
        public var regretKg: Double
        public var realizedObjectiveKg: Double
        public var hindsightObjectiveKg: Double
        /// 100 * (realized baseline - realized) / realized baseline; 0 when the baseline emits nothing.
        public var realizedReductionPercent: Double
        public var plannedUnservedCUh: Double
        /// Work the plan's placements ran under the demand rule and the actual conditions.
        public var realizedWorkCUh: Double
        public var realizedUnservedCUh: Double
        public var realizedBaselineUnservedCUh: Double
        public var hindsightUnservedCUh: Double
        public var forecastWorkCUh: Double
        public var actualWorkCUh: Double
        /// Work that arrived beyond the forecast of its period, run at its origin on arrival.
        public var extraWorkCUh: Double
        /// Forecast work that never arrived, so never ran.
        public var missingWorkCUh: Double
        public var realizedRenewableUsedMWh: Double
        public var realizedGridEnergyMWh: Double
    }

    /// System-wide emissions of one period (grid and network), kg.
    public struct PeriodEmissions: Sendable {
        public var period: Int
        public var start: String
        public var plannedKg: Double
        public var realizedKg: Double
        public var realizedBaselineKg: Double
        public var hindsightKg: Double
    }

    /// Grid emissions of one node over the horizon, kg (network emissions belong to no node).
    public struct NodeEmissions: Sendable {
        public var id: String
        public var plannedGridKg: Double
        public var realizedGridKg: Double
        public var realizedBaselineGridKg: Double
        public var hindsightGridKg: Double
    }

    public struct DemandDifference: Sendable {
        public var classID: String
        public var origin: String
        public var forecastCUh: Double
        public var actualCUh: Double
        public var extraCUh: Double
        public var missingCUh: Double
    }

    public struct UnservedWork: Sendable {
        public var period: Int
        public var classID: String
        /// The node that was to run it.
        public var node: String
        public var cuH: Double
    }
}

public enum Evaluator {
    /// Evaluates a plan of `forecast` (already checked by `PlanFile`) against the actuals.
    /// Throws `InfeasibleError` when under the actual conditions a node cannot power its idle
    /// load: then no plan could have been carried out.
    public static func evaluate(forecast: Scenario, plan: Plan, actuals: Actuals,
                                options: OptimizerOptions = OptimizerOptions(tieBreak: false)) throws -> Evaluation {
        let actual = actuals.scenario
        do {
            try IdleFeasibility.check(actual)
        } catch {
            throw InfeasibleError(node: error.node, period: error.period, periodStart: error.periodStart,
                                  reason: "under the actual conditions: \(error.reason)")
        }
        let T = forecast.periodCount, penalty = actual.unservedPenaltyKgPerCUh

        let planned = WorkSchedule(plan: plan, scenario: forecast)
        let realizedWork = RealizedDispatch.realize(planned, forecast: forecast, actual: actual)
        let realized = try RealizedDispatch.dispatch(realizedWork, actual: actual)
        let baseline = try RealizedDispatch.dispatch(
            RealizedDispatch.realize(try WorkSchedule.baseline(of: forecast), forecast: forecast, actual: actual), actual: actual)
        let hindsight = try Optimizer.optimize(actual, options: options).plan

        let hindsightObjective = hindsight.summary.carbonKg + penalty * hindsight.summary.unservedCUh
        let realizedObjective = realized.objective(penalty: penalty)
        let changes = DemandChange.all(forecast: forecast, actual: actual)
        let summary = Evaluation.Summary(
            plannedCarbonKg: plan.summary.carbonKg, plannedBaselineCarbonKg: plan.summary.baselineCarbonKg,
            realizedCarbonKg: realized.carbonKg,
            realizedGridCarbonKg: realized.gridCarbonKg.joined().reduce(0, +),
            realizedNetworkCarbonKg: realized.networkCarbonKg.reduce(0, +),
            realizedBaselineCarbonKg: baseline.carbonKg, hindsightCarbonKg: hindsight.summary.carbonKg,
            regretKg: regret(realizedObjective, hindsightObjective),
            realizedObjectiveKg: realizedObjective, hindsightObjectiveKg: hindsightObjective,
            realizedReductionPercent: baseline.carbonKg > 0 ? 100 * (baseline.carbonKg - realized.carbonKg) / baseline.carbonKg : 0,
            plannedUnservedCUh: plan.summary.unservedCUh, realizedWorkCUh: realized.workCUh,
            realizedUnservedCUh: realized.unservedCUh,
            realizedBaselineUnservedCUh: baseline.unservedCUh, hindsightUnservedCUh: hindsight.summary.unservedCUh,
            forecastWorkCUh: forecast.demandCUh.joined().joined().reduce(0, +),
            actualWorkCUh: actual.demandCUh.joined().joined().reduce(0, +),
            extraWorkCUh: changes.reduce(0) { $0 + $1.extraCUh }, missingWorkCUh: changes.reduce(0) { $0 + $1.missingCUh },
            realizedRenewableUsedMWh: realized.renewableUsedMWh, realizedGridEnergyMWh: realized.gridEnergyMWh)

        let plannedByPeriod = carbonKgByPeriod(plan, forecast)
        let hindsightByPeriod = carbonKgByPeriod(hindsight, actual)
        let realizedByPeriod = realized.carbonKgByPeriod, baselineByPeriod = baseline.carbonKgByPeriod
        let byPeriod = (0 ..< T).map { t in
            Evaluation.PeriodEmissions(period: t, start: forecast.periodStart(t).description, plannedKg: plannedByPeriod[t],
                                       realizedKg: realizedByPeriod[t], realizedBaselineKg: baselineByPeriod[t],
                                       hindsightKg: hindsightByPeriod[t])
        }
        func gridKg(_ p: Plan, _ id: String) -> Double {
            p.nodes.first { $0.id == id }.map { $0.periods.reduce(0) { $0 + $1.carbonKg } } ?? 0
        }
        let byNode = forecast.nodes.enumerated().map { n, node in
            Evaluation.NodeEmissions(id: node.id, plannedGridKg: gridKg(plan, node.id),
                                     realizedGridKg: realized.gridCarbonKg[n].reduce(0, +),
                                     realizedBaselineGridKg: baseline.gridCarbonKg[n].reduce(0, +),
                                     hindsightGridKg: gridKg(hindsight, node.id))
        }
        return Evaluation(
            scenario: forecast.name, start: forecast.start.description, periodMinutes: forecast.periodMinutes, periods: T,
            measuredSeries: actuals.measured, seriesAsForecast: actuals.asForecast, summary: summary,
            byPeriod: byPeriod, byNode: byNode,
            demand: changes.filter { $0.extraCUh > 0 || $0.missingCUh > 0 }.map {
                Evaluation.DemandDifference(classID: forecast.classes[$0.classIndex].id, origin: forecast.nodes[$0.origin].id,
                                            forecastCUh: $0.forecastCUh, actualCUh: $0.actualCUh,
                                            extraCUh: $0.extraCUh, missingCUh: $0.missingCUh)
            },
            unserved: realized.dispatchUnserved.map {
                Evaluation.UnservedWork(period: $0.period, classID: forecast.classes[$0.classIndex].id,
                                        node: forecast.nodes[$0.node].id, cuH: $0.cuH)
            },
            accuracy: ForecastAccuracy.compare(forecast: forecast, actuals: actuals),
            realizedState: RealizedDispatch.state(RealizedDispatch.ran(realizedWork, realized, scenario: actual), actual: actual, batteries: realized.batteries).state)
    }

    /// Realized minus hindsight objective. The realized plan is a feasible plan of the actual
    /// scenario, so the difference is never negative; a difference within the solvers' tolerance
    /// (relative 1e-6, as the verifier allows) is round-off, reported as 0.
    static func regret(_ realized: Double, _ hindsight: Double) -> Double {
        let difference = realized - hindsight
        return abs(difference) <= 1e-6 * max(1, abs(realized), abs(hindsight)) ? 0 : difference
    }

    /// A plan's emissions per period, grid and network (model.md, E_grid + E_net), at the
    /// emission factors of `scenario`.
    static func carbonKgByPeriod(_ plan: Plan, _ scenario: Scenario) -> [Double] {
        var kg = [Double](repeating: 0, count: scenario.periodCount)
        for node in plan.nodes { for p in node.periods { kg[p.period] += p.carbonKg } }
        let network = NetworkIndex(scenario)
        let classByID = Dictionary(scenario.classes.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for p in plan.placements where p.origin != p.node {
            guard let o = network.node(p.origin), let n = network.node(p.node), let link = network.link(between: o, n),
                  let cls = classByID[p.classID] else { continue }
            kg[p.period] += scenario.carbonKgPerMWh[o][p.period] * link.kwhPerGB / 1000 * cls.gbPerCUh * p.cuH
        }
        return kg
    }
}
