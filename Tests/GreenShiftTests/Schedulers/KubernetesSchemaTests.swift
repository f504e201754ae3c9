import Foundation
import Testing
@testable import GreenShift

/// The Kueue and Karmada manifests for the default scenario against the upstream CRD schemas,
/// which `make test-kubernetes` reads from upstream first (Tests/kubernetes/crds.sh) and points
/// GREENSHIFT_CRDS at. The YAML is read back with PyYAML, so what is checked is what kubectl reads.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GREENSHIFT_CRDS"] != nil, "run by make test-kubernetes"))
struct KubernetesSchemaTests {
    static let crds = ProcessInfo.processInfo.environment["GREENSHIFT_CRDS"] ?? ""

    struct CRD { let group: String; let kind: String; let version: String; let schema: OpenAPISchema }

    static func crd(_ file: String) throws -> CRD {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: crds + "/" + file))) as! [String: Any]
        return CRD(group: object["group"] as! String, kind: object["kind"] as! String, version: object["version"] as! String,
                   schema: OpenAPISchema(root: object["schema"] as! [String: Any]))
    }

    static let plan: Plan = {
        let scenario = try! ScenarioLoader(directory: ScenarioFixture.defaultScenario, coolingLibrary: ScenarioFixture.coolingLibrary).load()
        return try! Optimizer.optimize(scenario).plan
    }()

    static var fixture: (plan: Plan, site: (Site.Target) throws -> Site, horizon: Horizon) {
        let plan = Self.plan
        let site = { (target: Site.Target) throws -> Site in
            try Site.load(from: ScenarioFixture.repositoryRoot + "/Data/sites/east-west-hubs.toml", for: target, plan: plan)
        }
        return (plan, site, try! Horizon(plan, file: "plan.json"))
    }

    /// Every YAML document of each file, as kubectl would read them (one PyYAML run for all).
    static func documents(_ files: [String: String]) throws -> [String: [[String: Any]]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-yaml-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, yaml) in files { try yaml.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", """
            import json, os, sys, yaml
            json.dump({f: [d for d in yaml.safe_load_all(open(os.path.join(sys.argv[1], f))) if d is not None]
                       for f in os.listdir(sys.argv[1])}, sys.stdout)
            """, dir]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "PyYAML could not read the manifests")
        return try JSONSerialization.jsonObject(with: data) as! [String: [[String: Any]]]
    }

    static func documents(_ yaml: String) throws -> [[String: Any]] { try documents(["one.yaml": yaml])["one.yaml"]! }

    @Test func clusterQueuePatchesFitTheKueueSchemaAndCarryTheCapacityCurves() throws {
        let crd = try Self.crd("clusterqueue.v1beta1.json")
        #expect(crd.group == "kueue.x-k8s.io" && crd.kind == "ClusterQueue" && KueueSchedule.apiVersion == "\(crd.group)/\(crd.version)")
        let (plan, site, horizon) = Self.fixture
        let kueue = KueueSchedule(plan: plan, site: try site(.kueue), horizon: horizon)
        let files = Dictionary(uniqueKeysWithValues: try kueue.files().map { ($0.name, $0.contents) })
        #expect(files.count == plan.nodes.count * (plan.periods + 1))
        let read = try Self.documents(files)
        let flexible = ["batch", "ai-training", "analytics"]
        var checked = 0
        for node in plan.nodes.map(\.id) {
            for period in 0 ..< plan.periods {
                let docs = read["\(node)-\(horizon.start(of: period).utcStamp).yaml"]!
                #expect(docs.count == 1)
                // What the ClusterQueue is once patched: a merge patch replaces resourceGroups whole.
                let queue: [String: Any] = ["apiVersion": KueueSchedule.apiVersion, "kind": "ClusterQueue",
                                            "metadata": ["name": "flexible"], "spec": docs[0]["spec"]!]
                #expect(crd.schema.violations(of: queue) == [], "\(node) period \(period)")
                let group = ((docs[0]["spec"] as! [String: Any])["resourceGroups"] as! [[String: Any]])[0]
                let covered = group["coveredResources"] as! [String]
                let flavors = Dictionary(uniqueKeysWithValues: (group["flavors"] as! [[String: Any]]).map {
                    ($0["name"] as! String, $0["resources"] as! [[String: Any]])
                })
                // The CEL rule of the CRD: every flavor lists the covered resources, in their order.
                for resources in flavors.values { #expect(resources.map { $0["name"] as! String } == covered) }
                func quota(_ flavor: String, _ resource: String) -> String? {
                    flavors[flavor]?.first { $0["name"] as? String == resource }.map { $0["nominalQuota"] as? String ?? "\($0["nominalQuota"]!)" }
                }
                func cu(_ pool: String) -> Double {
                    plan.capacityCurves.filter { $0.node == node && $0.period == period && $0.pool == pool && flexible.contains($0.classID) }
                        .reduce(0) { $0 + $1.maxCU }
                }
                // The site file: a general CU is 0.1 cpu of default-flavor, an AI CU one nvidia.com/gpu of accelerator.
                #expect(quota("default-flavor", "cpu") == Self.quantityText(cu(Pool.general) * 0.1), "\(node) \(period)")
                let hasAIPool = ["helinger", "zhongwei", "qingyang", "guian", "yangtze-demo", "shaoguan"].contains(node)
                #expect(flavors.keys.contains("accelerator") == hasAIPool, "\(node)")
                if hasAIPool { #expect(quota("accelerator", "nvidia.com/gpu") == Self.quantityText(cu("ai")), "\(node) \(period)") }
                checked += 1
            }
        }
        #expect(checked == 240)
    }

    /// Kubernetes quantities as the tests expect them, computed independently: rounded up, to thousandths below 1000.
    static func quantityText(_ amount: Double) -> String {
        if amount >= 1000 { return "\(Int((amount - 1e-6).rounded(.up)))" }
        let milli = Int((amount * 1000 - 1e-6).rounded(.up))
        return milli % 1000 == 0 ? "\(milli / 1000)" : "\(milli)m"
    }

    @Test func cronJobAppliesEveryPatchAndItsPartsAreWellFormed() throws {
        let (plan, site, horizon) = Self.fixture
        let kueue = KueueSchedule(plan: plan, site: try site(.kueue), horizon: horizon)
        let files = Dictionary(uniqueKeysWithValues: try kueue.files().map { ($0.name, $0.contents) })
        let docs = try Self.documents(files["qingyang-cronjob.yaml"]!)
        #expect(docs.map { $0["kind"] as! String } == ["ConfigMap", "ServiceAccount", "ClusterRole", "ClusterRoleBinding", "CronJob"])
        let data = docs[0]["data"] as! [String: String]
        #expect(data.count == 24)
        for period in 0 ..< plan.periods {
            let stamp = horizon.start(of: period).utcStamp
            #expect(data[stamp] == files["qingyang-\(stamp).yaml"], "\(stamp)")
        }
        // ConfigMap keys: [-._a-zA-Z0-9]+.
        #expect(data.keys.allSatisfy { $0.allSatisfy { $0.isLetter || $0.isNumber || "-._".contains($0) } })
        let spec = docs[4]["spec"] as! [String: Any]
        // Hourly periods starting on the hour: fire at minute 0 of every hour, in UTC.
        #expect(spec["schedule"] as? String == "0 * * * *" && spec["timeZone"] as? String == "Etc/UTC")
        let rule = (docs[2]["rules"] as! [[String: Any]])[0]
        #expect(rule["resourceNames"] as? [String] == ["flexible"] && rule["verbs"] as? [String] == ["get", "patch"])
        try Self.dryRun(files["qingyang-cronjob.yaml"]!)
    }

    @Test func propagationPoliciesFitTheKarmadaSchemaAndCarryTheRouting() throws {
        let crd = try Self.crd("propagationpolicy.v1alpha1.json")
        #expect(KarmadaSchedule.apiVersion == "\(crd.group)/\(crd.version)" && crd.kind == "PropagationPolicy")
        let (plan, site, horizon) = Self.fixture
        let files = try KarmadaSchedule(plan: plan, site: try site(.karmada), horizon: horizon).files()
        #expect(files.count == 24)
        var policies = 0
        let read = try Self.documents(Dictionary(uniqueKeysWithValues: files.map { ($0.name, $0.contents) }))
        for (name, docs) in read {
            let period = (0 ..< plan.periods).first { "propagation-\(horizon.start(of: $0).utcStamp).yaml" == name }!
            for doc in docs {
                #expect(crd.schema.violations(of: doc) == [], "\(name)")
                let spec = doc["spec"] as! [String: Any]
                let labels = ((spec["resourceSelectors"] as! [[String: Any]])[0]["labelSelector"] as! [String: Any])["matchLabels"] as! [String: String]
                let (classID, origin) = (labels["greenshift.io/class"]!, labels["greenshift.io/origin"]!)
                let list = (((spec["placement"] as! [String: Any])["replicaScheduling"] as! [String: Any])["weightPreference"] as! [String: Any])["staticWeightList"] as! [[String: Any]]
                var weights: [String: Int] = [:]
                for entry in list { weights[((entry["targetCluster"] as! [String: Any])["clusterNames"] as! [String])[0]] = entry["weight"] as? Int }
                #expect(weights.values.reduce(0, +) == 1000)
                let routes = plan.routing.filter { $0.period == period && $0.classID == classID && $0.origin == origin }
                for r in routes {
                    // Clusters are named as nodes in this site file.
                    #expect(abs(Double(weights[r.node] ?? 0) / 1000 - r.weight) <= 0.001, "\(name) \(classID) \(origin) \(r.node)")
                }
                policies += 1
            }
        }
        #expect(policies == plan.routing.filter { ["batch", "ai-training", "analytics"].contains($0.classID) }
            .reduce(into: Set<String>()) { $0.insert("\($1.period) \($1.classID) \($1.origin)") }.count)
    }

    /// The checker finds what the API server would refuse, so that its silence means something.
    @Test func theSchemaCheckerRejectsWhatTheAPIServerWould() throws {
        let crd = try Self.crd("clusterqueue.v1beta1.json")
        let bad: [String: Any] = ["apiVersion": "kueue.x-k8s.io/v1beta1", "kind": "ClusterQueue", "metadata": ["name": "q"],
                                  "spec": ["resourceGroups": [["coveredResources": ["cpu"],
                                                               "flavors": [["name": "Bad_Flavor", "resources": [["name": "cpu", "nominalQuota": "lots", "quota": 1]]]]]]]]
        let found = crd.schema.violations(of: bad)
        #expect(found.contains { $0.contains("flavors[0].name") && $0.contains("does not match") })
        #expect(found.contains { $0.contains("nominalQuota") && $0.contains("does not match") })
        #expect(found.contains { $0 == "spec.resourceGroups[0].flavors[0].resources[0].quota: unknown field" })
        let karmada = try Self.crd("propagationpolicy.v1alpha1.json")
        let policy: [String: Any] = ["apiVersion": "policy.karmada.io/v1alpha1", "kind": "PropagationPolicy", "metadata": ["name": "p"],
                                     "spec": ["placement": ["replicaScheduling": ["replicaSchedulingType": "Split"]]]]
        let problems = karmada.schema.violations(of: policy)
        #expect(problems.contains { $0.contains("required field 'resourceSelectors'") })
        #expect(problems.contains { $0.contains("Split is not one of") })
    }

    /// `kubectl create --dry-run=client` where kubectl reaches an API server; skipped otherwise.
    static func dryRun(_ yaml: String) throws {
        func kubectl(_ arguments: [String], input: String? = nil) throws -> (Int32, String) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["kubectl"] + arguments
            let out = Pipe(), inPipe = Pipe()
            process.standardOutput = out
            process.standardError = out
            process.standardInput = inPipe
            try process.run()
            if let input { inPipe.fileHandleForWriting.write(Data(input.utf8)) }
            try inPipe.fileHandleForWriting.close()
            let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            return (process.terminationStatus, text)
        }
        guard (try? kubectl(["version", "--request-timeout=5s"]))?.0 == 0 else { return }
        let (status, output) = try kubectl(["create", "--dry-run=client", "-f", "-"], input: yaml)
        #expect(status == 0, "\(output)")
    }
}
