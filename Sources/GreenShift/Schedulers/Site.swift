/// What greenshift cannot know about a site and never guesses (docs/schedulers.md): which classes
/// are the flexible work the schedulers act on, how a node's CU map to Slurm resources or to
/// Kubernetes quotas, and the names of clusters, queues and flavors. Read from `site.toml`.
public struct Site: Sendable {
    /// The file it was read from, for messages.
    public var path: String
    public var flexibleClasses: [String]
    public var nodes: [String: Node]
    public var slurm: Slurm?
    public var kueue: Kueue?
    public var karmada: Karmada?

    public struct Node: Sendable {
        /// The Kubernetes cluster (Kueue worker, Karmada member) that runs this node's work.
        public var cluster: String?
        public var pools: [String: Pool]
    }

    public struct Pool: Sendable {
        public var slurm: SlurmResources?
        public var kueueFlavor: String?
        /// Per CU, in each resource's base unit (cpu in cores, memory in bytes), in file order.
        public var kueueResources: [(name: String, perCU: Double)]
    }

    /// How a reservation asks Slurm for the CU a period needs (rounded up).
    public enum SlurmResources: Sendable, Equatable {
        case cores(perCU: Double)
        case nodes([String], cuPerNode: Double)
        case licenses(String, cuPerLicense: Double)
    }

    public struct Slurm: Sendable {
        public var users: [String]
        public var accounts: [String]
        public var partition: String?
    }

    public struct Kueue: Sendable {
        public var clusterQueue: String
        public var namespace: String
        public var kubectlImage: String
    }

    public struct Karmada: Sendable {
        public var namespace: String
        public var apiVersion: String
        public var kind: String
    }

    public enum Target: String, Sendable, CaseIterable {
        case slurm, kueue, karmada
    }
}

extension Site {
    /// Reads `path` with what `target` needs for `plan`: every node of the plan must be there, with
    /// every pool the plan's flexible work uses. Every problem is reported, each naming its node.
    public static func load(from path: String, for target: Target, plan: Plan) throws(InputError) -> Site {
        let text: String
        switch TextFile.read(path, displayName: path) {
        case .success(let t): text = t
        case .failure(let d): throw InputError([d])
        }
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            throw InputError([Diagnostic(file: path, line: error.position.line, column: error.position.column, "TOML syntax: \(error.message)")])
        }
        let reader = TOMLSchemaReader(file: path)
        let site = SiteReader(reader: reader, target: target).read(document.root, plan: plan)
        guard reader.diagnostics.isEmpty, let site else { throw InputError(reader.diagnostics) }
        return site
    }
}

private struct SiteReader {
    let reader: TOMLSchemaReader
    let target: Site.Target

    func read(_ root: TOMLTable, plan: Plan) -> Site? {
        reader.rejectUnknownKeys(root, allowed: ["flexible_classes", "nodes"] + Site.Target.allCases.map(\.rawValue), context: "the site file")
        let flexible = strings(root, "flexible_classes", context: "the site file", required: true) ?? []
        let slurm = target == .slurm ? section(root, "slurm", read: slurmSettings) : nil
        let kueue = target == .kueue ? section(root, "kueue", read: kueueSettings) : nil
        let karmada = target == .karmada ? section(root, "karmada", read: karmadaSettings) : nil
        for other in Site.Target.allCases where other != target {
            _ = reader.table(root, other.rawValue, context: "the site file")
        }

        let nodesTable = reader.table(root, "nodes", context: "the site file")
        var nodes: [String: Site.Node] = [:]
        for id in nodesTable?.keys ?? [] {
            guard let t = reader.table(nodesTable!, id, context: "[nodes]") else { continue }
            nodes[id] = node(t, id: id)
        }
        let poolsUsed = Dictionary(grouping: plan.placements.filter { flexible.contains($0.classID) && $0.cuH > 0 }, by: \.node)
            .mapValues { Set($0.map(\.pool)) }
        var clusters: [String: String] = [:]
        for planNode in plan.nodes.map(\.id) {
            guard let node = nodes[planNode] else {
                reader.report(nodesTable?.position, "node '\(planNode)' of the plan has no [nodes.\(planNode)] table")
                continue
            }
            for pool in (poolsUsed[planNode] ?? []).sorted() {
                guard let settings = node.pools[pool] else {
                    reader.report(nodesTable?.keyPosition(planNode), "node '\(planNode)' has flexible work in pool '\(pool)' but no [nodes.\(planNode).pools.\(pool)] table")
                    continue
                }
                switch target {
                case .slurm where settings.slurm == nil:
                    reader.report(nodesTable?.keyPosition(planNode), "node '\(planNode)' pool '\(pool)' needs one of slurm_cores_per_cu, slurm_nodes, slurm_license")
                case .kueue where settings.kueueFlavor == nil || settings.kueueResources.isEmpty:
                    reader.report(nodesTable?.keyPosition(planNode), "node '\(planNode)' pool '\(pool)' needs kueue_flavor and kueue_resources")
                default: break
                }
            }
            if target != .slurm {
                guard let cluster = node.cluster else {
                    reader.report(nodesTable?.keyPosition(planNode), "node '\(planNode)' has no 'cluster' (required for \(target.rawValue))")
                    continue
                }
                if let other = clusters[cluster] {
                    reader.report(nodesTable?.keyPosition(planNode), "node '\(planNode)' has cluster '\(cluster)', as node '\(other)' has: each node needs its own")
                }
                clusters[cluster] = planNode
            }
        }
        return Site(path: reader.file, flexibleClasses: flexible, nodes: nodes, slurm: slurm, kueue: kueue, karmada: karmada)
    }

    private func section<T>(_ root: TOMLTable, _ key: String, read: (TOMLTable) -> T?) -> T? {
        guard let t = reader.table(root, key, context: "the site file") else {
            if root[key] == nil { reader.report(root.position, "the site file has no [\(key)] table (required for --for \(key))") }
            return nil
        }
        return read(t)
    }

    private func slurmSettings(_ t: TOMLTable) -> Site.Slurm? {
        reader.rejectUnknownKeys(t, allowed: ["users", "accounts", "partition"], context: "[slurm]")
        let users = strings(t, "users", context: "[slurm]") ?? []
        let accounts = strings(t, "accounts", context: "[slurm]") ?? []
        if users.isEmpty && accounts.isEmpty {
            reader.report(t.position, "[slurm] needs 'users' or 'accounts': Slurm reservations are for someone")
        }
        return Site.Slurm(users: users, accounts: accounts, partition: reader.string(t, "partition", context: "[slurm]", required: false))
    }

    private func kueueSettings(_ t: TOMLTable) -> Site.Kueue? {
        reader.rejectUnknownKeys(t, allowed: ["cluster_queue", "namespace", "kubectl_image"], context: "[kueue]")
        let queue = name(t, "cluster_queue", context: "[kueue]")
        let namespace = name(t, "namespace", context: "[kueue]")
        let image = reader.string(t, "kubectl_image", context: "[kueue]")
        guard let queue, let namespace, let image else { return nil }
        return Site.Kueue(clusterQueue: queue, namespace: namespace, kubectlImage: image)
    }

    private func karmadaSettings(_ t: TOMLTable) -> Site.Karmada? {
        reader.rejectUnknownKeys(t, allowed: ["namespace", "api_version", "kind"], context: "[karmada]")
        let namespace = name(t, "namespace", context: "[karmada]")
        let apiVersion = reader.string(t, "api_version", context: "[karmada]")
        let kind = reader.string(t, "kind", context: "[karmada]")
        guard let namespace, let apiVersion, let kind else { return nil }
        return Site.Karmada(namespace: namespace, apiVersion: apiVersion, kind: kind)
    }

    private func node(_ t: TOMLTable, id: String) -> Site.Node {
        let context = "node '\(id)'"
        reader.rejectUnknownKeys(t, allowed: ["cluster", "pools"], context: context)
        var pools: [String: Site.Pool] = [:]
        if let poolsTable = reader.table(t, "pools", context: context) {
            for pool in poolsTable.keys {
                guard let p = reader.table(poolsTable, pool, context: context) else { continue }
                pools[pool] = self.pool(p, context: "node '\(id)' pool '\(pool)'")
            }
        }
        return Site.Node(cluster: name(t, "cluster", context: context, required: false), pools: pools)
    }

    private func pool(_ t: TOMLTable, context: String) -> Site.Pool {
        reader.rejectUnknownKeys(t, allowed: ["slurm_cores_per_cu", "slurm_nodes", "slurm_cu_per_node", "slurm_license",
                                              "slurm_cu_per_license", "kueue_flavor", "kueue_resources"], context: context)
        let positive: (Double) -> Bool = { $0 > 0 }
        var slurm: [Site.SlurmResources] = []
        if let perCU = reader.number(t, "slurm_cores_per_cu", context: context, required: false, isValid: positive, rule: "> 0") {
            slurm.append(.cores(perCU: perCU))
        }
        if t["slurm_nodes"] != nil {
            let names = strings(t, "slurm_nodes", context: context) ?? []
            if names.isEmpty { reader.report(t.keyPosition("slurm_nodes"), "'slurm_nodes' in \(context) lists no node") }
            if let perNode = reader.number(t, "slurm_cu_per_node", context: context, isValid: positive, rule: "> 0") {
                slurm.append(.nodes(names, cuPerNode: perNode))
            }
        } else if t["slurm_cu_per_node"] != nil {
            reader.report(t.keyPosition("slurm_cu_per_node"), "'slurm_cu_per_node' in \(context) needs 'slurm_nodes'")
        }
        if let license = reader.string(t, "slurm_license", context: context, required: false) {
            if let perLicense = reader.number(t, "slurm_cu_per_license", context: context, isValid: positive, rule: "> 0") {
                slurm.append(.licenses(license, cuPerLicense: perLicense))
            }
        } else if t["slurm_cu_per_license"] != nil {
            reader.report(t.keyPosition("slurm_cu_per_license"), "'slurm_cu_per_license' in \(context) needs 'slurm_license'")
        }
        if slurm.count > 1 {
            reader.report(t.position, "\(context) maps CU to Slurm in \(slurm.count) ways; give one of slurm_cores_per_cu, slurm_nodes, slurm_license")
        }
        var resources: [(String, Double)] = []
        if let r = reader.table(t, "kueue_resources", context: context) {
            for resource in r.keys {
                if let v = reader.number(r, resource, context: "kueue_resources of \(context)", isValid: positive, rule: "> 0") {
                    resources.append((resource, v))
                }
            }
            if r.keys.isEmpty { reader.report(t.keyPosition("kueue_resources"), "'kueue_resources' in \(context) lists no resource") }
        }
        return Site.Pool(slurm: slurm.count == 1 ? slurm[0] : nil, kueueFlavor: name(t, "kueue_flavor", context: context, required: false),
                         kueueResources: resources)
    }

    /// A Kubernetes object name (RFC 1123 label: lower-case letters, digits and '-', at most 63).
    private func name(_ t: TOMLTable, _ key: String, context: String, required: Bool = true) -> String? {
        guard let s = reader.string(t, key, context: context, required: required) else { return nil }
        guard Kubernetes.isName(s) else {
            reader.report(t[key]?.position, "'\(key)' in \(context) must be lower-case letters, digits and '-' (at most 63), found \"\(s)\"")
            return nil
        }
        return s
    }

    private func strings(_ t: TOMLTable, _ key: String, context: String, required: Bool = false) -> [String]? {
        guard let node = t[key] else {
            if required { reader.report(t.position, "\(context) has no '\(key)' (required)") }
            return nil
        }
        guard case .array(let elements) = node.value else {
            reader.report(node.position, "'\(key)' in \(context) must be an array of strings, found \(node.value.typeName)")
            return nil
        }
        var result: [String] = []
        for e in elements {
            guard case .string(let s) = e.value else {
                reader.report(e.position, "every element of '\(key)' in \(context) must be a string, found \(e.value.typeName)")
                continue
            }
            result.append(s)
        }
        return result
    }
}

enum Kubernetes {
    /// An RFC 1123 label, which object names, label values and cluster names here must be.
    static func isName(_ s: String) -> Bool {
        let chars = Array(s.utf8)
        func alnum(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) }
        return !chars.isEmpty && chars.count <= 63 && alnum(chars.first!) && alnum(chars.last!) && chars.allSatisfy { alnum($0) || $0 == 45 }
    }
}
