import ArgumentParser
import Foundation
import GreenShift

struct Evaluate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Compare a plan with what actually happened: forecast accuracy, realized emissions and regret.",
        discussion: """
            ACTUALS_DIR holds measured series in the format of the scenario's timeseries/ (any of renewable_mw.csv, \
            carbon_intensity.csv, temperature_c.csv, price.csv, demand_<class>.csv; a missing file means "as \
            forecast"). The plan's placements are held fixed and power is dispatched against the actuals; the \
            no-shifting baseline gets the same treatment, and the model solved on the actuals gives the hindsight \
            optimum. Writes evaluation.json, evaluation.html and the realized state.json (what the next night's scenario carries) into EVAL_DIR (docs/evaluation.md). Exit 2 for bad \
            actuals or a plan that does not belong to the scenario, 3 when under the actual conditions a node \
            cannot power its idle load.
            """)

    @OptionGroup var input: ScenarioArgument

    @Option(help: "The plan.json that `greenshift optimize` wrote for this scenario.")
    var plan: String

    @Option(help: "Folder of actual time series (ACTUALS_DIR).")
    var actuals: String

    @Option(help: "Folder for evaluation.json and evaluation.html (created if missing).")
    var out: String

    @Flag(name: .shortAndLong, help: "Print no summary.")
    var quiet = false

    func validate() throws {
        if out.isEmpty { throw ValidationError("--out must name a folder") }
    }

    func run() throws {
        try runReportingErrors {
            let scenario = try input.load()
            let plan = try Plan.read(from: self.plan, belongingTo: scenario)
            let actuals = try ActualsLoader(directory: self.actuals).load(for: scenario)
            let evaluation = try Evaluator.evaluate(forecast: scenario, plan: plan, actuals: actuals)
            try OutputDirectory(path: out).write([
                ("evaluation.json", evaluation.json().rendered()),
                ("evaluation.html", EvaluationPage.html(evaluation, forecast: scenario, actuals: actuals)),
                ("state.json", evaluation.realizedState.json().rendered()),
            ])
            if !quiet { print(Self.summary(evaluation, out: out)) }
        }
    }

    static func summary(_ e: Evaluation, out: String) -> String {
        let s = e.summary
        func t(_ kg: Double) -> String { String(format: "%.3f t", kg / 1000) }
        func cuH(_ v: Double) -> String { String(format: "%.0f CU*h", v) }
        var lines = [
            "greenshift evaluate: \(e.scenario), actuals for \(e.measuredSeries.isEmpty ? "no series (all as forecast)" : e.measuredSeries.joined(separator: ", "))",
            "  planned         \(t(s.plannedCarbonKg)) CO2 (baseline \(t(s.plannedBaselineCarbonKg)))",
            "  realized        \(t(s.realizedCarbonKg)) CO2 (grid \(t(s.realizedGridCarbonKg)), network \(t(s.realizedNetworkCarbonKg)))",
            "  baseline        \(t(s.realizedBaselineCarbonKg)) CO2 realized without shifting",
            "  reduction       \(String(format: "%.2f", s.realizedReductionPercent)) % realized",
            "  hindsight       \(t(s.hindsightCarbonKg)) CO2 optimum on the actuals",
            "  regret          \(t(s.regretKg))",
            "  work            \(cuH(s.actualWorkCUh)) arrived, forecast \(cuH(s.forecastWorkCUh)) (\(cuH(s.extraWorkCUh)) extra, \(cuH(s.missingWorkCUh)) missing)",
            "  unserved        \(cuH(s.realizedUnservedCUh))" + (s.realizedUnservedCUh > 0 ? "  <-- WORK LEFT UNSERVED" : "")
                + " (baseline \(cuH(s.realizedBaselineUnservedCUh)), hindsight \(cuH(s.hindsightUnservedCUh)))",
        ]
        let worst = e.accuracy.compactMap { a in a.overall.wape.map { (a, $0) } }.max { $0.1 < $1.1 }
        if let (a, wape) = worst, wape > 0 {
            lines.append("  worst forecast  \(a.series) at \(a.node): WAPE \(String(format: "%.1f", 100 * wape)) %")
        }
        lines.append("  state           \(cuH(e.realizedState.backlogCUh)) backlog left at \(e.realizedState.at)")
        lines.append("  wrote           \(out)/evaluation.json, \(out)/evaluation.html, \(out)/state.json")
        return lines.joined(separator: "\n")
    }
}
