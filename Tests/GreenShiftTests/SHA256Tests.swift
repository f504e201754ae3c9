import Foundation
import GreenShift
import Testing

/// The SHA-256 that fingerprints a plan's inputs, against FIPS 180-4's examples and `sha256sum`.
@Suite struct SHA256Tests {
    @Test(arguments: [
        ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
        ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
        // 448 bits: the padding needs a second block.
        ("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"),
        // 896 bits (FIPS 180-4's second two-block example, from SHA-512's set).
        ("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
         "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"),
    ])
    func nistVectors(message: String, digest: String) {
        #expect(SHA256.hex(Array(message.utf8)) == digest)
    }

    @Test func aMillionAs() {
        #expect(SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Every length around the block and padding edges, fed whole and in uneven pieces, agrees.
    @Test func piecesGiveTheSameDigestAsTheWhole() {
        let bytes = (0 ..< 300).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        for length in [0, 1, 55, 56, 57, 63, 64, 65, 119, 120, 128, 300] {
            let message = Array(bytes.prefix(length))
            var hash = SHA256()
            var rest = message[...]
            var size = 1
            while !rest.isEmpty {
                hash.update(rest.prefix(size))
                rest = rest.dropFirst(size)
                size = size * 3 % 70 + 1
            }
            #expect(SHA256.hex(message) == hash.finalize().map { String(format: "%02x", $0) }.joined(), "length \(length)")
        }
    }

    /// A 1 MB file of varied bytes, read in chunks, against coreutils' `sha256sum`.
    @Test func aFileAgreesWithSha256sum() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sha256-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        var state: UInt64 = 42
        let bytes = (0 ..< 1_000_003).map { _ -> UInt8 in
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 56)
        }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let expected = String(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).prefix(64))
        process.waitUntilExit()
        #expect(process.terminationStatus == 0 && expected.count == 64)
        #expect(try SHA256.hex(ofFileAt: path).get() == expected)
        #expect(SHA256.hex(bytes) == expected)
    }

    @Test func anUnreadableFileSaysWhy() {
        guard case .failure(let error) = SHA256.hex(ofFileAt: "/nonexistent/file") else { Issue.record("read a missing file"); return }
        #expect(error.code == .ENOENT)
    }
}
