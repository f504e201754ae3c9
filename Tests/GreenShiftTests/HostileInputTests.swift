import Foundation
import Testing
@testable import GreenShift

/// Files a nightly export can turn into: huge, not files at all, links going nowhere.
/// Each must be bad input (a diagnostic naming the file), never a hang or a crash.
@Suite struct HostileInputTests {
    func diagnostics(_ prepare: (String) throws -> Void) throws -> [Diagnostic] {
        let directory = try ScenarioFixture.twoNodes.write()
        try prepare(directory)
        do {
            _ = try ScenarioLoader(directory: directory, coolingLibrary: ScenarioFixture.coolingLibrary).load()
            return []
        } catch {
            return error.diagnostics
        }
    }

    func replaceRenewables(_ directory: String, with make: (String) throws -> Void) throws {
        let path = directory + "/timeseries/renewable_mw.csv"
        try FileManager.default.removeItem(atPath: path)
        try make(path)
    }

    @Test func aOneGigabyteFileIsRefusedWithoutReadingIt() throws {
        let found = try diagnostics { dir in
            try replaceRenewables(dir) { path in
                FileManager.default.createFile(atPath: path, contents: nil)
                let handle = FileHandle(forWritingAtPath: path)!
                try handle.truncate(atOffset: 1 << 30)  // sparse: no gigabyte is written
                try handle.close()
            }
        }
        #expect(found.contains { $0.file.hasSuffix("renewable_mw.csv") && $0.message.contains("larger than") })
    }

    @Test func aPipeIsNotReadFrom() throws {
        let found = try diagnostics { dir in try replaceRenewables(dir) { path in #expect(mkfifo(path, 0o644) == 0) } }
        #expect(found.contains { $0.file.hasSuffix("renewable_mw.csv") && $0.message.contains("not a regular file") })
    }

    @Test func symbolicLinkLoopsAndDanglingLinks() throws {
        let loop = try diagnostics { dir in
            try replaceRenewables(dir) { path in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: path) }
        }
        #expect(loop.contains { $0.file.hasSuffix("renewable_mw.csv") && $0.message.contains("symbolic link loop") })
        let dangling = try diagnostics { dir in
            try replaceRenewables(dir) { path in try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/nonexistent/x.csv") }
        }
        #expect(dangling.contains { $0.message.contains("symbolic link to nothing") })
        let scenarioLoop = try diagnostics { dir in
            try FileManager.default.removeItem(atPath: dir + "/scenario.toml")
            try FileManager.default.createSymbolicLink(atPath: dir + "/scenario.toml", withDestinationPath: dir + "/scenario.toml")
        }
        #expect(scenarioLoop.contains { $0.file.hasSuffix("scenario.toml") && $0.message.contains("loop") })
    }

    @Test func aFolderWhereAFileBelongs() throws {
        let found = try diagnostics { dir in try replaceRenewables(dir) { path in try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false) } }
        #expect(found.contains { $0.message.contains("is a folder") })
    }

    @Test(.enabled(if: geteuid() != 0, "root reads files whatever their permissions"))
    func anUnreadableFile() throws {
        let found = try diagnostics { dir in chmod(dir + "/timeseries/renewable_mw.csv", 0) }
        #expect(found.contains { $0.message.contains("permission denied") })
    }
}

/// Nesting that overflowed the stack (SIGSEGV) in scenario.toml and in a cooling model: bad
/// input at the place where the limit is passed.
@Suite struct DeepNestingTests {
    @Test func inScenarioTOML() throws {
        let directory = try ScenarioFixture.twoNodes.write()
        let path = directory + "/scenario.toml"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        try ("x = " + String(repeating: "[", count: 40_000) + "\n" + text).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) {
            try ScenarioLoader(directory: directory, coolingLibrary: ScenarioFixture.coolingLibrary).load()
        }
        #expect(error.diagnostics.count == 1)
        let d = try #require(error.diagnostics.first)
        #expect(d.file.hasSuffix("scenario.toml") && d.line == 1 && d.column == 4 + TOMLDocument.maximumNesting)
        #expect(d.message.contains("nested more than 128 levels deep"))
    }

    @Test func inACoolingModel() throws {
        let directory = try ScenarioFixture.twoNodes.write()
        let path = directory + "/cooling/flat-1.5.toml"
        try ("description = \"deep\"\npue_curve = " + String(repeating: "{ a = ", count: 100_000)).write(toFile: path, atomically: true, encoding: .utf8)
        let error = try #require(throws: InputError.self) {
            try ScenarioLoader(directory: directory, coolingLibrary: ScenarioFixture.coolingLibrary).load()
        }
        #expect(error.diagnostics.contains { $0.file.hasSuffix("flat-1.5.toml") && $0.line == 2 && $0.message.contains("nested more than 128") })
    }
}
