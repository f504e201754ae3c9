import Foundation
import Testing

/// What `make bench` relies on: `optimize --timings`, `generate --links-per-node`, and the
/// MathProg statement of the model (Models/greenshift.mod with `export --format mathprog-data`)
/// reaching greenshift's optimum in glpsol.
@Suite struct BenchToolsTests {
    typealias CLI = CommandLineTests

    static func value(_ key: String, in tsv: String) -> Double? {
        for line in tsv.split(separator: "\n") {
            let fields = line.split(separator: "\t")
            if fields.count == 2, fields[0] == key { return Double(fields[1]) }
        }
        return nil
    }

    @Test func timingsListSizeStagesAndMemory() throws {
        let r = try CLI.run(["optimize", try CLI.example(), "--out", CLI.temporaryDirectory() + "/plan", "--timings", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        for key in ["variables", "rows", "nonzeros", "objective", "seconds.read", "seconds.build", "seconds.solve",
                    "seconds.baseline-solve", "seconds.extract", "seconds.write", "seconds.total", "peak_rss_mb"] {
            #expect(Self.value(key, in: r.stdout) != nil, "no \(key) in \(r.stdout)")
        }
        #expect(Self.value("objective", in: r.stdout).map { abs($0 - 1800) < 1e-6 } == true)
        #expect(!r.stdout.contains("emissions"), "--quiet leaves only the timings")
    }

    @Test func linksPerNodeSetsTheMesh() throws {
        let dir = CLI.temporaryDirectory()
        #expect(try CLI.run(["generate", "--nodes", "10", "--periods", "2", "--links-per-node", "9", "--out", dir + "/full"]).status == 0)
        #expect(try CLI.run(["generate", "--nodes", "10", "--periods", "2", "--out", dir + "/sparse"]).status == 0)
        func links(_ path: String) throws -> Int {
            try String(contentsOfFile: path + "/scenario.toml", encoding: .utf8).components(separatedBy: "[[links]]").count - 1
        }
        #expect(try links(dir + "/full") == 45, "every pair of 10 nodes")
        #expect(try links(dir + "/sparse") < 45)
        #expect(try CLI.run(["generate", "--links-per-node", "-1", "--out", dir + "/bad"]).status == 64)
    }

    /// glpsol on the MathProg model reaches the objective greenshift reports, on the spec's example
    /// and on generated scenarios with batteries, grid caps, latency limits and shared bandwidth.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/glpsol")),
          arguments: ["example", "generated-1", "generated-2"])
    func mathProgModelReachesTheSameOptimum(case name: String) throws {
        let dir = CLI.temporaryDirectory()
        let scenario: String
        if name == "example" {
            scenario = try CLI.example()
        } else {
            scenario = dir + "/scenario"
            let seed = String(name.last!)
            let g = try CLI.run(["generate", "--nodes", "7", "--periods", "10", "--classes", "4", "--seed", seed, "--out", scenario])
            #expect(g.status == 0, "\(g.stderr)")
        }
        let ours = try CLI.run(["optimize", scenario, "--out", dir + "/plan", "--timings", "--quiet"])
        #expect(ours.status == 0, "\(ours.stderr)")
        let export = try CLI.run(["export", scenario, "--format", "mathprog-data", "--out", dir + "/data.dat"])
        #expect(export.status == 0, "\(export.stderr)")
        let glpsol = Process()
        glpsol.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
        glpsol.arguments = ["--model", CLI.root + "/Models/greenshift.mod", "--data", dir + "/data.dat", "-o", dir + "/solution.txt"]
        let out = Pipe()
        glpsol.standardOutput = out
        try glpsol.run()
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        glpsol.waitUntilExit()
        #expect(glpsol.terminationStatus == 0, "\(printed)")
        let line = printed.split(separator: "\n").first { $0.hasPrefix("objective ") } ?? ""
        let theirs = try #require(Double(line.dropFirst("objective ".count)), "\(printed)")
        let expected = try #require(Self.value("objective", in: ours.stdout))
        #expect(abs(theirs - expected) <= 1e-6 * max(1, abs(expected)), "glpsol \(theirs), greenshift \(expected)")
    }

    @Test func mathProgDataRefusesTheBaselineFlag() throws {
        let r = try CLI.run(["export", try CLI.example(), "--format", "mathprog-data", "--baseline", "--out", CLI.temporaryDirectory() + "/x"])
        #expect(r.status == 64 && r.stderr.contains("--baseline applies to mps and lp only"), "\(r.stderr)")
    }
}
