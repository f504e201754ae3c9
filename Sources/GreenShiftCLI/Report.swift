import ArgumentParser
import Foundation
import GreenShift

/// `greenshift report`: re-renders report.html from a plan already written, e.g. after the
/// report itself changed, without solving again.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write OUT_DIR/report.html and OUT_DIR/report-data/ again from OUT_DIR/plan.json and its scenario.",
        discussion: """
            The scenario must be the one the plan was made from (same name, horizon and nodes): the report draws \
            its forecasts beside the plan. report.html and report-data/ are replaced whole; plan.json is not touched.
            """)

    @OptionGroup var input: ScenarioArgument

    @Argument(help: "The folder holding plan.json, where report.html and report-data/ are written.")
    var out: String

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            let path = (out as NSString).appendingPathComponent("plan.json")
            let plan = try Plan.read(from: path, for: scenario)
            try OutputDirectory(path: out).write(Report.files(plan: plan, scenario: scenario), owning: [Report.ownedDataFiles])
            print("wrote \((out as NSString).appendingPathComponent("report.html")) and \((out as NSString).appendingPathComponent(Report.dataFolder))/")
        }
    }
}
