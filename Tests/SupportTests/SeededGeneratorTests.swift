import Foundation
import Support
import Testing

@Suite("SeededGenerator")
struct SeededGeneratorTests {
    @Test("matches the xoshiro256** reference stream (scripts/fixtures/xoshiro_reference.py)")
    func referenceStream() {
        var g = SeededGenerator(seed: 42)
        #expect(
            (0..<5).map { _ in g.next() } == [
                1_546_998_764_402_558_742, 6_990_951_692_964_543_102, 12_544_586_762_248_559_009,
                17_057_574_109_182_124_193, 18_295_552_978_065_317_476,
            ])
        var unit = SeededGenerator(seed: 0)
        #expect((0..<3).map { _ in unit.nextUnitInterval() } == [0.6012629994179048, 0.7477740925472398, 0.10301998939503632])
    }

    @Test("standard normal draws have mean 0 and variance 1")
    func normalMoments() {
        var g = SeededGenerator(seed: 3)
        let draws = (0..<200_000).map { _ in g.nextStandardNormal() }
        let mean = draws.reduce(0, +) / Double(draws.count)
        let variance = draws.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(draws.count - 1)
        #expect(Swift.abs(mean) < 0.01)
        #expect(Swift.abs(variance - 1) < 0.01)
    }

    @Test("split streams are deterministic and differ from the parent")
    func split() {
        var a = SeededGenerator(seed: 5)
        var b = SeededGenerator(seed: 5)
        var childA = a.split()
        var childB = b.split()
        #expect(childA.next() == childB.next())
        #expect(a.next() != childA.next())
    }
}

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test("replaces the file whole and leaves no temporary behind")
    func replaces() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("regimen-atomic-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let url = directory.appendingPathComponent("out.json")
        try AtomicFile.write(Data("old".utf8), to: url)
        try AtomicFile.write(Data("new".utf8), to: url)
        #expect(try String(contentsOf: url, encoding: .utf8) == "new")
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["out.json"])
    }

    @Test("fails with the path named when the directory does not exist")
    func missingDirectory() {
        let url = URL(fileURLWithPath: "/nonexistent-regimen-dir/out.json")
        let error = #expect(throws: AtomicFile.WriteError.self) { try AtomicFile.write(Data(), to: url) }
        #expect(error?.description.hasPrefix("cannot write /nonexistent-regimen-dir/out.json") == true)
    }
}

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "FIPS 180-4 test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
        ])
    func vectors(_ pair: (String, String)) {
        #expect(SHA256.hex(Array(pair.0.utf8)) == pair.1)
    }

    @Test("a million 'a's")
    func long() {
        #expect(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }
}
