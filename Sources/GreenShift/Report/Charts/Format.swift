import Foundation

/// Numbers as people read them: grouped thousands, as many decimals as the quantity deserves.
public enum Format {
    /// `2865864.087` with 0 decimals is "2,865,864"; -0 is written as 0.
    public static func grouped(_ v: Double, decimals: Int = 0) -> String {
        guard v.isFinite else { return "–" }
        let fixed = String(format: "%.\(decimals)f", abs(v))
        let parts = fixed.split(separator: ".", maxSplits: 1)
        var whole = ""
        for (k, c) in parts[0].reversed().enumerated() {
            if k > 0, k % 3 == 0 { whole.append(",") }
            whole.append(c)
        }
        whole = String(whole.reversed())
        let negative = v < 0 && fixed.contains(where: { $0 != "0" && $0 != "." })
        return (negative ? "-" : "") + whole + (parts.count > 1 ? "." + parts[1] : "")
    }

    /// Three significant digits, for quantities whose size varies wildly (marginal emissions).
    public static func significant(_ v: Double, digits: Int = 3) -> String {
        guard v.isFinite else { return "–" }
        if v == 0 { return "0" }
        let decimals = max(0, digits - 1 - Int(log10(abs(v)).rounded(.down)))
        return grouped(v, decimals: min(decimals, 12))
    }

    /// A tick label for a value on an axis whose ticks are `step` apart: large values get k and M
    /// so that labels stay short; otherwise just enough decimals to tell neighbouring ticks apart.
    public static func tick(_ v: Double, step: Double) -> String {
        if v == 0 { return "0" }
        let a = max(abs(v), step)
        if a >= 1e6, step >= 1e5 { return tick(v / 1e6, step: step / 1e6) + "M" }
        if a >= 1e4, step >= 1e3 { return tick(v / 1e3, step: step / 1e3) + "k" }
        // Steps are 1, 2 or 5 times a power of ten: 0.5 needs one decimal, 0.05 two.
        let decimals = step >= 1 || step <= 0 ? 0 : Int((-log10(step) - 1e-9).rounded(.up))
        return grouped(v, decimals: min(decimals, 8))
    }

    /// Three significant digits with k or M, for amounts written inside small cells: 336k, 1.12M, 72k.
    public static func compact(_ v: Double) -> String {
        func trimmed(_ s: String) -> String {
            guard s.contains(".") else { return s }
            var t = Substring(s)
            while t.last == "0" { t = t.dropLast() }
            return String(t.last == "." ? t.dropLast() : t)
        }
        let a = abs(v)
        if a >= 999_500 { return trimmed(significant(v / 1e6)) + "M" }
        if a >= 9_995 { return trimmed(significant(v / 1e3)) + "k" }
        return trimmed(significant(v))
    }

    public static func percent(_ v: Double, decimals: Int = 1) -> String { grouped(v, decimals: decimals) + " %" }
}
