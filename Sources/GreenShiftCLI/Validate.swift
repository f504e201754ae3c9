import ArgumentParser
import Foundation
import GreenShift

struct Validate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a scenario without solving it.",
        discussion: """
            Exit 0 and a short description, exit 2 and every problem found, or exit 3 when a node cannot \
            power its idle load (the one way the model can be infeasible, checked without solving).
            """)

    @OptionGroup var input: ScenarioArgument

    func run() throws {
        try runReportingErrors {
            let s = try input.load()
            try IdleFeasibility.check(s)
            let demand = s.demandCUh.map { $0.joined().reduce(0, +) }
            print("\(input.scenario): ok")
            print("  \(s.name): \(s.periodCount) periods of \(s.periodMinutes) min from \(s.start)")
            print("  \(s.nodes.count) nodes, \(s.classes.count) classes, \(s.links.count) link\(s.links.count == 1 ? "" : "s")\(s.pricePerMWh == nil ? "" : ", prices")")
            for (w, c) in s.classes.enumerated() {
                let window = s.windowPeriods(w)
                print("  class \(c.id): \(String(format: "%.0f", demand[w])) CU*h, window \(window) period\(window == 1 ? "" : "s")\(c.movable ? ", movable" : "")")
            }
            for (n, node) in s.nodes.enumerated() {
                print("  node \(node.id): \(String(format: "%.0f", node.capacityCU)) CU, cooling \(node.coolingModel) (\(s.cooling[n].source))")
            }
        }
    }
}
