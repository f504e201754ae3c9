import Foundation
import Testing

/// The `greenshift` command as schedulers and planners run it: exit codes, messages and files.
@Suite struct CommandLineTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
        }
        fatalError("no Package.swift above \(#filePath)")
    }()

    /// The binary is built beside the test bundle.
    static let binary: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0 ..< 3 {
            let candidate = dir.appendingPathComponent("greenshift").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir.deleteLastPathComponent()
        }
        return root + "/.build/debug/greenshift"
    }()

    struct Run { let status: Int32; let stdout: String; let stderr: String }

    /// With `fileSizeLimit`, no file may grow past that many 512-byte blocks (`ulimit -f`): a
    /// write fails as on a full disk.
    static func run(_ arguments: [String], fileSizeLimit: Int? = nil) throws -> Run {
        let process = Process()
        if let fileSizeLimit {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -f \(fileSizeLimit); exec \"$0\" \"$@\"", binary] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = arguments
        }
        var environment = ProcessInfo.processInfo.environment
        environment["GREENSHIFT_COOLING_LIBRARY"] = root + "/Models/cooling"
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func temporaryDirectory() -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-cli-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// A copy of the spec's example, which the tests may change.
    static func example() throws -> String {
        let copy = temporaryDirectory() + "/two-nodes"
        try FileManager.default.copyItem(atPath: root + "/Tests/GreenShiftCLITests/Fixtures/two-nodes", toPath: copy)
        return copy
    }

    @Test func optimizeWritesThePlanAndPrintsASummary() throws {
        let out = Self.temporaryDirectory() + "/plan"
        let r = try Self.run(["optimize", try Self.example(), "--out", out])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("1.800 t CO2") && r.stdout.contains("3.000 t CO2") && r.stdout.contains("40.00 %"))
        let plan = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))) as! [String: Any]
        let summary = plan["summary"] as! [String: Any]
        #expect(summary["carbon_kg"] as? Double == 1800 && summary["baseline_carbon_kg"] as? Double == 3000)
        let csv = try String(contentsOfFile: out + "/placements.csv", encoding: .utf8)
        #expect(csv.hasPrefix("period,start,class,pool,origin,node,cu_h\n"))
        #expect(csv.contains(",batch,general,east,west,1000\n"))
        // No temporary files are left behind; only the lock that serializes writers.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") } == [".greenshift.lock"])
    }

    /// report-data/ holds the data of the last render only: a CSV an earlier run left there is
    /// removed by `report` and by `optimize`; a file of another kind stays.
    @Test func staleReportDataIsRemoved() throws {
        let scenario = try Self.example()
        let out = Self.temporaryDirectory() + "/plan"
        #expect(try Self.run(["optimize", scenario, "--out", out, "-q"]).status == 0)
        let data = out + "/report-data"
        let written = try FileManager.default.contentsOfDirectory(atPath: data).sorted()
        #expect(written.contains("system.csv"))
        for command in [["report", scenario, out], ["optimize", scenario, "--out", out, "-q"]] {
            for name in ["stale.csv", "notes.txt"] { try "x".write(toFile: data + "/" + name, atomically: true, encoding: .utf8) }
            let r = try Self.run(command)
            #expect(r.status == 0, "\(r.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: data).sorted() == (written + ["notes.txt"]).sorted(), "\(command[0])")
        }
    }

    @Test func badInputExitsTwoAndLeavesTheLastGoodPlanUntouched() throws {
        let scenario = try Self.example()
        let out = Self.temporaryDirectory() + "/plan"
        #expect(try Self.run(["optimize", scenario, "--out", out]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))
        let renewable = scenario + "/timeseries/renewable_mw.csv"
        try (try String(contentsOfFile: renewable, encoding: .utf8)).replacingOccurrences(of: ",0,2", with: ",-1,2")
            .write(toFile: renewable, atomically: true, encoding: .utf8)
        let r = try Self.run(["optimize", scenario, "--out", out])
        #expect(r.status == 2)
        #expect(r.stderr.contains("timeseries/renewable_mw.csv:3:27: value -1 is negative"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")) == before)
        // validate reports the same, and a fresh output folder is never created.
        #expect(try Self.run(["validate", scenario]).status == 2)
        let fresh = Self.temporaryDirectory() + "/never"
        #expect(try Self.run(["optimize", scenario, "--out", fresh]).status == 2)
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    @Test func infeasibleIdleLoadExitsThreeNamingNodeAndPeriod() throws {
        let scenario = try Self.example()
        let toml = scenario + "/scenario.toml"
        try (try String(contentsOfFile: toml, encoding: .utf8))
            .replacingOccurrences(of: "idle_it_mw = 0.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"",
                                  with: "idle_it_mw = 1.0\nit_mw_per_cu = 0.001\ncooling_model = \"flat-1.25\"\ngrid_import_mw = 1.0")
            .write(toFile: toml, atomically: true, encoding: .utf8)
        let out = Self.temporaryDirectory() + "/plan"
        let r = try Self.run(["optimize", scenario, "--out", out])
        // West needs 1.25 MW for idle load; hour 0 has no wind and the grid gives 1 MW.
        #expect(r.status == 3, "\(r.stderr)")
        #expect(r.stderr.contains("node 'west'") && r.stderr.contains("period 0"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
    }

    @Test func validateDescribesTheScenario() throws {
        let r = try Self.run(["validate", try Self.example()])
        #expect(r.status == 0)
        #expect(r.stdout.contains("ok") && r.stdout.contains("2 nodes, 2 classes, 1 link"))
    }

    /// Numbers beyond Int's range are described, not trapped on.
    @Test func validateDescribesHugeNumbers() throws {
        let scenario = try Self.example()
        let toml = scenario + "/scenario.toml"
        try (try String(contentsOfFile: toml, encoding: .utf8)).replacingOccurrences(of: "capacity_cu = 2000.0", with: "capacity_cu = 1e20")
            .write(toFile: toml, atomically: true, encoding: .utf8)
        let r = try Self.run(["validate", scenario])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("100000000000000000000 CU"))
    }

    /// The exported MPS is the same LP: GLPK's own glpsol reaches the same optimum.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/glpsol")))
    func exportedMPSSolvesToTheSameOptimumInGlpsol() throws {
        let dir = Self.temporaryDirectory()
        let r = try Self.run(["export", try Self.example(), "--format", "mps", "--out", dir + "/lp.mps"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.run(["export", try Self.example(), "--format", "lp", "--out", dir + "/lp.lp"]).status == 0)
        let glpsol = Process()
        glpsol.executableURL = URL(fileURLWithPath: "/usr/bin/glpsol")
        glpsol.arguments = ["--freemps", dir + "/lp.mps", "--dual", "-o", dir + "/solution.txt"]
        glpsol.standardOutput = FileHandle.nullDevice
        try glpsol.run()
        glpsol.waitUntilExit()
        let solution = try String(contentsOfFile: dir + "/solution.txt", encoding: .utf8)
        let line = solution.split(separator: "\n").first { $0.hasPrefix("Objective:") }.map(String.init) ?? ""
        #expect(line.contains("= 1800 (MINimum)"), "\(line)")
    }

    /// docs/plan-format.md: a wrong command line exits 64 (EX_USAGE), distinct from 1, "any other failure".
    @Test func unknownOptionsAndBadValuesAreUsageErrors() throws {
        let r = try Self.run(["optimize", try Self.example(), "--out", Self.temporaryDirectory(), "--time-limit", "0"])
        #expect(r.status == 64 && r.stderr.contains("--time-limit must be a positive number of seconds"), "\(r.stderr)")
        // "-3" reads as an option, so the limit has no value.
        let negative = try Self.run(["optimize", try Self.example(), "--out", Self.temporaryDirectory(), "--time-limit", "-3"])
        #expect(negative.status == 64 && negative.stderr.contains("Missing value for '--time-limit"), "\(negative.stderr)")
        let missing = try Self.run(["optimize", try Self.example()])
        #expect(missing.status == 64 && missing.stderr.contains("Missing expected argument '--out <out>'"), "\(missing.stderr)")
        let unknown = try Self.run(["validate", try Self.example(), "--no-such-option"])
        #expect(unknown.status == 64 && unknown.stderr.contains("Unknown option '--no-such-option'"), "\(unknown.stderr)")
        #expect(try Self.run(["frobnicate"]).status == 64)
        let help = try Self.run(["--help"])
        #expect(help.status == 0 && help.stdout.contains("optimize"))
    }

    enum Stream { case closed, brokenPipe }

    /// Runs greenshift with standard error closed, or a pipe whose reader has gone; returns the exit status.
    static func status(_ arguments: [String], standardError: Stream) throws -> Int32 {
        var actions: posix_spawn_file_actions_t = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        var pipeEnds: [Int32] = [-1, -1]
        switch standardError {
        case .closed:
            posix_spawn_file_actions_addclose(&actions, 2)
        case .brokenPipe:
            #expect(pipe(&pipeEnds) == 0)
            close(pipeEnds[0])
            posix_spawn_file_actions_adddup2(&actions, pipeEnds[1], 2)
        }
        defer { if pipeEnds[1] >= 0 { close(pipeEnds[1]) } }
        var environment = ProcessInfo.processInfo.environment
        environment["GREENSHIFT_COOLING_LIBRARY"] = root + "/Models/cooling"
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0)=\($1)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, binary, &actions, nil, argv, envp)
        guard spawned == 0 else { throw POSIXError(POSIXErrorCode(rawValue: spawned)!) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        // WIFEXITED / WEXITSTATUS, else 128 + the signal, as a shell reports it.
        return status & 0x7F == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    }

    /// Exit codes hold whatever standard error is: it was SIGILL (132) when closed, SIGPIPE (141) on a broken pipe.
    @Test(arguments: [Stream.closed, .brokenPipe])
    func exitCodesHoldWithoutStandardError(stream: Stream) throws {
        let scenario = try Self.example()
        #expect(try Self.status(["verify", scenario, "/nonexistent.json"], standardError: stream) == 2)
        #expect(try Self.status(["optimize", scenario], standardError: stream) == 64)
        let out = Self.temporaryDirectory() + "/plan"
        #expect(try Self.status(["optimize", scenario, "--out", out], standardError: stream) == 0)
        let plan = out + "/plan.json"
        let text = try String(contentsOfFile: plan, encoding: .utf8)
        try text.replacingOccurrences(of: "\"node\": \"west\", \"cu_h\": 1000", with: "\"node\": \"west\", \"cu_h\": 900").write(toFile: plan, atomically: true, encoding: .utf8)
        #expect(try Self.status(["verify", scenario, plan], standardError: stream) == 1)
        let file = Self.temporaryDirectory() + "/file"
        try "x".write(toFile: file, atomically: true, encoding: .utf8)
        #expect(try Self.status(["optimize", scenario, "--out", file], standardError: stream) == 1)
    }

    /// Valid JSON with a number of the wrong kind was reported as "not valid JSON", naming no key.
    @Test func aPlanNumberOfTheWrongKindNamesItsKey() throws {
        let scenario = try Self.example()
        let out = Self.temporaryDirectory() + "/plan"
        #expect(try Self.run(["optimize", scenario, "--out", out, "-q"]).status == 0)
        let text = try String(contentsOfFile: out + "/plan.json", encoding: .utf8)
        for (old, new, message) in [
            ("\"periods\": 3,", "\"periods\": 3.5,", "not a greenshift plan: periods is 3.5, where a whole number belongs"),
            ("\"period\": 2, \"start\"", "\"period\": 1e30, \"start\"", "not a greenshift plan: capacity[3].period is 1e+30, where a whole number belongs"),
            ("\"periods\": 3,", "\"periods\": 3,,", "not valid JSON"),
        ] {
            let plan = Self.temporaryDirectory() + "/plan.json"
            #expect(text.contains(old))
            try text.replacingOccurrences(of: old, with: new).write(toFile: plan, atomically: true, encoding: .utf8)
            let r = try Self.run(["verify", scenario, plan])
            #expect(r.status == 2 && r.stderr.hasPrefix("error: \(plan): \(message)"), "\(r.stderr)")
        }
    }
}
