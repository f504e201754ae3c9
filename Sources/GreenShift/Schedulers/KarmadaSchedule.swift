/// A plan for Karmada (docs/schedulers.md): per period, for each flexible class and origin with
/// work, a PropagationPolicy dividing the workload's replicas among the nodes' member clusters with
/// `staticWeightList` weights from the routing. One policy name per class and origin: applying the
/// next period's file updates the weights.
public struct KarmadaSchedule {
    public let plan: Plan
    public let site: Site
    public let horizon: Horizon

    public init(plan: Plan, site: Site, horizon: Horizon) {
        self.plan = plan; self.site = site; self.horizon = horizon
    }

    static let apiVersion = "policy.karmada.io/v1alpha1"
    /// Karmada weights are integers; the shares are written as parts of this total.
    static let weightTotal = 1000

    public func policies(period: Int) throws(InputError) -> [JSON] {
        guard let karmada = site.karmada else { return [] }
        let routes = plan.routing.filter { $0.period == period && site.flexibleClasses.contains($0.classID) }
        var lanes: [(classID: String, origin: String)] = []
        for r in routes where !lanes.contains(where: { $0 == (r.classID, r.origin) }) { lanes.append((r.classID, r.origin)) }
        var problems: [Diagnostic] = []
        let result: [JSON] = lanes.compactMap { lane in
            let name = "greenshift-\(lane.classID)-\(lane.origin)"
            guard Kubernetes.isName(name), Kubernetes.isName(lane.classID), Kubernetes.isName(lane.origin) else {
                problems.append(Diagnostic(file: site.path, "class '\(lane.classID)' and node '\(lane.origin)' make no Kubernetes name (\(name)): lower-case letters, digits and '-'"))
                return nil
            }
            let shares = routes.filter { $0.classID == lane.classID && $0.origin == lane.origin }
            let weights = Self.integerWeights(shares.map(\.weight))
            // Site.load(for: .karmada) has checked that every node of the plan names its cluster.
            let targets = zip(shares, weights).filter { $0.1 > 0 }.map { (cluster: site.nodes[$0.0.node]!.cluster!, weight: $0.1) }
            return .object([
                ("apiVersion", .string(Self.apiVersion)), ("kind", .string("PropagationPolicy")),
                ("metadata", .object([("name", .string(name)), ("namespace", .string(karmada.namespace)),
                                      ("labels", .object([("app.kubernetes.io/managed-by", .string("greenshift"))])),
                                      ("annotations", .object([("greenshift.io/period-start", .string(horizon.start(of: period).description))]))])),
                ("spec", .object([
                    ("resourceSelectors", .array([.object([
                        ("apiVersion", .string(karmada.apiVersion)), ("kind", .string(karmada.kind)),
                        ("labelSelector", .object([("matchLabels", .object([("greenshift.io/class", .string(lane.classID)),
                                                                             ("greenshift.io/origin", .string(lane.origin))]))])),
                    ])])),
                    ("placement", .object([
                        ("clusterAffinity", .object([("clusterNames", .array(targets.map { .string($0.cluster) }))])),
                        ("replicaScheduling", .object([
                            ("replicaSchedulingType", .string("Divided")), ("replicaDivisionPreference", .string("Weighted")),
                            ("weightPreference", .object([("staticWeightList", .array(targets.map { t in
                                .object([("targetCluster", .object([("clusterNames", .array([.string(t.cluster)]))])),
                                         ("weight", .number(Double(t.weight)))])
                            }))])),
                        ])),
                    ])),
                ])),
            ])
        }
        guard problems.isEmpty else { throw InputError(problems) }
        return result
    }

    /// Shares as integers summing to `weightTotal`, by largest remainder (ties to the earlier node).
    static func integerWeights(_ shares: [Double]) -> [Int] {
        let total = shares.reduce(0, +)
        guard total > 0 else { return shares.map { _ in 0 } }
        let exact = shares.map { $0 / total * Double(weightTotal) }
        var weights = exact.map { Int($0.rounded(.down)) }
        let order = exact.indices.sorted { (exact[$0] - Double(weights[$0]), -$0) > (exact[$1] - Double(weights[$1]), -$1) }
        for k in order.prefix(weightTotal - weights.reduce(0, +)) { weights[k] += 1 }
        return weights
    }

    public func files() throws(InputError) -> [(name: String, contents: String)] {
        var files: [(String, String)] = []
        for period in 0 ..< plan.periods {
            let policies = try policies(period: period)
            guard !policies.isEmpty else { continue }
            let start = horizon.start(of: period)
            files.append(("propagation-\(start.utcStamp).yaml",
                          "# Karmada weights for period \(period) of greenshift plan \"\(plan.scenario)\", from \(start).\n"
                            + "# Apply at that time against the Karmada API server: kubectl apply -f propagation-\(start.utcStamp).yaml\n"
                            + policies.map { "---\n" + $0.yaml() }.joined()))
        }
        return files
    }
}
