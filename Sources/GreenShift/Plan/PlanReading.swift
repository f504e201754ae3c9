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

    /// Whether this plan was made for `scenario` (name and horizon), so it can be checked against it.
    public func mismatch(with scenario: Scenario) -> String? {
        if self.scenario != scenario.name { return "the plan is for scenario '\(self.scenario)', not '\(scenario.name)'" }
        if periods != scenario.periodCount || periodMinutes != scenario.periodMinutes || start != scenario.start.description {
            return "the plan's horizon (\(periods) x \(periodMinutes) min from \(start)) differs from the scenario's (\(scenario.periodCount) x \(scenario.periodMinutes) min from \(scenario.start))"
        }
        return nil
    }
}
