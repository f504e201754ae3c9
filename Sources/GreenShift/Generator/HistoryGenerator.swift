import Foundation

extension ScenarioGenerator {
    /// A synthetic history for `greenshift simulate` in the layout of Data/histories (docs/simulate.md):
    /// scenario.toml with one day's periods, `actuals/` over `days` + 1 days (the last night's
    /// look-ahead), and `forecasts/YYYY-MM-DD/` for every day over two days from its start.
    /// Deterministic: the same generator and days give the same bytes.
    ///
    /// The actuals are the generated scenario's series with day-to-day weather: every site's
    /// renewables scaled by a factor per day (0.3 to 1.4: calm and overcast to windy and clear),
    /// its temperature shifted by -4 to +4 K per day, its work by 0.85 to 1.15. A forecast is the
    /// actual times (1 + e), or plus e for temperatures, with e a random walk over the lead time,
    /// so that errors grow with lead: after 48 h about 25 % for renewables, 6 % for work, 3 % for
    /// grid factors and 2 K for temperatures (the orders of magnitude of the shipped history's, see
    /// Data/README.md).
    public func historyFiles(days: Int) -> [(path: String, contents: String)] {
        let perDay = 24 * 60 / periodMinutes
        var day = self
        day.periods = perDay
        var long = self
        long.periods = (days + 1) * perDay
        let (sites, _) = long.layout()
        let toml = day.layout().toml.replacingOccurrences(of: "--periods \(perDay) ", with: "--history-days \(days) ")
        // Day-to-day weather, per series kind, site and day.
        func daily(_ salt: UInt64, _ site: Int, _ d: Int, _ low: Double, _ high: Double) -> Double {
            var random = SplitMix64(seed: seed ^ (salt << 48) ^ UInt64(site) << 20 ^ UInt64(d))
            return random.uniform(low, high)
        }
        let index = Dictionary(uniqueKeysWithValues: sites.enumerated().map { ($1.id, $0) })
        var actual: [(name: String, value: (Site, Int) -> Double)] = []
        for (name, value) in long.series(sites) {
            let kind: UInt64 = name == "renewable_mw" ? 1 : name == "temperature_c" ? 2 : name == "carbon_intensity" ? 3 : 4
            actual.append((name, { s, t in
                let (k, d) = (index[s.id]!, t / perDay)
                switch kind {
                case 1: return value(s, t) * daily(kind, k, d, 0.3, 1.4)
                case 2: return value(s, t) + daily(kind, k, d, -4, 4)
                case 3: return value(s, t)
                default: return value(s, t) * daily(kind, k, d, 0.85, 1.15)
                }
            }))
        }
        var files = [("scenario.toml", toml)]
        files += actual.map { ("actuals/\($0.name).csv", long.csv(sites, $0.value)) }
        let start = try! Timestamp(parsing: Self.start)
        for d in 0 ..< days {
            let folder = "forecasts/" + start.adding(minutes: d * perDay * periodMinutes).description.prefix(10)
            let rows = d * perDay ..< (d + 2) * perDay
            for (kind, (name, value)) in actual.enumerated() {
                // One random walk per series, site and night, over the lead time.
                var errors: [[Double]] = []
                let step = name == "renewable_mw" ? 0.036 : name == "temperature_c" ? 0.29 : name == "carbon_intensity" ? 0.0043 : 0.0087
                for k in sites.indices {
                    var random = SplitMix64(seed: seed ^ 0x666F_7265 ^ UInt64(kind) << 40 ^ UInt64(k) << 20 ^ UInt64(d))
                    var e = 0.0
                    errors.append(rows.map { _ in e += step * (random.uniform(-1, 1) * 3.0.squareRoot()); return e })
                }
                files.append(("\(folder)/\(name).csv", long.csv(sites, rows: rows) { s, t in
                    let e = errors[index[s.id]!][t - rows.lowerBound]
                    return name == "temperature_c" ? value(s, t) + e : max(0, value(s, t) * (1 + e))
                }))
            }
        }
        return files
    }

    /// Writes `historyFiles(days:)` into `directory` (created if needed).
    public func writeHistory(days: Int, to directory: String) throws {
        try Self.write(historyFiles(days: days), to: directory)
    }
}
