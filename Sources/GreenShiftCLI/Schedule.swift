import ArgumentParser
import Foundation
import GreenShift

struct Schedule: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Turn a plan into what a scheduler acts on: Slurm reservations, Kueue quotas or Karmada weights.",
        discussion: """
            Reads PLAN_DIR/plan.json and the site file (docs/schedulers.md): which classes are flexible, how CU map to \
            Slurm resources or Kubernetes quotas, and the cluster names. slurm writes reservations.sh and sbatch.sh; \
            kueue, per cluster, a ClusterQueue patch per period and a CronJob that applies each at its start; karmada, \
            per period, PropagationPolicies with static weights. Exit 2 for a plan or site file that cannot be used, \
            naming the node; nothing is written then.
            """)

    @Argument(help: "The folder `greenshift optimize` wrote.")
    var planDir: String

    @Option(name: .customLong("for"), help: "slurm, kueue or karmada.")
    var target: Site.Target

    @Option(help: "The site file (TOML).")
    var site: String

    @Option(help: "Folder for the scheduler's files (created if missing).")
    var out: String

    func run() throws {
        try runReportingErrors {
            let path = (planDir as NSString).appendingPathComponent("plan.json")
            let plan = try Plan.read(from: path)
            let horizon = try Horizon(plan, file: path)
            let site = try Site.load(from: self.site, for: target, plan: plan)
            let files: [(name: String, contents: String)]
            switch target {
            case .slurm: files = try SlurmSchedule(plan: plan, site: site, horizon: horizon).files()
            case .kueue: files = try KueueSchedule(plan: plan, site: site, horizon: horizon).files()
            case .karmada: files = try KarmadaSchedule(plan: plan, site: site, horizon: horizon).files()
            }
            try OutputDirectory(path: out).write(files)
            for (name, _) in files where name.hasSuffix(".sh") { chmod((out as NSString).appendingPathComponent(name), 0o755) }
            print("wrote \(files.count) file\(files.count == 1 ? "" : "s") for \(target.rawValue) into \(out): \(files.map(\.name).prefix(4).joined(separator: ", "))\(files.count > 4 ? ", ..." : "")")
        }
    }
}

extension Site.Target: ExpressibleByArgument {}
