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
            // Foundation's decoder says "not valid JSON", with no key, also for valid JSON holding
            // a number that does not fit (3.5 or 1e30 where a count belongs): find it.
            if let misfit = Self.misfitNumber(in: Data(text.utf8)) {
                throw InputError([Diagnostic(file: path, "not a greenshift plan: \(misfit.key) is \(misfit.value), where a whole number belongs")])
            }
            throw InputError([Diagnostic(file: path, "not valid JSON, or a number in it beyond the range of a double: \(context.underlyingError.map { "\($0)" } ?? context.debugDescription)")])
        } catch let DecodingError.keyNotFound(key, context) {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: '\(key.stringValue)' missing at \(Self.path(context))")])
        } catch let DecodingError.typeMismatch(_, context) {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: wrong type at \(Self.path(context))")])
        } catch {
            throw InputError([Diagnostic(file: path, "not a greenshift plan: \(error)")])
        }
        guard readableSchemas.contains(plan.schema) else {
            throw InputError([Diagnostic(file: path, "schema '\(plan.schema)' is not one this program reads (\(readableSchemas.joined(separator: ", ")))")])
        }
        return plan
    }

    /// The plan's whole-number keys (Plan, its placements and node periods, SolverSummary).
    private static let integerKeys: Set<String> = ["period_minutes", "periods", "period", "variables", "constraints", "nonzeros", "iterations"]

    /// The first number at a whole-number key that is not a whole number in Int's range, with its path.
    private static func misfitNumber(in data: Data) -> (key: String, value: String)? {
        guard let tree = try? JSONSerialization.jsonObject(with: data) else { return nil }
        func search(_ node: Any, _ path: String, _ key: String?) -> (key: String, value: String)? {
            if let object = node as? [String: Any] {
                for (k, v) in object.sorted(by: { $0.key < $1.key }) {
                    if let found = search(v, path.isEmpty ? k : path + "." + k, k) { return found }
                }
            } else if let array = node as? [Any] {
                for (k, v) in array.enumerated() { if let found = search(v, "\(path)[\(k)]", nil) { return found } }
            } else if let number = node as? NSNumber, let key, integerKeys.contains(key), !(number is Bool) {
                let d = number.doubleValue
                if d != d.rounded() || abs(d) >= 9.2e18 { return (path, "\(number)") }
            }
            return nil
        }
        return search(tree, "", nil)
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
