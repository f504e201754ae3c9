import Foundation
import Testing

/// `optimize`'s capacity curves and routing, `schedule` and `now` as a site's cron runs them.
@Suite struct ScheduleCommandTests {
    typealias CLI = CommandLineTests

    /// The two-node example solved once: web 500 CU*h an hour at east, batch 1000 CU*h at west in hour 1 or 2.
    static let planDir: String = {
        let out = CLI.temporaryDirectory() + "/plan"
        let r = try! CLI.run(["optimize", try! CLI.example(), "--out", out])
        precondition(r.status == 0, r.stderr)
        return out
    }()

    static let site = """
        flexible_classes = ["batch"]
        [slurm]
        users = ["root"]
        [nodes.east.pools.general]
        slurm_cores_per_cu = 0.01
        [nodes.west.pools.general]
        slurm_cores_per_cu = 0.01

        """

    static func siteFile(_ text: String) throws -> String {
        let path = CLI.temporaryDirectory() + "/site.toml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func optimizeWritesCapacityCurvesAndRouting() throws {
        let capacity = try String(contentsOfFile: Self.planDir + "/capacity.csv", encoding: .utf8)
        let lines = capacity.split(separator: "\n").map(String.init)
        #expect(lines[0] == "period,start,node,pool,class,max_cu")
        #expect(lines.filter { $0.hasSuffix(",east,general,web,500") }.count == 3)
        let batch = lines.filter { $0.contains(",west,general,batch,") }
        #expect(batch.map { Double($0.split(separator: ",").last!)! }.reduce(0, +) == 1000, "\(batch)")
        let routing = try String(contentsOfFile: Self.planDir + "/routing.csv", encoding: .utf8)
        #expect(routing.hasPrefix("period,start,class,origin,node,weight\n"))
        #expect(routing.contains(",batch,east,west,1\n") && routing.contains("0,2026-11-27T00:00:00+08:00,web,east,east,1\n"))
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: Self.planDir + "/plan.json"))) as! [String: Any]
        #expect((plan["capacity"] as? [Any])?.count == lines.count - 1 && (plan["routing"] as? [Any]) != nil)
    }

    @Test func scheduleWritesTheSlurmScripts() throws {
        let out = CLI.temporaryDirectory() + "/slurm"
        let r = try CLI.run(["schedule", Self.planDir, "--for", "slurm", "--site", try Self.siteFile(Self.site), "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        let script = try String(contentsOfFile: out + "/reservations.sh", encoding: .utf8)
        // 1000 CU*h of batch in one or two hours at west: 10 cores in all, no reservation at east.
        let reserves = script.split(separator: "\n").filter { $0.hasPrefix("reserve greenshift-west-general-") }
        #expect(!reserves.isEmpty && !script.contains("reserve greenshift-east"))
        #expect(FileManager.default.isExecutableFile(atPath: out + "/sbatch.sh"))
    }

    @Test func aPlanNodeMissingFromTheSiteFileIsExitTwoNamingIt() throws {
        let out = CLI.temporaryDirectory() + "/never"
        let site = try Self.siteFile(Self.site.replacingOccurrences(of: "[nodes.west.pools.general]\nslurm_cores_per_cu = 0.01\n", with: ""))
        let r = try CLI.run(["schedule", Self.planDir, "--for", "slurm", "--site", site, "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("node 'west' of the plan has no [nodes.west] table"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func nowOnABoundaryGivesThePeriodItStarts() throws {
        let r = try CLI.run(["now", Self.planDir, "--at", "2026-11-26T17:00:00Z", "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let view = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as! [String: Any]
        #expect(view["period"] as? Int == 1 && view["start"] as? String == "2026-11-27T01:00:00+08:00")
        let table = try CLI.run(["now", Self.planDir, "--at", "2026-11-27T00:59:59+08:00"])
        #expect(table.stdout.hasPrefix("period 0 of two-nodes: 2026-11-27T00:00:00+08:00 to 2026-11-27T01:00:00+08:00\n"), "\(table.stdout)")
        #expect(table.stdout.contains("east  general  web"))
    }

    @Test func nowOutsideTheHorizonIsExitTwoGivingIt() throws {
        let r = try CLI.run(["now", Self.planDir, "--at", "2026-11-27T03:00:00+08:00"])
        #expect(r.status == 2)
        #expect(r.stderr.contains("2026-11-27T03:00:00+08:00 is outside the plan's horizon, 2026-11-27T00:00:00+08:00 to 2026-11-27T03:00:00+08:00 (3 periods of 60 min)"), "\(r.stderr)")
        // A TIME that is no time is bad input too.
        #expect(try CLI.run(["now", Self.planDir, "--at", "not a time"]).status == 2)
    }
}
