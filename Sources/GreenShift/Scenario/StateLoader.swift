import Foundation

/// Reads a scenario's `state.json` (scenario.md, "state.json: what the previous run left") into
/// the scenario header: backlog cohorts and battery energies. Every rule violation is reported
/// with the file and the entry's position in its list.
struct StateLoader {
    static let fileName = "state.json"
    static let schema = "greenshift.state/1"

    let file: String

    func read(into h: inout ScenarioLoader.Header, _ collector: inout DiagnosticCollector) {
        guard TextFile.exists(file) else { return }
        let text: String
        switch TextFile.read(file, displayName: file) {
        case .success(let t): text = t
        case .failure(let d): collector.append(contentsOf: [d]); return
        }
        // The reader's reports are gathered here and handed to the collector at the end.
        let messages = Messages()
        defer { for m in messages.all { collector.report(file, nil, m) } }
        func report(_ message: String) { messages.all.append(message) }
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: Data(text.utf8), options: [])
        } catch {
            report("not valid JSON (\((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"))")
            return
        }
        guard let root = object as? [String: Any] else { report("must be a JSON object with 'schema' and 'at'"); return }
        let reader = JSONEntryReader(report: { report($0) })
        reader.rejectUnknownKeys(root, allowed: ["schema", "at", "backlog", "batteries"], context: "state.json")
        if let schema = reader.string(root, "schema", context: "state.json"), schema != Self.schema {
            report("'schema' is '\(schema)', expected '\(Self.schema)'")
        }
        let scenarioStart = h.start
        if let at = reader.instant(root, "at", context: "state.json"), at != scenarioStart {
            report("'at' is \(at), but the scenario starts at \(scenarioStart); a state describes the instant the next run starts")
        }
        readBacklog(reader.list(root, "backlog", context: "state.json") ?? [], reader, &h)
        readBatteries(reader.list(root, "batteries", context: "state.json") ?? [], reader, &h)
    }

    private func readBacklog(_ entries: [Any], _ reader: JSONEntryReader, _ h: inout ScenarioLoader.Header) {
        let nodeIndex = Dictionary(h.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let classIndex = Dictionary(h.classes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        let periodSeconds = Int64(h.periodMinutes) * 60
        for (k, item) in entries.enumerated() {
            let ctx = "backlog entry #\(k + 1)"
            guard let entry = item as? [String: Any] else { reader.report("\(ctx) must be an object"); continue }
            reader.rejectUnknownKeys(entry, allowed: ["class", "origin", "due", "cu_h"], context: ctx)
            let classID = reader.string(entry, "class", context: ctx)
            let origin = reader.string(entry, "origin", context: ctx)
            let due = reader.instant(entry, "due", context: ctx)
            let cuH = reader.number(entry, "cu_h", context: ctx)
            var w: Int?, o: Int?
            if let classID {
                w = classIndex[classID]
                if w == nil { reader.report("\(ctx): 'class' = '\(classID)' is no class of the scenario") }
            }
            if let origin {
                o = nodeIndex[origin]
                if o == nil { reader.report("\(ctx): 'origin' = '\(origin)' is no node of the scenario") }
            }
            guard let w, let o, let due, let cuH else { continue }
            let cls = h.classes[w]
            // K_b = floor((due - at) / period) - 1: the periods that end no later than `due`.
            // A fraction of a second below a whole second is rounded down with it.
            var elapsed = due.epochSeconds - h.start.epochSeconds
            if due.nanoseconds < h.start.nanoseconds { elapsed -= 1 }
            let last = elapsed.floorDivided(by: periodSeconds) - 1
            let window = Scenario.wholePeriods(cls.deadlineHours * 60 / Double(h.periodMinutes))
            var ok = true
            if last < 0 {
                reader.report("\(ctx): due \(due) is before the end of period 0 (\(h.start.adding(minutes: h.periodMinutes))); such work could not finish in time")
                ok = false
            } else if Double(last) > window {
                reader.report("\(ctx): due \(due) leaves \(last + 1) periods, more than class '\(cls.id)' allows work arriving in period 0 (its deadline gives \(formatNumber(window)) periods after the arrival one)")
                ok = false
            }
            if !cls.movable, cuH > 0, h.poolRulesApply(toClass: w), !h.brokenNodes.contains(o), h.nodes[o].poolIndex(cls.pool) == nil {
                reader.report("\(ctx): \(formatNumber(cuH)) CU*h of class '\(cls.id)' (not movable) at node '\(h.nodes[o].id)', which has no '\(cls.pool)' pool: that work could run nowhere")
                ok = false
            }
            guard ok else { continue }
            h.backlog.append(BacklogEntry(classIndex: w, origin: o, due: due,
                                          lastPeriod: Int(min(last, Int64(h.periodCount - 1))), cuH: cuH))
        }
        h.backlog.sort { ($0.classIndex, $0.origin, $0.due) < ($1.classIndex, $1.origin, $1.due) }
    }

    private func readBatteries(_ entries: [Any], _ reader: JSONEntryReader, _ h: inout ScenarioLoader.Header) {
        let nodeIndex = Dictionary(h.nodes.enumerated().map { ($1.id, $0) }, uniquingKeysWith: { a, _ in a })
        var seen: [Int: Int] = [:]
        for (k, item) in entries.enumerated() {
            let ctx = "batteries entry #\(k + 1)"
            guard let entry = item as? [String: Any] else { reader.report("\(ctx) must be an object"); continue }
            reader.rejectUnknownKeys(entry, allowed: ["node", "energy_mwh"], context: ctx)
            let id = reader.string(entry, "node", context: ctx)
            let energy = reader.number(entry, "energy_mwh", context: ctx)
            guard let id else { continue }
            guard let n = nodeIndex[id] else { reader.report("\(ctx): 'node' = '\(id)' is no node of the scenario"); continue }
            if let first = seen[n] {
                reader.report("\(ctx): node '\(id)' is listed twice (first in entry #\(first + 1))"); continue
            }
            seen[n] = k
            guard !h.brokenNodes.contains(n) else { continue }
            guard let battery = h.nodes[n].battery else {
                reader.report("\(ctx): node '\(id)' has no battery"); continue
            }
            guard let energy else { continue }
            guard energy <= battery.energyMWh else {
                reader.report("\(ctx): energy_mwh \(formatNumber(energy)) of node '\(id)' is above the battery's energy_mwh \(formatNumber(battery.energyMWh))")
                continue
            }
            h.nodes[n].battery?.stateEnergyMWh = energy
        }
    }
}

private final class Messages { var all: [String] = [] }

/// Typed values out of a decoded JSON object, reporting what is missing or mistyped.
struct JSONEntryReader {
    let report: (String) -> Void

    func rejectUnknownKeys(_ object: [String: Any], allowed: [String], context: String) {
        for key in object.keys.sorted() where !allowed.contains(key) {
            report("unknown key '\(key)' in \(context) (allowed: \(allowed.joined(separator: ", ")))")
        }
    }

    private func value(_ object: [String: Any], _ key: String, _ context: String) -> Any? {
        guard let v = object[key] else { report("\(context) has no '\(key)' (required)"); return nil }
        return v
    }

    func string(_ object: [String: Any], _ key: String, context: String) -> String? {
        guard let v = value(object, key, context) else { return nil }
        guard let s = v as? String else { report("'\(key)' in \(context) must be a string, found \(Self.typeName(v))"); return nil }
        return s
    }

    /// A finite number >= 0.
    func number(_ object: [String: Any], _ key: String, context: String) -> Double? {
        guard let v = value(object, key, context) else { return nil }
        guard let n = v as? NSNumber, !Self.isBoolean(n) else {
            report("'\(key)' in \(context) must be a number, found \(Self.typeName(v))"); return nil
        }
        let d = n.doubleValue
        guard d.isFinite else { report("'\(key)' in \(context) must be a finite number"); return nil }
        guard d >= 0 else { report("'\(key)' in \(context) must be >= 0, found \(formatNumber(d))"); return nil }
        return d
    }

    /// An ISO 8601 instant with a UTC offset.
    func instant(_ object: [String: Any], _ key: String, context: String) -> Timestamp? {
        guard let text = string(object, key, context: context) else { return nil }
        do {
            return try Timestamp(parsing: text)
        } catch {
            switch error {
            case .missingOffset: report("'\(key)' in \(context) = \"\(text)\" needs a UTC offset (Z or +HH:MM)")
            case .malformed(let why): report("'\(key)' in \(context) = \"\(text)\": \(why)")
            }
            return nil
        }
    }

    /// An optional list (absent = empty).
    func list(_ object: [String: Any], _ key: String, context: String) -> [Any]? {
        guard let v = object[key] else { return nil }
        guard let a = v as? [Any] else { report("'\(key)' in \(context) must be a list, found \(Self.typeName(v))"); return nil }
        return a
    }

    /// JSONSerialization gives booleans as NSNumber; their type code is "c".
    static func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    static func typeName(_ v: Any) -> String {
        switch v {
        case let n as NSNumber: return isBoolean(n) ? "a boolean" : "a number"
        case is String: return "a string"
        case is [Any]: return "a list"
        case is [String: Any]: return "an object"
        case is NSNull: return "null"
        default: return "\(type(of: v))"
        }
    }
}

