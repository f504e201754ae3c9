/// A scenario's time series by the name of the `timeseries/` file they come from (scenario.md,
/// "Time series"): `renewable_mw`, `carbon_intensity`, `marginal_carbon_intensity`,
/// `temperature_c`, `price`, `demand_<class>`; each `[node][period]`.
extension Scenario {
    /// The series this scenario carries, in the loader's order: the required ones, the optional
    /// ones it has, one demand series per class.
    public var seriesNames: [String] {
        ScenarioLoader.requiredSeries + (pricePerMWh == nil ? [] : ["price"])
            + (marginalKgPerMWh == nil ? [] : [ScenarioLoader.marginalSeries]) + classes.map { "demand_\($0.id)" }
    }

    /// The series of file `name`; nil for one the scenario does not carry.
    public func series(named name: String) -> [[Double]]? {
        switch name {
        case "renewable_mw": return renewableMW
        case "carbon_intensity": return averageKgPerMWh
        case ScenarioLoader.marginalSeries: return marginalKgPerMWh
        case "temperature_c": return temperatureC
        case "price": return pricePerMWh
        default: return demandClass(name).map { demandCUh[$0] }
        }
    }

    /// Replaces the series of file `name` (one of `seriesNames`, or an optional series to add).
    public mutating func setSeries(named name: String, _ values: [[Double]]) {
        switch name {
        case "renewable_mw": renewableMW = values
        case "carbon_intensity": averageKgPerMWh = values
        case ScenarioLoader.marginalSeries: marginalKgPerMWh = values
        case "temperature_c": temperatureC = values
        case "price": pricePerMWh = values
        default:
            guard let w = demandClass(name) else { preconditionFailure("no series named \(name)") }
            demandCUh[w] = values
        }
    }

    private func demandClass(_ name: String) -> Int? { classes.firstIndex { "demand_\($0.id)" == name } }
}
