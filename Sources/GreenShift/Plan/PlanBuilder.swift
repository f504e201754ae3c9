/// Assembles the plan of plan.md, and the state it leaves, from the optimized and baseline solutions.
struct PlanBuilder {
    let scenario: Scenario

    func plan(formulation: Formulation, values: [Double], capacityDuals: [Double],
              baselineFormulation: Formulation, baselineValues: [Double], solver: Plan.SolverReport) -> (Plan, PlanState) {
        let T = scenario.periodCount, D = scenario.periodHours
        let extraction = PlanExtraction(scenario: scenario, formulation: formulation, values: values)
        let work = extraction.laneWork()
        let outcomes = extraction.cohortOutcomes(laneWork: work, dropped: extraction.droppedWork())
        let nodes = extraction.nodeSchedules(work, capacityDuals: capacityDuals)
        let network = extraction.network(work)
        let unserved = extraction.unserved(outcomes)

        let base = PlanExtraction(scenario: scenario, formulation: baselineFormulation, values: baselineValues)
        let baseWork = base.laneWork()
        let baseDropped = base.droppedWork()
        let baseNodes = base.nodeSchedules(baseWork, capacityDuals: nil)
        let baseNetwork = base.network(baseWork)

        func total(_ schedules: [Plan.NodeSchedule], _ field: (Plan.NodePeriod) -> Double) -> Double {
            schedules.reduce(0) { sum, node in node.periods.reduce(sum) { $0 + field($1) } }
        }
        /// Grid and network emissions of a solution weighed with other factors than the optimized ones.
        func carbon(_ schedules: [Plan.NodeSchedule], _ extraction: PlanExtraction, _ work: [[Double]], _ factors: [[Double]]) -> Double {
            let grid = schedules.enumerated().reduce(0.0) { sum, item in
                item.element.periods.reduce(sum) { $0 + factors[item.offset][$1.period] * $1.gridMW * D }
            }
            return grid + extraction.network(work, factors: factors).carbonKg
        }
        let gridCarbon = total(nodes, \.carbonKg)
        let carbonKg = gridCarbon + network.carbonKg
        let baselineCarbon = total(baseNodes, \.carbonKg) + baseNetwork.carbonKg
        let price = scenario.pricePerMWh
        let cost: Double? = price.map { p in
            nodes.enumerated().reduce(0) { sum, item in
                item.element.periods.reduce(sum) { $0 + p[item.offset][$1.period] * $1.gridMW * D }
            }
        }
        let marginal = scenario.marginalKgPerMWh
        let optimizedAverage = scenario.carbonSignal == .average
        let state = PlanState(at: scenario.commitEnd.description, backlog: extraction.stateBacklog(outcomes),
                              batteries: batteryEnergies(nodes))
        let summary = Plan.Summary(
            carbonKg: carbonKg, gridCarbonKg: gridCarbon, networkCarbonKg: network.carbonKg,
            baselineCarbonKg: baselineCarbon,
            reductionPercent: baselineCarbon > 0 ? 100 * (baselineCarbon - carbonKg) / baselineCarbon : 0,
            facilityEnergyMWh: total(nodes, \.facilityMW) * D, gridEnergyMWh: total(nodes, \.gridMW) * D,
            networkEnergyMWh: network.energyMWh, renewableUsedMWh: total(nodes, \.renewableUsedMW) * D,
            renewableCurtailedMWh: total(nodes, \.renewableCurtailedMW) * D,
            workCUh: work.joined().reduce(0, +), movedCUh: network.movedCUh,
            unservedCUh: unserved.reduce(0) { $0 + $1.cuH }, baselineUnservedCUh: baseDropped.joined().reduce(0, +),
            backlogInCUh: scenario.backlog.reduce(0) { $0 + $1.cuH }, backlogOutCUh: state.backlogCUh,
            cost: cost,
            averageCarbonKg: optimizedAverage ? carbonKg : carbon(nodes, extraction, work, scenario.averageKgPerMWh),
            marginalCarbonKg: marginal.map { optimizedAverage ? carbon(nodes, extraction, work, $0) : carbonKg },
            baselineAverageCarbonKg: optimizedAverage ? baselineCarbon : carbon(baseNodes, base, baseWork, scenario.averageKgPerMWh),
            baselineMarginalCarbonKg: marginal.map { optimizedAverage ? carbon(baseNodes, base, baseWork, $0) : baselineCarbon })

        let baselineByPeriod = (0 ..< T).map { t in
            Plan.Baseline.Period(
                period: t,
                carbonKg: baseNodes.reduce(0) { $0 + $1.periods[t].carbonKg },
                facilityMW: baseNodes.reduce(0) { $0 + $1.periods[t].facilityMW },
                gridMW: baseNodes.reduce(0) { $0 + $1.periods[t].gridMW },
                renewableUsedMW: baseNodes.reduce(0) { $0 + $1.periods[t].renewableUsedMW },
                unservedCUh: baseDropped.reduce(0) { $0 + $1[t] })
        }
        let baselineNodes = baseNodes.map { node in
            Plan.Baseline.NodeTotal(id: node.id, carbonKg: node.periods.reduce(0) { $0 + $1.carbonKg },
                                    facilityEnergyMWh: node.periods.reduce(0) { $0 + $1.facilityMW } * D,
                                    workCUh: node.periods.reduce(0) { $0 + $1.workCUh })
        }
        var plan = Plan(scenario: scenario.name, start: scenario.start.description, periodMinutes: scenario.periodMinutes,
                        periods: T, commitPeriods: scenario.commitPeriods, carbonSignal: scenario.carbonSignal.rawValue,
                        summary: summary, placements: extraction.placements(work), nodes: nodes, unserved: unserved,
                        baseline: Plan.Baseline(periods: baselineByPeriod, nodes: baselineNodes), solver: solver)
        plan.settlement = Plan.Settlement(rows: SettlementLedger.rows(plan: plan, scenario: scenario))
        return (plan, state)
    }

    /// Each battery's energy at the end of the committed periods, within [0, energy_mwh].
    func batteryEnergies(_ nodes: [Plan.NodeSchedule]) -> [PlanState.BatteryEnergy] {
        scenario.nodes.indices.compactMap { n in
            guard let battery = scenario.nodes[n].battery else { return nil }
            let energy = nodes[n].periods[scenario.commitPeriods - 1].batteryEnergyMWh
            return PlanState.BatteryEnergy(node: scenario.nodes[n].id, energyMWh: min(max(energy, 0), battery.energyMWh))
        }
    }
}
