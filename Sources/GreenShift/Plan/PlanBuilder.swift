/// Assembles the plan of plan.md from the optimized and baseline solutions.
struct PlanBuilder {
    let scenario: Scenario

    func plan(formulation: Formulation, values: [Double], capacityDuals: [Double],
              baselineFormulation: Formulation, baselineValues: [Double], solver: Plan.SolverReport) -> Plan {
        let T = scenario.periodCount, D = scenario.periodHours
        let extraction = PlanExtraction(scenario: scenario, formulation: formulation, values: values)
        let work = extraction.laneWork()
        let dropped = extraction.droppedWork()
        let nodes = extraction.nodeSchedules(work, capacityDuals: capacityDuals)
        let network = extraction.network(work)
        let unserved = extraction.unservedByArrival(laneWork: work, dropped: dropped)

        let base = PlanExtraction(scenario: scenario, formulation: baselineFormulation, values: baselineValues)
        let baseWork = base.laneWork()
        let baseDropped = base.droppedWork()
        let baseNodes = base.nodeSchedules(baseWork, capacityDuals: nil)

        func total(_ schedules: [Plan.NodeSchedule], _ field: (Plan.NodePeriod) -> Double) -> Double {
            schedules.reduce(0) { sum, node in node.periods.reduce(sum) { $0 + field($1) } }
        }
        let gridCarbon = total(nodes, \.carbonKg)
        let carbon = gridCarbon + network.carbonKg
        let baselineCarbon = total(baseNodes, \.carbonKg)
        let price = scenario.pricePerMWh
        let cost: Double? = price.map { p in
            nodes.enumerated().reduce(0) { sum, item in
                item.element.periods.reduce(sum) { $0 + p[item.offset][$1.period] * $1.gridMW * D }
            }
        }
        let summary = Plan.Summary(
            carbonKg: carbon, gridCarbonKg: gridCarbon, networkCarbonKg: network.carbonKg,
            baselineCarbonKg: baselineCarbon,
            reductionPercent: baselineCarbon > 0 ? 100 * (baselineCarbon - carbon) / baselineCarbon : 0,
            facilityEnergyMWh: total(nodes, \.facilityMW) * D, gridEnergyMWh: total(nodes, \.gridMW) * D,
            networkEnergyMWh: network.energyMWh, renewableUsedMWh: total(nodes, \.renewableUsedMW) * D,
            renewableCurtailedMWh: total(nodes, \.renewableCurtailedMW) * D,
            workCUh: work.joined().reduce(0, +), movedCUh: network.movedCUh,
            unservedCUh: unserved.reduce(0) { $0 + $1.cuH }, baselineUnservedCUh: baseDropped.joined().reduce(0, +),
            cost: cost)

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
        return Plan(scenario: scenario.name, start: scenario.start.description, periodMinutes: scenario.periodMinutes,
                    periods: T, summary: summary, placements: extraction.placements(work), nodes: nodes,
                    unserved: unserved,
                    baseline: Plan.Baseline(periods: baselineByPeriod, nodes: baselineNodes), solver: solver)
    }
}
