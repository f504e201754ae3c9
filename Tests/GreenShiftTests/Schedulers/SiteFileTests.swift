import Foundation
import Testing
@testable import GreenShift

/// Every problem a site file can have is exit 2 with a message naming where it is.
@Suite struct SiteFileTests {
    typealias R = SchedulerPlans.Row

    /// Batch work (flexible) at east in pool general and at west in pools general and gpu; web at east.
    static let plan = try! SchedulerPlans.plan([
        R(0, "web", nil, "east", "east", 100), R(1, "batch", nil, "east", "east", 200),
        R(1, "batch", "general", "east", "west", 300), R(2, "batch", "gpu", "west", "west", 50),
    ])

    static let good = """
        flexible_classes = ["batch"]
        [slurm]
        users = ["root"]
        [kueue]
        cluster_queue = "flexible"
        namespace = "greenshift"
        kubectl_image = "bitnami/kubectl:1.32"
        [karmada]
        namespace = "default"
        api_version = "batch/v1"
        kind = "Job"
        [nodes.east]
        cluster = "east"
        [nodes.east.pools.general]
        slurm_cores_per_cu = 0.5
        kueue_flavor = "cpu"
        kueue_resources = { cpu = 0.5 }
        [nodes.west]
        cluster = "west"
        [nodes.west.pools.general]
        slurm_nodes = ["w1", "w2", "w3"]
        slurm_cu_per_node = 100
        kueue_flavor = "cpu"
        kueue_resources = { cpu = 0.5 }
        [nodes.west.pools.gpu]
        slurm_license = "gpu"
        slurm_cu_per_license = 8
        kueue_flavor = "a100"
        kueue_resources = { cpu = 0.5, "nvidia.com/gpu" = 0.125 }

        """

    static func load(_ text: String, _ target: Site.Target) throws -> Site {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("site-\(UUID().uuidString).toml").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return try Site.load(from: path, for: target, plan: plan)
    }

    /// The messages of a site file that must not load.
    static func problems(_ text: String, _ target: Site.Target) -> [String] {
        do {
            _ = try load(text, target)
            return []
        } catch let error as InputError {
            return error.diagnostics.map(\.description)
        } catch {
            return ["\(error)"]
        }
    }

    @Test(arguments: Site.Target.allCases) func theGoodFileLoadsForEveryTarget(_ target: Site.Target) throws {
        let site = try Self.load(Self.good, target)
        #expect(site.flexibleClasses == ["batch"])
        #expect(site.nodes["west"]?.pools["gpu"]?.slurm == .licenses("gpu", cuPerLicense: 8))
        #expect(site.nodes["west"]?.pools["gpu"]?.kueueResources.map(\.name) == ["cpu", "nvidia.com/gpu"])
    }

    struct Case: CustomTestStringConvertible, Sendable {
        let what: String, target: Site.Target, edit: @Sendable (String) -> String, message: String
        var testDescription: String { what }
    }

    static let cases: [Case] = [
        Case(what: "TOML syntax", target: .slurm, edit: { $0 + "[nodes.east\n" }, message: ":30:12: TOML syntax: expected ']' to close the table header"),
        Case(what: "unknown key", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cores_per_cu", with: "slurm_core_per_cu") },
             message: ":15:1: unknown key 'slurm_core_per_cu' in node 'east' pool 'general' (did you mean 'slurm_cores_per_cu'?)"),
        Case(what: "no flexible classes", target: .slurm, edit: { $0.replacingOccurrences(of: "flexible_classes = [\"batch\"]\n", with: "") },
             message: "the site file has no 'flexible_classes' (required)"),
        Case(what: "flexible classes not strings", target: .slurm, edit: { $0.replacingOccurrences(of: "[\"batch\"]", with: "[1]") },
             message: ":1:21: every element of 'flexible_classes' in the site file must be a string, found an integer"),
        Case(what: "no section for the target", target: .kueue, edit: { $0.replacingOccurrences(of: "[kueue]", with: "[kueue-old]") },
             message: "the site file has no [kueue] table (required for --for kueue)"),
        Case(what: "nobody to reserve for", target: .slurm, edit: { $0.replacingOccurrences(of: "users = [\"root\"]", with: "partition = \"flex\"") },
             message: ":2:1: [slurm] needs 'users' or 'accounts'"),
        Case(what: "plan node missing", target: .slurm,
             edit: { String($0[..<$0.range(of: "[nodes.west]")!.lowerBound]) },
             message: "node 'west' of the plan has no [nodes.west] table"),
        Case(what: "pool missing", target: .slurm,
             edit: { String($0[..<$0.range(of: "[nodes.west.pools.gpu]")!.lowerBound]) },
             message: "node 'west' has flexible work in pool 'gpu' but no [nodes.west.pools.gpu] table"),
        Case(what: "no Slurm mapping", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cores_per_cu = 0.5\n", with: "") },
             message: "node 'east' pool 'general' needs one of slurm_cores_per_cu, slurm_nodes, slurm_license"),
        Case(what: "two Slurm mappings", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cores_per_cu = 0.5\n", with: "slurm_cores_per_cu = 0.5\nslurm_license = \"x\"\nslurm_cu_per_license = 1\n") },
             message: "node 'east' pool 'general' maps CU to Slurm in 2 ways"),
        Case(what: "no Slurm nodes listed", target: .slurm, edit: { $0.replacingOccurrences(of: "[\"w1\", \"w2\", \"w3\"]", with: "[]") },
             message: "'slurm_nodes' in node 'west' pool 'general' lists no node"),
        Case(what: "Slurm nodes without CU per node", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cu_per_node = 100\n", with: "") },
             message: "node 'west' pool 'general' has no 'slurm_cu_per_node' (required)"),
        Case(what: "CU per node without nodes", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_nodes = [\"w1\", \"w2\", \"w3\"]\n", with: "") },
             message: "'slurm_cu_per_node' in node 'west' pool 'general' needs 'slurm_nodes'"),
        Case(what: "CU per license without a license", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_license = \"gpu\"\n", with: "") },
             message: "'slurm_cu_per_license' in node 'west' pool 'gpu' needs 'slurm_license'"),
        Case(what: "a factor not positive", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cores_per_cu = 0.5", with: "slurm_cores_per_cu = 0") },
             message: "'slurm_cores_per_cu' in node 'east' pool 'general' must be > 0, found 0"),
        Case(what: "a factor not a number", target: .slurm, edit: { $0.replacingOccurrences(of: "slurm_cu_per_license = 8", with: "slurm_cu_per_license = \"8\"") },
             message: "'slurm_cu_per_license' in node 'west' pool 'gpu' must be a number, found a string"),
        Case(what: "no cluster queue", target: .kueue, edit: { $0.replacingOccurrences(of: "cluster_queue = \"flexible\"\n", with: "") },
             message: "[kueue] has no 'cluster_queue' (required)"),
        Case(what: "a name Kubernetes refuses", target: .kueue, edit: { $0.replacingOccurrences(of: "namespace = \"greenshift\"", with: "namespace = \"Green_Shift\"") },
             message: "'namespace' in [kueue] must be lower-case letters, digits and '-' (at most 63), found \"Green_Shift\""),
        Case(what: "a pool without a flavor", target: .kueue, edit: { $0.replacingOccurrences(of: "kueue_flavor = \"a100\"\n", with: "") },
             message: "node 'west' pool 'gpu' needs kueue_flavor and kueue_resources"),
        Case(what: "no resources", target: .kueue, edit: { $0.replacingOccurrences(of: "{ cpu = 0.5, \"nvidia.com/gpu\" = 0.125 }", with: "{}") },
             message: "'kueue_resources' in node 'west' pool 'gpu' lists no resource"),
        Case(what: "a resource not positive", target: .kueue, edit: { $0.replacingOccurrences(of: "\"nvidia.com/gpu\" = 0.125", with: "\"nvidia.com/gpu\" = -1") },
             message: "'nvidia.com/gpu' in kueue_resources of node 'west' pool 'gpu' must be > 0, found -1"),
        Case(what: "no cluster", target: .karmada, edit: { $0.replacingOccurrences(of: "cluster = \"west\"\n", with: "") },
             message: "node 'west' has no 'cluster' (required for karmada)"),
        Case(what: "one cluster for two nodes", target: .karmada, edit: { $0.replacingOccurrences(of: "cluster = \"west\"", with: "cluster = \"east\"") },
             message: "node 'west' has cluster 'east', as node 'east' has: each node needs its own"),
        Case(what: "no workload kind", target: .karmada, edit: { $0.replacingOccurrences(of: "kind = \"Job\"\n", with: "") },
             message: "[karmada] has no 'kind' (required)"),
    ]

    @Test(arguments: cases) func eachProblemIsReportedWhereItIs(_ c: Case) {
        let problems = Self.problems(c.edit(Self.good), c.target)
        #expect(problems.contains { $0.contains(c.message) }, "\(problems)")
    }

    @Test func aMissingFileIsBadInput() {
        let problems: [String]
        do { _ = try Site.load(from: "/nonexistent/site.toml", for: .slurm, plan: Self.plan); problems = [] } catch { problems = error.diagnostics.map(\.description) }
        #expect(problems.count == 1 && problems[0].hasPrefix("/nonexistent/site.toml: "), "\(problems)")
    }

    /// Every problem at once, not only the first.
    @Test func allProblemsAreReportedTogether() {
        let text = Self.good.replacingOccurrences(of: "users = [\"root\"]", with: "")
            .replacingOccurrences(of: "slurm_cores_per_cu = 0.5", with: "slurm_cores_per_cu = -2")
        #expect(Self.problems(text, .slurm).count == 3)
    }

    /// A node the plan needs more Slurm nodes for than the site lists; checked when reservations are made.
    @Test func moreSlurmNodesThanListedIsBadInput() throws {
        let site = try Self.load(Self.good.replacingOccurrences(of: "slurm_cu_per_node = 100", with: "slurm_cu_per_node = 50"), .slurm)
        #expect(throws: InputError.self) {
            try SlurmSchedule(plan: Self.plan, site: site, horizon: try Horizon(Self.plan, file: "plan.json")).reservations()
        }
        do {
            _ = try SlurmSchedule(plan: Self.plan, site: site, horizon: try Horizon(Self.plan, file: "plan.json")).reservations()
        } catch {
            #expect(error.diagnostics.map(\.message) == ["node 'west' pool 'general' needs 6 Slurm nodes in period 1 (300 CU), the site lists 3"])
        }
    }
}
