import Foundation
import Testing
@testable import GreenShift

@Suite struct OutputDirectoryTests {
    func folder() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("greenshift-out-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func read(_ path: String) throws -> String { try String(contentsOfFile: path, encoding: .utf8) }

    /// A rename that fails midway (the second file's name is a folder that is not empty) puts
    /// back the files already renamed: the set stays the last good one.
    @Test func aFailedRenameRollsBackTheFilesAlreadyMoved() throws {
        let out = try folder()
        try OutputDirectory(path: out).write([("a.txt", "old a"), ("c.txt", "old c")])
        try FileManager.default.createDirectory(atPath: out + "/b.txt/inside", withIntermediateDirectories: true)
        let error = try #require(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: out).write([("a.txt", "new a"), ("c.txt", "new c"), ("b.txt", "new b")])
        }
        #expect(error.description.contains("to \(out)/b.txt") && error.description.contains("the previous files are kept"), "\(error)")
        #expect(try read(out + "/a.txt") == "old a" && read(out + "/c.txt") == "old c")
        let left = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(left == [".greenshift.lock", "a.txt", "b.txt", "c.txt"])
    }

    /// Names with a subfolder: it is created, its files join the set, and a failed write leaves
    /// the subfolder's last good files (or removes a subfolder it created).
    @Test func filesInASubfolderAreOneSetWithTheOthers() throws {
        let out = try folder()
        try OutputDirectory(path: out).write([("a.txt", "a1"), ("data/x.csv", "x1")])
        #expect(try read(out + "/a.txt") == "a1" && read(out + "/data/x.csv") == "x1")
        try FileManager.default.createDirectory(atPath: out + "/b.txt/inside", withIntermediateDirectories: true)
        #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: out).write([("a.txt", "a2"), ("data/x.csv", "x2"), ("b.txt", "b")])
        }
        #expect(try read(out + "/a.txt") == "a1" && read(out + "/data/x.csv") == "x1")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/data") == ["x.csv"])
        #expect(throws: OutputDirectory.WriteError.self) { try OutputDirectory(path: out).write([("new/y.csv", "y"), ("b.txt", "b")]) }
        #expect(!FileManager.default.fileExists(atPath: out + "/new"))
        // A file where the subfolder should be is a clear error.
        let error = try #require(throws: OutputDirectory.WriteError.self) { try OutputDirectory(path: out).write([("a.txt/z.csv", "z")]) }
        #expect(error.description == "cannot create \(out)/a.txt: \(out)/a.txt is a file, not a folder")
    }

    /// A subfolder the set owns keeps only the set's files of its kind: a CSV an earlier write left
    /// is removed, other files stay; a failed write removes nothing.
    @Test func anOwnedSubfolderKeepsOnlyTheSetsFilesOfItsKind() throws {
        let out = try folder()
        let owned = [OutputDirectory.OwnedFiles(folder: "data", suffix: ".csv")]
        try OutputDirectory(path: out).write([("a.txt", "a1"), ("data/x.csv", "x1"), ("data/old.csv", "old")], owning: owned)
        try "notes".write(toFile: out + "/data/notes.txt", atomically: true, encoding: .utf8)
        try FileManager.default.createDirectory(atPath: out + "/b.txt/inside", withIntermediateDirectories: true)
        #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory(path: out).write([("data/x.csv", "x2"), ("b.txt", "b")], owning: owned)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/data").sorted() == ["notes.txt", "old.csv", "x.csv"])
        try OutputDirectory(path: out).write([("a.txt", "a2"), ("data/x.csv", "x2")], owning: owned)
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/data").sorted() == ["notes.txt", "x.csv"])
        #expect(try read(out + "/data/x.csv") == "x2" && read(out + "/a.txt") == "a2")
        // Without `owning`, a write leaves the folder's other files alone.
        try OutputDirectory(path: out).write([("data/y.csv", "y")])
        #expect(try FileManager.default.contentsOfDirectory(atPath: out + "/data").sorted() == ["notes.txt", "x.csv", "y.csv"])
    }

    /// A file that did not exist before the failed write is removed again, not left half a set.
    @Test func aFailedRenameRemovesFilesThatAreNew() throws {
        let out = try folder()
        try FileManager.default.createDirectory(atPath: out + "/b.txt/inside", withIntermediateDirectories: true)
        #expect(throws: OutputDirectory.WriteError.self) { try OutputDirectory(path: out).write([("a.txt", "a"), ("b.txt", "b")]) }
        #expect(!FileManager.default.fileExists(atPath: out + "/a.txt"))
    }

    @Test func replaceFileKeepsThePreviousFileWhenTheWriterFails() throws {
        struct Failed: Error {}
        let out = try folder()
        let path = out + "/model.mps"
        try OutputDirectory.replaceFile(at: path, contents: "first")
        #expect(throws: OutputDirectory.WriteError.self) {
            try OutputDirectory.replaceFile(at: path) { temporary in
                try "half".write(toFile: temporary, atomically: false, encoding: .utf8)
                throw Failed()
            }
        }
        #expect(try read(path) == "first")
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["model.mps"])
        try OutputDirectory.replaceFile(at: path, contents: "second")
        #expect(try read(path) == "second")
    }

    /// What a signal handler removes: the temporary files listed, and the folders listed if empty.
    @Test func temporaryFilesAreRemovedByTheSignalPath() throws {
        let out = try folder()
        try FileManager.default.createDirectory(atPath: out + "/new/empty", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: out + "/kept", withIntermediateDirectories: true)
        try "user".write(toFile: out + "/kept/user.txt", atomically: false, encoding: .utf8)
        try "half".write(toFile: out + "/new/.plan.json.1.tmp", atomically: false, encoding: .utf8)
        // A list of its own: the process's list holds the files of tests writing meanwhile.
        let list = TemporaryFiles.List()
        for folder in ["/kept", "/new", "/new/empty"] { list.add(folder: out + folder) }
        list.add(file: out + "/new/.plan.json.1.tmp")
        list.removeAll()
        #expect(try FileManager.default.contentsOfDirectory(atPath: out) == ["kept"])
        #expect(try read(out + "/kept/user.txt") == "user")
    }
}
