import Foundation
import Testing
@testable import GreenShift

/// Optimizes a scenario and checks the plan with the independent verifier, as every test plan must be.
func solveAndVerify(_ scenario: Scenario, options: OptimizerOptions = OptimizerOptions(),
                    sourceLocation: SourceLocation = #_sourceLocation) throws -> Plan {
    let plan = try Optimizer.optimize(scenario, options: options).plan
    let violations = PlanVerifier(scenario: scenario).verify(plan)
    #expect(violations.isEmpty, "plan fails verification: \(violations)", sourceLocation: sourceLocation)
    // What is written must read back as the same plan.
    let decoded = try JSONDecoder().decode(Plan.self, from: Data(plan.json().rendered().utf8))
    #expect(PlanVerifier(scenario: scenario).verify(decoded).isEmpty, sourceLocation: sourceLocation)
    return plan
}

/// The LP objective of a plan: emissions plus the unserved penalty.
func objective(_ plan: Plan, _ scenario: Scenario) -> Double {
    plan.summary.carbonKg + scenario.unservedPenaltyKgPerCUh * plan.summary.unservedCUh
}

func isClose(_ a: Double, _ b: Double, relative: Double = 1e-6) -> Bool {
    abs(a - b) <= relative * max(1, abs(a), abs(b))
}
