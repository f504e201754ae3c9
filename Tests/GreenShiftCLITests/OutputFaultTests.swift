import Foundation
import Testing

/// Writing fails (a full disk, simulated by a file size limit), or the output path is wrong:
/// the previous files stay, nothing new is left behind, and the message says what is wrong.
@Suite struct OutputFaultTests {
    typealias CLI = CommandLineTests

    func hidden(_ folder: String) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasPrefix(".") }
    }

    /// Export replaced the previous file with a truncated one (GLPK's MPS writer missed the error: exit 0).
    @Test(arguments: ["mps", "lp", "mathprog-data"])
    func exportOnAFullDiskKeepsThePreviousFile(format: String) throws {
        let dir = CLI.temporaryDirectory()
        let out = dir + "/model." + format
        let scenario = try CLI.example()
        #expect(try CLI.run(["export", scenario, "--format", format, "--out", out]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out))
        #expect(before.count > 512)
        let r = try CLI.run(["export", scenario, "--format", format, "--out", out], fileSizeLimit: 1)
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("error: cannot write \(out)") && r.stderr.contains("a previous model.\(format) is kept"), "\(r.stderr)")
        #expect(try Data(contentsOf: URL(fileURLWithPath: out)) == before)
        #expect(try hidden(dir).isEmpty)
    }

    /// A failed first write left a new, empty folder holding .greenshift.lock.
    @Test func aFailedFirstWriteLeavesNoFolder() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["optimize", try CLI.example(), "--out", dir + "/new/plan", "-q"], fileSizeLimit: 1)
        #expect(r.status == 1 && r.stderr.contains("File too large"), "\(r.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).isEmpty)
    }

    /// A failed write into an existing folder keeps the folder, its last plan and its lock.
    @Test func aFailedLaterWriteKeepsTheFolderAndItsPlan() throws {
        let out = CLI.temporaryDirectory() + "/plan"
        let scenario = try CLI.example()
        #expect(try CLI.run(["optimize", scenario, "--out", out, "-q"]).status == 0)
        let before = try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json"))
        #expect(try CLI.run(["optimize", scenario, "--out", out, "-q"], fileSizeLimit: 1).status == 1)
        #expect(try Data(contentsOf: URL(fileURLWithPath: out + "/plan.json")) == before)
        #expect(try hidden(out) == [".greenshift.lock"])
    }

    /// --solver-log failures vanished (`try?`): exit 0 and no log.
    @Test func anUnwritableSolverLogIsAnError() throws {
        let dir = CLI.temporaryDirectory()
        let r = try CLI.run(["optimize", try CLI.example(), "--out", dir + "/plan", "--solver-log", dir + "/missing/glpk.log"])
        #expect(r.status == 1, "\(r.stderr)")
        #expect(r.stderr.contains("error: --solver-log: cannot write \(dir)/missing/glpk.log") && r.stderr.contains("the plan was not written"), "\(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/plan/plan.json"))
        let log = dir + "/glpk.log"
        #expect(try CLI.run(["optimize", try CLI.example(), "--out", dir + "/plan", "--solver-log", log, "-q"]).status == 0)
        #expect(try String(contentsOfFile: log, encoding: .utf8).contains("objective 1800"))
    }

    /// The messages were `NSCocoaErrorDomain error 512`, "A file with the same name already exists"
    /// and `cannot create : ...`.
    @Test func outputPathsThatCannotBeFoldersSaySo() throws {
        let dir = CLI.temporaryDirectory()
        let scenario = try CLI.example()
        try "x".write(toFile: dir + "/file", atomically: true, encoding: .utf8)
        let underFile = try CLI.run(["optimize", scenario, "--out", dir + "/file/plan"])
        #expect(underFile.status == 1 && underFile.stderr == "error: cannot write to \(dir)/file/plan: \(dir)/file is a file, not a folder\n", "\(underFile.stderr)")
        let deeper = try CLI.run(["optimize", scenario, "--out", dir + "/file/a/b"])
        #expect(deeper.status == 1 && deeper.stderr.contains("\(dir)/file is a file, not a folder"), "\(deeper.stderr)")
        let file = try CLI.run(["optimize", scenario, "--out", dir + "/file"])
        #expect(file.status == 1 && file.stderr.contains("\(dir)/file is a file, not a folder"), "\(file.stderr)")
        try FileManager.default.createSymbolicLink(atPath: dir + "/dangling", withDestinationPath: "/nonexistent/plan")
        let dangling = try CLI.run(["optimize", scenario, "--out", dir + "/dangling"])
        #expect(dangling.status == 1 && dangling.stderr.contains("\(dir)/dangling is a symbolic link to /nonexistent/plan, which does not exist"), "\(dangling.stderr)")
        let empty = try CLI.run(["optimize", scenario, "--out", ""])
        #expect(empty.status == 64 && empty.stderr.contains("--out must name a folder"), "\(empty.stderr)")
        #expect(try CLI.run(["export", scenario, "--out", ""]).status == 64)
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ["dangling", "file"])
    }
}
