/// A plan for Kueue (docs/schedulers.md): per node's cluster and period, a merge patch setting the
/// ClusterQueue's `nominalQuota` per ResourceFlavor (one flavor per pool) to the flexible classes'
/// capacity curves, and a CronJob that applies, at each period's start, the latest patch due.
/// With MultiKueue each node's cluster is a worker, and its quota is its share of the routed work.
public struct KueueSchedule {
    public let plan: Plan
    public let site: Site
    public let horizon: Horizon

    public init(plan: Plan, site: Site, horizon: Horizon) {
        self.plan = plan; self.site = site; self.horizon = horizon
    }

    static let apiVersion = "kueue.x-k8s.io/v1beta1"
    static let name = "greenshift-quotas"

    /// A merge patch replaces `resourceGroups` whole (CRDs take no strategic merge), so every patch
    /// carries every flavor of the node, 0 where the period has no flexible work in that pool.
    public func patch(node: String, period: Int) -> JSON {
        let capacity = FlexibleCapacity(plan, site: site)
        let pools = (site.nodes[node]?.pools ?? [:]).filter { $0.value.kueueFlavor != nil && !$0.value.kueueResources.isEmpty }
            .sorted { $0.key < $1.key }
        var covered: [String] = []
        for (_, pool) in pools { for r in pool.kueueResources where !covered.contains(r.name) { covered.append(r.name) } }
        let flavors: [JSON] = pools.map { poolID, pool in
            let cu = capacity.cu[FlexibleCapacity.Slot(node: node, pool: poolID, period: period)] ?? 0
            return .object([("name", .string(pool.kueueFlavor!)), ("resources", .array(covered.map { resource in
                let perCU = pool.kueueResources.first { $0.name == resource }?.perCU ?? 0
                return .object([("name", .string(resource)), ("nominalQuota", Self.quantity(cu * perCU))])
            }))])
        }
        let groups: [JSON] = flavors.isEmpty ? [] : [.object([("coveredResources", .array(covered.map(JSON.string))), ("flavors", .array(flavors))])]
        return .object([("spec", .object([("resourceGroups", .array(groups))]))])
    }

    /// A Kubernetes quantity, rounded up: to thousandths ("6250m") below 1000 units, where a
    /// thousandth matters, to whole units from there on (cores, bytes).
    static func quantity(_ amount: Double) -> JSON {
        guard amount < 1000 else { return .number(Double(wholeUnits(amount))) }
        let milli = wholeUnits(amount * 1000)
        return milli % 1000 == 0 ? .number(Double(milli / 1000)) : .string("\(milli)m")
    }

    public func files() throws(InputError) -> [(name: String, contents: String)] {
        guard let kueue = site.kueue else { return [] }
        var files: [(String, String)] = []
        for node in plan.nodes.map(\.id) {
            guard let cluster = site.nodes[node]?.cluster else { continue }
            var patches: [(String, JSON)] = []
            for period in 0 ..< plan.periods {
                let text = patch(node: node, period: period).yaml()
                patches.append((horizon.start(of: period).utcStamp, .string(text)))
                files.append(("\(cluster)-\(horizon.start(of: period).utcStamp).yaml", text))
            }
            files.append(("\(cluster)-cronjob.yaml", cronJob(kueue, cluster: cluster, node: node, patches: patches)))
        }
        return files
    }

    /// The patches in a ConfigMap keyed by their UTC start; the CronJob fires at every period start and
    /// applies the latest patch not after the time it runs, so a late or missed run catches up.
    func cronJob(_ kueue: Site.Kueue, cluster: String, node: String, patches: [(String, JSON)]) -> String {
        let metadata: (Bool) -> JSON = { namespaced in
            .object([("name", .string(Self.name))] + (namespaced ? [("namespace", .string(kueue.namespace))] : [])
                    + [("labels", .object([("app.kubernetes.io/managed-by", .string("greenshift"))]))])
        }
        let script = """
            now=$(date -u +%Y%m%dT%H%MZ)
            due=$(ls /patches | awk -v now="$now" '$0 <= now' | sort | tail -n 1)
            if [ -z "$due" ]; then echo "no quota due yet at $now"; exit 0; fi
            kubectl patch clusterqueue \(kueue.clusterQueue) --type merge --patch-file "/patches/$due"

            """
        let documents: [JSON] = [
            .object([("apiVersion", .string("v1")), ("kind", .string("ConfigMap")), ("metadata", metadata(true)),
                     ("data", .object(patches))]),
            .object([("apiVersion", .string("v1")), ("kind", .string("ServiceAccount")), ("metadata", metadata(true))]),
            .object([("apiVersion", .string("rbac.authorization.k8s.io/v1")), ("kind", .string("ClusterRole")), ("metadata", metadata(false)),
                     ("rules", .array([.object([("apiGroups", .array([.string("kueue.x-k8s.io")])),
                                                 ("resources", .array([.string("clusterqueues")])),
                                                 ("resourceNames", .array([.string(kueue.clusterQueue)])),
                                                 ("verbs", .array([.string("get"), .string("patch")]))])]))]),
            .object([("apiVersion", .string("rbac.authorization.k8s.io/v1")), ("kind", .string("ClusterRoleBinding")), ("metadata", metadata(false)),
                     ("roleRef", .object([("apiGroup", .string("rbac.authorization.k8s.io")), ("kind", .string("ClusterRole")), ("name", .string(Self.name))])),
                     ("subjects", .array([.object([("kind", .string("ServiceAccount")), ("name", .string(Self.name)), ("namespace", .string(kueue.namespace))])]))]),
            .object([("apiVersion", .string("batch/v1")), ("kind", .string("CronJob")), ("metadata", metadata(true)),
                     ("spec", .object([
                        ("schedule", .string(cronSchedule())), ("timeZone", .string("Etc/UTC")),
                        ("concurrencyPolicy", .string("Replace")),
                        ("jobTemplate", .object([("spec", .object([("backoffLimit", .number(3)), ("template", .object([("spec", .object([
                            ("serviceAccountName", .string(Self.name)), ("restartPolicy", .string("OnFailure")),
                            ("containers", .array([.object([
                                ("name", .string("apply-quota")), ("image", .string(kueue.kubectlImage)),
                                ("command", .array([.string("/bin/sh"), .string("-c"), .string(script)])),
                                ("volumeMounts", .array([.object([("name", .string("patches")), ("mountPath", .string("/patches"))])])),
                            ])])),
                            ("volumes", .array([.object([("name", .string("patches")), ("configMap", .object([("name", .string(Self.name))]))])])),
                        ]))]))]))])),
                     ]))]),
        ]
        return "# Kueue quotas for node \(node) (cluster \(cluster)) from greenshift plan \"\(plan.scenario)\" starting \(plan.start).\n"
            + "# Apply in that cluster: kubectl apply -f \(cluster)-cronjob.yaml\n"
            + documents.map { "---\n" + $0.yaml() }.joined()
    }

    /// Cron fields that fire at every period start (UTC): the minutes and hours at which periods begin.
    /// Where the starts are no product of minutes and hours, the schedule may fire more often; the
    /// job then finds the same patch due and applying it again changes nothing.
    func cronSchedule() -> String {
        let starts = (0 ..< plan.periods).map { horizon.start(of: $0).epochSeconds / 60 % 1440 }
        let minutes = Set(starts.map { $0 % 60 }).sorted(), hours = Set(starts.map { $0 / 60 }).sorted()
        return "\(minutes.map(String.init).joined(separator: ",")) \(hours.count == 24 ? "*" : hours.map(String.init).joined(separator: ",")) * * *"
    }
}
