/// Error statistics of one forecast against what happened, over a set of periods.
/// The error of a period is forecast minus actual, so a positive bias means the forecast was too high.
public struct ErrorStatistics: Sendable, Equatable {
    public var periods: Int
    /// Mean absolute error, in the series' unit.
    public var mae: Double
    /// Root mean square error, in the series' unit.
    public var rmse: Double
    /// Mean error (forecast - actual), in the series' unit.
    public var bias: Double
    /// Weighted absolute percentage error as a fraction: sum |error| / sum |actual|. Nil when the
    /// actuals sum to 0 (no weight to divide by, e.g. solar at night) and for temperatures, whose
    /// zero is arbitrary (a WAPE in degrees Celsius would change with the unit).
    public var wape: Double?

    init(forecast: [Double], actual: [Double], ratioScale: Bool) {
        periods = forecast.count
        var absolute = 0.0, squared = 0.0, signed = 0.0, weight = 0.0
        for (f, a) in zip(forecast, actual) {
            let e = f - a
            absolute += abs(e); squared += e * e; signed += e; weight += abs(a)
        }
        let n = Double(max(1, periods))
        mae = absolute / n
        rmse = (squared / n).squareRoot()
        bias = signed / n
        wape = ratioScale && weight > 0 ? absolute / weight : nil
    }
}

/// The accuracy of one series at one node: over the horizon and by hour of day.
public struct SeriesAccuracy: Sendable {
    /// The series' file name without `.csv`: `renewable_mw`, `carbon_intensity`, `temperature_c`, `price`, `demand_<class>`.
    public var series: String
    public var node: String
    public var overall: ErrorStatistics
    /// By local hour of day (the scenario's UTC offset) of the periods' starts; hours without a period are left out.
    public var byHour: [(hour: Int, statistics: ErrorStatistics)]
    /// Means over the horizon, to read the errors against.
    public var forecastMean: Double
    public var actualMean: Double
}

public enum ForecastAccuracy {
    /// Hour of day (0-23) at which period `t` starts, in the offset the scenario's start is written in.
    static func hourOfDay(_ scenario: Scenario, _ t: Int) -> Int {
        let stamp = scenario.periodStart(t)
        let local = stamp.epochSeconds + Int64(stamp.offsetMinutes) * 60
        let secondOfDay = (local % 86_400 + 86_400) % 86_400
        return Int(secondOfDay / 3600)
    }

    /// Every measured series at every node it covers: all nodes for the weather, grid and price
    /// series; for demand, the origins with work in the forecast or in the actuals.
    public static func compare(forecast: Scenario, actuals: Actuals) -> [SeriesAccuracy] {
        let actual = actuals.scenario
        let hours = (0 ..< forecast.periodCount).map { hourOfDay(forecast, $0) }
        var result: [SeriesAccuracy] = []
        for name in actuals.measured {
            let pair: ([[Double]], [[Double]])
            switch name {
            case "renewable_mw": pair = (forecast.renewableMW, actual.renewableMW)
            case "carbon_intensity": pair = (forecast.carbonKgPerMWh, actual.carbonKgPerMWh)
            case "temperature_c": pair = (forecast.temperatureC, actual.temperatureC)
            case "price": pair = (forecast.pricePerMWh ?? [], actual.pricePerMWh ?? [])
            default:
                let w = forecast.classes.firstIndex { "demand_\($0.id)" == name }!
                pair = (forecast.demandCUh[w], actual.demandCUh[w])
            }
            let ratioScale = name != "temperature_c"
            for (n, node) in forecast.nodes.enumerated() where n < pair.0.count && n < pair.1.count {
                let (f, a) = (pair.0[n], pair.1[n])
                if name.hasPrefix("demand_"), !f.contains(where: { $0 != 0 }), !a.contains(where: { $0 != 0 }) { continue }
                let byHour = Set(hours).sorted().map { h in
                    let ts = hours.indices.filter { hours[$0] == h }
                    return (h, ErrorStatistics(forecast: ts.map { f[$0] }, actual: ts.map { a[$0] }, ratioScale: ratioScale))
                }
                result.append(SeriesAccuracy(series: name, node: node.id,
                                             overall: ErrorStatistics(forecast: f, actual: a, ratioScale: ratioScale),
                                             byHour: byHour, forecastMean: f.reduce(0, +) / Double(f.count),
                                             actualMean: a.reduce(0, +) / Double(a.count)))
            }
        }
        return result
    }
}
