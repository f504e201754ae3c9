/// Builds SVG markup by appending to one string. Charts hold thousands of elements (a 100 x 168
/// heatmap), so there is no element tree: each call writes its element at once, escaped.
/// Output is well-formed XML, so it can be inlined in HTML and checked with an XML parser.
public struct SVG: Sendable {
    public let width: Double
    public let height: Double
    public private(set) var body = ""

    public init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    /// The finished `<svg>` element. `title` names the chart for screen readers and tooltips.
    public func rendered(title: String, cssClass: String = "chart") -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(cssClass)\" width=\"\(Self.number(width))\" "
            + "height=\"\(Self.number(height))\" viewBox=\"0 0 \(Self.number(width)) \(Self.number(height))\" role=\"img\">"
            + "<title>\(Self.escape(title))</title>" + body + "</svg>"
    }

    // MARK: Elements

    public mutating func rect(_ r: Rect, fill: String, stroke: String? = nil, title: String? = nil) {
        body += "<rect x=\"\(Self.number(r.x))\" y=\"\(Self.number(r.y))\" width=\"\(Self.number(r.width))\" height=\"\(Self.number(r.height))\" fill=\"\(fill)\""
        if let stroke { body += " stroke=\"\(stroke)\"" }
        if let title { body += "><title>\(Self.escape(title))</title></rect>" } else { body += "/>" }
    }

    public mutating func line(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String,
                              width: Double = 1, dash: String? = nil, cssClass: String? = nil) {
        body += "<line x1=\"\(Self.number(x1))\" y1=\"\(Self.number(y1))\" x2=\"\(Self.number(x2))\" y2=\"\(Self.number(y2))\" stroke=\"\(stroke)\""
        if width != 1 { body += " stroke-width=\"\(Self.number(width))\"" }
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        if let cssClass { body += " class=\"\(cssClass)\"" }
        body += "/>"
    }

    /// `points` joined by straight segments; `closed` fills the polygon instead of stroking it.
    public mutating func path(_ points: [Point], fill: String? = nil, stroke: String? = nil, width: Double = 1.5,
                              dash: String? = nil, closed: Bool = false) {
        guard let first = points.first else { return }
        body += "<path d=\"M\(Self.number(first.x)) \(Self.number(first.y))"
        for p in points.dropFirst() { body += "L\(Self.number(p.x)) \(Self.number(p.y))" }
        if closed { body += "Z" }
        body += "\" fill=\"\(fill ?? "none")\""
        if let stroke {
            body += " stroke=\"\(stroke)\" stroke-width=\"\(Self.number(width))\" stroke-linejoin=\"round\""
            if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        }
        body += "/>"
    }

    public enum Anchor: String, Sendable { case start, middle, end }

    /// Text styled by the page's CSS class (font sizes live in one place, the page's stylesheet).
    public mutating func text(_ s: String, x: Double, y: Double, anchor: Anchor = .start, cssClass: String = "tick",
                              rotate: Double? = nil, fill: String? = nil) {
        body += "<text x=\"\(Self.number(x))\" y=\"\(Self.number(y))\" class=\"\(cssClass)\""
        if anchor != .start { body += " text-anchor=\"\(anchor.rawValue)\"" }
        if let rotate { body += " transform=\"rotate(\(Self.number(rotate)) \(Self.number(x)) \(Self.number(y)))\"" }
        if let fill { body += " fill=\"\(fill)\"" }
        body += ">\(Self.escape(s))</text>"
    }

    // MARK: Text

    /// Coordinates to 0.1 px: finer is invisible and only makes the page bigger.
    /// Hand-rolled because `String(format:)` is slow enough on Linux to matter for large charts.
    public static func number(_ v: Double) -> String {
        guard v.isFinite else { return "0" }
        let tenths = Int((v * 10).rounded())
        let whole = String(abs(tenths) / 10), fraction = abs(tenths) % 10
        return (tenths < 0 ? "-" : "") + (fraction == 0 ? whole : whole + "." + String(fraction))
    }

    /// Escapes text for XML content and attribute values alike.
    public static func escape(_ s: String) -> String {
        guard s.contains(where: { $0 == "&" || $0 == "<" || $0 == ">" || $0 == "\"" || $0 == "'" }) else { return s }
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(c)
            }
        }
        return out
    }

    /// Width of `s` in px at `fontSize`, estimated: there is no font metrics here, and labels only
    /// need enough room not to collide (0.6 em per character is generous for sans-serif digits).
    public static func textWidth(_ s: String, fontSize: Double) -> Double { Double(s.count) * fontSize * 0.6 }
}

public struct Point: Sendable, Equatable {
    public var x: Double, y: Double
    public init(_ x: Double, _ y: Double) { self.x = x; self.y = y }
}

public struct Rect: Sendable, Equatable {
    public var x: Double, y: Double, width: Double, height: Double
    public init(x: Double, y: Double, width: Double, height: Double) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Double { x + width }
    public var maxY: Double { y + height }

    /// The rectangle less the given margins.
    public func inset(top: Double = 0, right: Double = 0, bottom: Double = 0, left: Double = 0) -> Rect {
        Rect(x: x + left, y: y + top, width: max(0, width - left - right), height: max(0, height - top - bottom))
    }
}
