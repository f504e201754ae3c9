import Foundation
@testable import GreenShift

/// Plans stated as their placements, decoded through the plan reader's decoder as `schedule` reads them.
enum SchedulerPlans {
    struct Row {
        var period: Int, classID: String, pool: String?, origin: String, node: String, cuH: Double
        init(_ period: Int, _ classID: String, _ pool: String?, _ origin: String, _ node: String, _ cuH: Double) {
            self.period = period; self.classID = classID; self.pool = pool; self.origin = origin; self.node = node; self.cuH = cuH
        }
    }

    static func json(start: String = "2026-11-27T00:00:00+08:00", periodMinutes: Int = 60, periods: Int = 3,
                     nodes: [String] = ["east", "west"], _ rows: [Row]) -> String {
        let begin = try! Timestamp(parsing: start)
        let summary = Plan.Summary.CodingKeys.allCases.filter { $0 != .cost }.map { "\"\($0.rawValue)\": 0" }.joined(separator: ", ")
        let placements = rows.map { r in
            let pool = r.pool.map { ", \"pool\": \"\($0)\"" } ?? ""
            return "{\"period\": \(r.period), \"start\": \"\(begin.adding(minutes: r.period * periodMinutes))\", \"class\": \"\(r.classID)\"\(pool), \"origin\": \"\(r.origin)\", \"node\": \"\(r.node)\", \"cu_h\": \(r.cuH)}"
        }.joined(separator: ",\n")
        let nodeList = nodes.map { "{\"id\": \"\($0)\", \"periods\": []}" }.joined(separator: ", ")
        return """
            {"schema": "\(Plan.schemaVersion)", "scenario": "hand", "start": "\(start)", "period_minutes": \(periodMinutes),
             "periods": \(periods), "summary": {\(summary)}, "placements": [\(placements)], "nodes": [\(nodeList)], "unserved": []}
            """
    }

    static func plan(start: String = "2026-11-27T00:00:00+08:00", periodMinutes: Int = 60, periods: Int = 3,
                     nodes: [String] = ["east", "west"], _ rows: [Row]) throws -> Plan {
        try JSONDecoder().decode(Plan.self, from: Data(json(start: start, periodMinutes: periodMinutes, periods: periods, nodes: nodes, rows).utf8))
    }

    /// A plan written as plan.json into a fresh folder, as `optimize` leaves it.
    static func directory(_ json: String) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-plan-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try json.write(toFile: dir + "/plan.json", atomically: true, encoding: .utf8)
        return dir
    }
}
