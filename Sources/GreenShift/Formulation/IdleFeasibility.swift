/// The only way model.md's LP can be infeasible: a node cannot power its idle load.
public struct InfeasibleError: Error, Sendable, CustomStringConvertible {
    public let node: String
    public let period: Int
    public let periodStart: Timestamp
    public let reason: String

    public var description: String {
        "infeasible: node '\(node)' cannot power its idle load in period \(period) (\(periodStart)): \(reason)"
    }
}

public enum IdleFeasibility {
    /// Checks every node before any LP is built. With a battery, charging greedily whenever
    /// supply exceeds the idle load keeps the state of charge as high as any plan could, so the
    /// first period where even that runs dry is the first period no plan can power.
    public static func check(_ scenario: Scenario) throws(InfeasibleError) {
        let pue = scenario.pue, D = scenario.periodHours
        for (n, node) in scenario.nodes.enumerated() {
            guard let gridCap = node.gridImportMW else { continue }
            var soc = node.battery?.startEnergyMWh ?? 0
            for t in 0 ..< scenario.periodCount {
                let need = pue[n][t] * node.idleITMW
                let supply = gridCap + scenario.renewableMW[n][t]
                let tolerance = 1e-9 * max(1, need)
                func fail(_ reason: String) -> InfeasibleError {
                    InfeasibleError(node: node.id, period: t, periodStart: scenario.periodStart(t), reason: reason)
                }
                let supplyText = "PUE \(formatNumber(pue[n][t])) x idle \(formatNumber(node.idleITMW)) MW = \(formatNumber(need)) MW needed, grid import at most \(formatNumber(gridCap)) MW + renewables \(formatNumber(scenario.renewableMW[n][t])) MW"
                guard let battery = node.battery else {
                    if need > supply + tolerance { throw fail(supplyText) }
                    continue
                }
                let e = battery.oneWayEfficiency
                if supply >= need {
                    let charge = min(battery.powerMW, supply - need, (battery.energyMWh - soc) / (e * D))
                    soc += e * D * charge
                } else {
                    let deficit = need - supply
                    if deficit > battery.powerMW + tolerance {
                        throw fail(supplyText + " + battery at most \(formatNumber(battery.powerMW)) MW")
                    }
                    soc -= deficit * D / e
                    if soc < -1e-9 * max(1, battery.energyMWh) {
                        throw fail(supplyText + "; the battery runs out")
                    }
                }
            }
            let T = scenario.periodCount
            if let battery = node.battery, soc < battery.initialEnergyMWh - 1e-9 * max(1, battery.energyMWh) {
                throw InfeasibleError(node: node.id, period: T - 1, periodStart: scenario.periodStart(T - 1),
                                      reason: "the battery cannot be recharged to its initial state of charge by the end of the horizon (constraint 8)")
            }
        }
    }
}
