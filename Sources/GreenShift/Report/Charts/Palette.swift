import Foundation

/// Colours that colour-blind readers can tell apart (Okabe & Ito, "Color Universal Design", 2008),
/// named by what they show in this report so every chart uses the same colour for the same thing.
public enum Palette {
    public static let black = "#000000"
    public static let orange = "#E69F00"
    public static let skyBlue = "#56B4E9"
    public static let bluishGreen = "#009E73"
    public static let yellow = "#F0E442"
    public static let blue = "#0072B2"
    public static let vermillion = "#D55E00"
    public static let reddishPurple = "#CC79A7"
    public static let grey = "#999999"

    public static let renewable = bluishGreen
    public static let battery = orange
    public static let grid = vermillion
    public static let plan = blue
    /// Baseline grey, not black: the forecast of renewables is drawn black in the same legends.
    public static let baseline = grey
    public static let temperature = reddishPurple
    /// Each node panel's legend holds all of these at once, so none repeats another's colour.
    public static let gridFactor = "#6B4E00"
    public static let pue = skyBlue
    /// Yellow darkened to read on white paper.
    public static let batteryEnergy = "#B89B00"

    /// Viridis (matplotlib's perceptually uniform, colour-blind-safe map), sampled at 9 stops.
    static let viridisStops: [(Double, Double, Double)] = [
        (68, 1, 84), (71, 44, 122), (59, 81, 139), (44, 113, 142), (33, 144, 141),
        (39, 173, 129), (92, 200, 99), (170, 220, 50), (253, 231, 37),
    ]

    /// Viridis at `f` in 0...1, reversed so that 0 is pale yellow and 1 dark purple: on white paper
    /// the cells that matter most (large values) are the darkest.
    public static func sequential(_ f: Double) -> String {
        let x = (1 - min(1, max(0, f.isFinite ? f : 0))) * Double(viridisStops.count - 1)
        let k = min(Int(x), viridisStops.count - 2), u = x - Double(k)
        let a = viridisStops[k], b = viridisStops[k + 1]
        return hex(a.0 + (b.0 - a.0) * u, a.1 + (b.1 - a.1) * u, a.2 + (b.2 - a.2) * u)
    }

    /// Black or white, whichever reads better on `sequential(f)`.
    public static func textOnSequential(_ f: Double) -> String { f > 0.45 ? "#FFFFFF" : "#000000" }

    static func hex(_ r: Double, _ g: Double, _ b: Double) -> String {
        let digits = Array("0123456789ABCDEF")
        var s = "#"
        for c in [r, g, b] {
            let v = Int(min(255, max(0, c.rounded())))
            s.append(digits[v / 16]); s.append(digits[v % 16])
        }
        return s
    }
}
