/// Power usage effectiveness as a function of outdoor dry-bulb temperature: a piecewise-linear
/// curve, flat beyond its first and last points (scenario.md, "Cooling models").
public struct CoolingModel: Sendable, Equatable {
    public struct Point: Sendable, Equatable {
        public var temperatureC: Double
        public var pue: Double
        public init(temperatureC: Double, pue: Double) {
            self.temperatureC = temperatureC
            self.pue = pue
        }
    }

    public var name: String
    public var description: String?
    /// At least one point, temperatures strictly increasing, every PUE >= 1.
    public var curve: [Point]
    /// Where the model was read from.
    public var source: String

    public init(name: String, description: String? = nil, curve: [Point], source: String) {
        self.name = name
        self.description = description
        self.curve = curve
        self.source = source
    }

    public func pue(atTemperature t: Double) -> Double {
        guard let first = curve.first, let last = curve.last else { return 1 }
        if t <= first.temperatureC { return first.pue }
        if t >= last.temperatureC { return last.pue }
        // Binary search for the segment holding t.
        var lo = 0, hi = curve.count - 1
        while hi - lo > 1 {
            let mid = (lo + hi) / 2
            if curve[mid].temperatureC <= t { lo = mid } else { hi = mid }
        }
        let a = curve[lo], b = curve[hi]
        // Halved differences cannot overflow, even for points near the largest doubles.
        let fraction = (t / 2 - a.temperatureC / 2) / (b.temperatureC / 2 - a.temperatureC / 2)
        return a.pue + (b.pue / 2 - a.pue / 2) * fraction * 2
    }
}
