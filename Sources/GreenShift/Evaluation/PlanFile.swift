extension Plan {
    /// Verifier findings shown before the rest are only counted.
    static let violationsShown = 10

    /// Reads a plan.json and checks that it belongs to `scenario`: same name and horizon, and every
    /// constraint of model.md holds on the scenario's forecasts (`PlanVerifier`). A plan of another
    /// scenario, or one edited by hand, is bad input: evaluating it would measure something else.
    public static func read(from path: String, belongingTo scenario: Scenario) throws(InputError) -> Plan {
        let plan = try read(from: path, for: scenario)
        let violations = PlanVerifier(scenario: scenario).verify(plan)
        guard violations.isEmpty else {
            var problems = violations.prefix(violationsShown).map(\.message)
            if violations.count > violationsShown { problems.append("\(violations.count - violationsShown) more violations not shown") }
            throw InputError(problems.map {
                Diagnostic(file: path, "the plan does not fit scenario '\(scenario.name)' (greenshift verify lists why): \($0)")
            })
        }
        return plan
    }
}
