/// evaluation.json, as docs/evaluation.md describes it: key names carry their units.
extension Evaluation {
    public func json() -> JSON {
        func n(_ v: Double) -> JSON { .number(v) }
        let s = summary
        return .object([
            ("schema", .string(Self.schemaVersion)),
            ("scenario", .string(scenario)),
            ("start", .string(start)),
            ("period_minutes", n(Double(periodMinutes))),
            ("periods", n(Double(periods))),
            ("measured_series", .array(measuredSeries.map(JSON.string))),
            ("series_as_forecast", .array(seriesAsForecast.map(JSON.string))),
            ("summary", .object([
                ("planned_carbon_kg", n(s.plannedCarbonKg)),
                ("planned_baseline_carbon_kg", n(s.plannedBaselineCarbonKg)),
                ("realized_carbon_kg", n(s.realizedCarbonKg)),
                ("realized_grid_carbon_kg", n(s.realizedGridCarbonKg)),
                ("realized_network_carbon_kg", n(s.realizedNetworkCarbonKg)),
                ("realized_baseline_carbon_kg", n(s.realizedBaselineCarbonKg)),
                ("hindsight_carbon_kg", n(s.hindsightCarbonKg)),
                ("regret_kg", n(s.regretKg)),
                ("realized_objective_kg", n(s.realizedObjectiveKg)),
                ("hindsight_objective_kg", n(s.hindsightObjectiveKg)),
                ("realized_reduction_percent", n(s.realizedReductionPercent)),
                ("planned_unserved_cu_h", n(s.plannedUnservedCUh)),
                ("realized_work_cu_h", n(s.realizedWorkCUh)),
                ("realized_unserved_cu_h", n(s.realizedUnservedCUh)),
                ("realized_baseline_unserved_cu_h", n(s.realizedBaselineUnservedCUh)),
                ("hindsight_unserved_cu_h", n(s.hindsightUnservedCUh)),
                ("forecast_work_cu_h", n(s.forecastWorkCUh)),
                ("actual_work_cu_h", n(s.actualWorkCUh)),
                ("extra_work_cu_h", n(s.extraWorkCUh)),
                ("missing_work_cu_h", n(s.missingWorkCUh)),
                ("realized_renewable_used_mwh", n(s.realizedRenewableUsedMWh)),
                ("realized_grid_energy_mwh", n(s.realizedGridEnergyMWh)),
            ])),
            ("periods_carbon", .array(byPeriod.map { p in
                .object([("period", n(Double(p.period))), ("start", .string(p.start)), ("planned_kg", n(p.plannedKg)),
                         ("realized_kg", n(p.realizedKg)), ("realized_baseline_kg", n(p.realizedBaselineKg)),
                         ("hindsight_kg", n(p.hindsightKg))])
            })),
            ("nodes_carbon", .array(byNode.map { node in
                .object([("id", .string(node.id)), ("planned_grid_kg", n(node.plannedGridKg)),
                         ("realized_grid_kg", n(node.realizedGridKg)),
                         ("realized_baseline_grid_kg", n(node.realizedBaselineGridKg)),
                         ("hindsight_grid_kg", n(node.hindsightGridKg))])
            })),
            ("demand", .array(demand.map { d in
                .object([("class", .string(d.classID)), ("origin", .string(d.origin)), ("forecast_cu_h", n(d.forecastCUh)),
                         ("actual_cu_h", n(d.actualCUh)), ("extra_cu_h", n(d.extraCUh)), ("missing_cu_h", n(d.missingCUh))])
            })),
            ("unserved", .array(unserved.map { u in
                .object([("period", n(Double(u.period))), ("class", .string(u.classID)), ("node", .string(u.node)),
                         ("cu_h", n(u.cuH))])
            })),
            ("accuracy", .array(accuracy.map { a in
                .object([("series", .string(a.series)), ("node", .string(a.node))]
                        + a.overall.members(withPeriods: false)
                        + [("forecast_mean", n(a.forecastMean)), ("actual_mean", n(a.actualMean)),
                           ("by_hour", .array(a.byHour.map { h in
                               .object([("hour", n(Double(h.hour)))] + h.statistics.members(withPeriods: true))
                           }))])
            })),
        ])
    }
}

extension ErrorStatistics {
    func members(withPeriods: Bool) -> [(String, JSON)] {
        (withPeriods ? [("periods", JSON.number(Double(periods)))] : [])
            + [("mae", .number(mae)), ("rmse", .number(rmse)), ("bias", .number(bias)), ("wape", .optional(wape))]
    }
}
