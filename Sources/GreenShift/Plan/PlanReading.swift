import Foundation

extension Plan {
    /// Reads a plan.json written by `greenshift optimize`. A missing, unreadable or malformed file,
    /// or one of another schema, is bad input.
    public static func read(from path: String) throws(InputError) -> Plan {
        let text: String
        switch TextFile.read(path, displayName: path) {
        case .success(let t): text = t
        case .failure(let d): throw InputError([d])
        }
        let plan: Plan
        do {
            plan = try JSONDecoder().decode(Plan.self, from: Data(text.utf8))
        } catch let DecodingError.dataCorrupted(context) {
            throw InputError([Diagnostic(file: path, "not valid JSON: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")])
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: '\(key.stringValue)' missing at \(Self.path(context))")])
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: wrong type at \(Self.path(context))")])
        } catch {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: \(error)")])
        }
        guard plan.schema == schemaVersion else {
            throw InputError([Diagnostic(file: path, "schema '\(plan.schema)' is not '\(schemaVersion)', the version this program reads")])
        }
        return plan
    }

    private static func path(_ context: DecodingError.Context) -> String {
        let keys = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return keys.isEmpty ? "the top level" : String(keys.drop { $0 == "." })
    }

    /// Why this plan cannot have been made for `scenario` (name, horizon or nodes differ); empty when it can.
    public func mismatches(with scenario: Scenario) -> [String] {
        var problems: [String] = []
        if self.scenario != scenario.name { problems.append("the plan is of scenario \"\(self.scenario)\", not \"\(scenario.name)\"") }
        if periods != scenario.periodCount || periodMinutes != scenario.periodMinutes {
            problems.append("the plan has \(periods) periods of \(periodMinutes) min, the scenario \(scenario.periodCount) of \(scenario.periodMinutes) min")
        }
        if start != scenario.start.description, (try? Timestamp(parsing: start)) != scenario.start {
            problems.append("the plan starts at \(start), the scenario at \(scenario.start)")
        }
        let planNodes = nodes.map(\.id), scenarioNodes = scenario.nodes.map(\.id)
        if planNodes != scenarioNodes {
            problems.append("the plan's nodes (\(planNodes.joined(separator: ", "))) are not the scenario's (\(scenarioNodes.joined(separator: ", ")))")
        }
        return problems
    }

    /// Reads a plan.json made for `scenario`; one made for another scenario is bad input.
    public static func read(from path: String, for scenario: Scenario) throws(InputError) -> Plan {
        let plan = try read(from: path)
        let problems = plan.mismatches(with: scenario)
        guard problems.isEmpty else { throw InputError(problems.map { Diagnostic(file: path, $0) }) }
        return plan
    }
}
