import ArgumentParser
import GreenShift

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a realistic synthetic scenario of any size (deterministic: same arguments, same bytes).",
        discussion: "Nodes are placed around the ten national hubs with their 2023 grid factors; see Data/README.md.")

    @Option(help: "Number of data-center nodes.") var nodes = 10
    @Option(help: "Number of periods.") var periods = 24
    @Option(name: .customLong("period-minutes"), help: "Length of a period in minutes.") var periodMinutes = 60
    @Option(help: "Number of workload classes (web, batch, ai-training, analytics, then more).") var classes = 3
    @Option(help: "Random seed.") var seed: UInt64 = 1
    @Option(name: .customLong("links-per-node"),
            help: "Links per node: each node's nearest neighbours and nearest nodes across the east-west divide; up to this many + 1 nodes are joined pairwise.")
    var linksPerNode = 6
    @Option(help: ArgumentHelp("Compute pool types of the nodes, e.g. general,ai,hpc: every node has a general pool, some an ai or hpc pool; ai-training then needs ai, and hpc brings a simulation class.", valueName: "types"))
    var pools = Pool.general
    @Option(name: .customLong("history-days"),
            help: "Write a history for `greenshift simulate` of this many days instead of a scenario: scenario.toml (one day's periods), actuals/ and forecasts/YYYY-MM-DD/ (docs/simulate.md); --periods is then ignored.")
    var historyDays: Int?
    @Option(help: "The scenario (or history) folder to write.") var out: String

    private var extraPools: [String] { pools.split(separator: ",").map(String.init).filter { $0 != Pool.general } }

    func validate() throws {
        guard nodes >= 1, periods >= 1, classes >= 0 else { throw ValidationError("--nodes and --periods must be >= 1, --classes >= 0") }
        guard (1 ... 1440).contains(periodMinutes) else { throw ValidationError("--period-minutes must be in 1..1440") }
        if let historyDays {
            guard historyDays >= 1 else { throw ValidationError("--history-days must be >= 1") }
            guard 1440 % periodMinutes == 0 else { throw ValidationError("--history-days needs --period-minutes that divide a day (1440)") }
        }
        guard linksPerNode >= 0 else { throw ValidationError("--links-per-node must be >= 0") }
        for type in extraPools where !ScenarioGenerator.poolTypes.contains(type) {
            throw ValidationError("--pools: '\(type)' is not a pool type the generator knows (general, \(ScenarioGenerator.poolTypes.joined(separator: ", ")))")
        }
    }

    func run() throws {
        try runReportingErrors {
            var generator = ScenarioGenerator(nodes: nodes, periods: periods, periodMinutes: periodMinutes, classes: classes, seed: seed)
            generator.linksPerNode = linksPerNode
            generator.extraPools = extraPools
            if let historyDays {
                try generator.writeHistory(days: historyDays, to: out)
                print("wrote \(out): a history of \(historyDays) days, \(nodes) nodes, \(1440 / periodMinutes) periods a day of \(periodMinutes) min, \(generator.classCount) classes")
                return
            }
            try generator.write(to: out)
            print("wrote \(out): \(nodes) nodes, \(periods) periods of \(periodMinutes) min, \(generator.classCount) classes")
        }
    }
}
