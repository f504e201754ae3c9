/// An instant in time with the UTC offset it was written in. Comparisons use the instant only.
public struct Timestamp: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// Fraction of a second, in nanoseconds (0 ..< 1e9).
    public let nanoseconds: Int64
    /// The offset it was written with, in minutes east of UTC.
    public let offsetMinutes: Int

    public init(epochSeconds: Int64, nanoseconds: Int64 = 0, offsetMinutes: Int = 0) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
        self.offsetMinutes = offsetMinutes
    }

    public static func == (a: Timestamp, b: Timestamp) -> Bool {
        a.epochSeconds == b.epochSeconds && a.nanoseconds == b.nanoseconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(epochSeconds)
        hasher.combine(nanoseconds)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        (a.epochSeconds, a.nanoseconds) < (b.epochSeconds, b.nanoseconds)
    }

    public func adding(minutes: Int) -> Timestamp {
        Timestamp(epochSeconds: epochSeconds + Int64(minutes) * 60, nanoseconds: nanoseconds, offsetMinutes: offsetMinutes)
    }

    public enum ParseError: Error, Equatable {
        case missingOffset
        case malformed(String)
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS[.fff]]` followed by `Z` or `+HH:MM` / `-HH:MM`.
    /// With `allowSpaceSeparator`, also TOML's `YYYY-MM-DD HH:MM:SS` form (and lower-case t, z).
    public init(parsing text: String, allowSpaceSeparator: Bool = false) throws(ParseError) {
        let c = Array(text.utf8)
        var k = 0
        func number(_ width: Int) -> Int? {
            guard k + width <= c.count else { return nil }
            var v = 0
            for b in c[k ..< k + width] {
                guard b >= 48 && b <= 57 else { return nil }
                v = v * 10 + Int(b - 48)
            }
            k += width
            return v
        }
        func expect(_ b: UInt8) -> Bool {
            guard k < c.count, c[k] == b else { return false }
            k += 1
            return true
        }
        let expected = "expected YYYY-MM-DDTHH:MM[:SS[.fff]] followed by Z or +HH:MM"
        guard let year = number(4), expect(45), let month = number(2), expect(45), let day = number(2) else {
            throw .malformed(expected)
        }
        guard k < c.count, c[k] == UInt8(ascii: "T") || c[k] == UInt8(ascii: "t") || c[k] == 32 else {
            throw .malformed(expected)
        }
        // A space or lower-case t is TOML's spelling; in CSV it is reported, after a missing offset.
        let foreignSeparator = c[k] != UInt8(ascii: "T") && !allowSpaceSeparator
        k += 1
        guard let hour = number(2), expect(58), let minute = number(2) else { throw .malformed(expected) }
        var second = 0
        var nanos: Int64 = 0
        if expect(58) {
            guard let s = number(2) else { throw .malformed(expected) }
            second = s
            if expect(46) {
                var digits = 0
                var scale: Int64 = 100_000_000
                while k < c.count, c[k] >= 48 && c[k] <= 57 {
                    nanos += Int64(c[k] - 48) * scale
                    scale /= 10; digits += 1; k += 1
                }
                guard digits > 0 else { throw .malformed(expected) }
            }
        }
        var offset = 0
        if k == c.count { throw .missingOffset }
        if c[k] == UInt8(ascii: "Z") || (allowSpaceSeparator && c[k] == UInt8(ascii: "z")) {
            k += 1
        } else if c[k] == 43 || c[k] == 45 {
            let sign = c[k] == 45 ? -1 : 1
            k += 1
            guard let oh = number(2), expect(58), let om = number(2), oh <= 23, om <= 59 else {
                throw .malformed("the UTC offset must be +HH:MM or -HH:MM")
            }
            offset = sign * (oh * 60 + om)
        } else {
            throw .malformed(expected)
        }
        guard k == c.count else { throw .malformed(expected) }
        if foreignSeparator { throw .malformed("write 'T' between the date and the time (\(expected))") }
        guard (1 ... 12).contains(month), day >= 1, day <= Self.daysIn(month: month, year: year) else {
            throw .malformed("\(text.prefix(10)) is not a calendar date")
        }
        guard hour <= 23, minute <= 59, second <= 59 else { throw .malformed("\(text) is not a valid time of day") }
        let days = Self.daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        self.init(epochSeconds: local - Int64(offset) * 60, nanoseconds: nanos, offsetMinutes: offset)
    }

    /// ISO 8601 in this timestamp's own offset: `2026-11-27T03:00:00+08:00`.
    public var description: String {
        let local = epochSeconds + Int64(offsetMinutes) * 60
        let days = Int(local.floorDiv(86_400))
        let secondOfDay = Int(local - Int64(days) * 86_400)
        let (y, m, d) = Self.civilFromDays(days)
        var s = "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
        if nanoseconds != 0 {
            var fraction = String(nanoseconds + 1_000_000_000).dropFirst()
            while fraction.last == "0" { fraction = fraction.dropLast() }
            s += "." + fraction
        }
        let sign = offsetMinutes < 0 ? "-" : "+"
        let o = abs(offsetMinutes)
        return s + "\(sign)\(pad(o / 60, 2)):\(pad(o % 60, 2))"
    }

    private func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }

    private static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    /// The Gregorian calendar's days in `month` (1 ... 12) of `year`; TOML's date check uses it too.
    static func daysIn(month: Int, year: Int) -> Int {
        [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
    }

    // Howard Hinnant's days_from_civil and civil_from_days.
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    private static func civilFromDays(_ z0: Int) -> (Int, Int, Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }
}

private extension Int64 {
    func floorDiv(_ d: Int64) -> Int64 {
        let q = self / d
        return (self % d != 0 && (self < 0) != (d < 0)) ? q - 1 : q
    }
}
