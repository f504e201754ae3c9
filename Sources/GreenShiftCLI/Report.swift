import ArgumentParser
import Foundation
import GreenShift

/// `greenshift report`: re-renders report.html from a plan already written, e.g. after the
/// report itself changed, without solving again.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write OUT_DIR/report.html again from OUT_DIR/plan.json and its scenario.",
        discussion: """
            The scenario must be the one the plan was made from (same name, horizon and nodes): the report draws \
            its forecasts beside the plan. report.html is replaced whole; plan.json is not touched.
            """)

    @OptionGroup var input: ScenarioArgument

    @Argument(help: "The folder holding plan.json, where report.html is written.")
    var out: String

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            let path = (out as NSString).appendingPathComponent("plan.json")
            let plan: Plan
            do {
                plan = try JSONDecoder().decode(Plan.self, from: try Data(contentsOf: URL(fileURLWithPath: path)))
            } catch let error as DecodingError {
                throw InputError([Diagnostic(file: path, "not a greenshift plan: \(Self.describe(error))")])
            } catch {
                throw InputError([Diagnostic(file: path, "cannot read: \(error.localizedDescription)")])
            }
            let problems = Report.mismatches(plan: plan, scenario: scenario)
            guard problems.isEmpty else { throw InputError(problems.map { Diagnostic(file: path, $0) }) }
            try OutputDirectory(path: out).write([("report.html", Report.html(plan: plan, scenario: scenario))])
            print("wrote \((out as NSString).appendingPathComponent("report.html"))")
        }
    }

    /// Decoding errors name the JSON path of the problem, which is what someone fixing the file needs.
    static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return keys.isEmpty ? "" : " at \(keys)"
        }
        switch error {
        case .keyNotFound(let key, let context): return "missing \"\(key.stringValue)\"\(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context):
            return context.debugDescription + path(context)
        @unknown default: return "\(error)"
        }
    }
}
