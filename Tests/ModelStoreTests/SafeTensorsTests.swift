import Foundation
import ModelStore
import Support
import TensorModule
import TestSupport
import Testing

@Suite("safetensors")
struct SafeTensorsTests {
    @Test("reads the file Python's safetensors wrote (Fixtures/python.safetensors)")
    func readsPythonFixture() throws {
        // Made by scripts/fixtures/make_safetensors_fixture.py (safetensors 0.8.0, numpy).
        let file = try SafeTensorsFile(contentsOf: Fixtures.url("python.safetensors"))
        #expect(file.metadata == ["format": "pt", "made_by": "scripts/fixtures/make_safetensors_fixture.py"])
        #expect(file.tensors.count == 4)
        let weight = try #require(file.tensors["linear.weight"]?.tensor(as: Float.self))
        #expect(weight.shape == [2, 3])
        #expect(weight.scalars == (0..<6).map { Float($0) * 0.5 - 1 })
        #expect(file.tensors["linear.bias"]?.tensor(as: Float.self)?.scalars == [0.25, -0.75])
        let scale = try #require(file.tensors["scale"]?.tensor(as: Double.self))
        #expect(scale.shape == [])
        #expect(scale.scalar == 3.141592653589793)
        #expect(file.tensors["table"]?.tensor(as: Double.self)?.scalars == (0..<6).map { Double($0) / 7 })
        #expect(file.tensors["table"]?.tensor(as: Float.self) == nil, "no silent conversion between dtypes")
    }

    @Test("what Regimen writes reads back equal, and the bytes are the same every time")
    func roundTrip() throws {
        let original = SafeTensorsFile(
            tensors: [
                "b.weight": .float32(Tensor(shape: [2, 2], scalars: [1, -2, .pi, 1e-30])),
                "a.scalar": .float64(Tensor(shape: [], scalars: [-0.1])),
                "c.empty": .float64(Tensor(shape: [0, 3], scalars: [])),
                "d.\"quoted\"": .float32(Tensor(shape: [1], scalars: [.infinity])),
            ],
            metadata: ["model": "regimen", "note": "line\nbreak"])
        let directory = try Fixtures.temporaryDirectory()
        let url = directory.appendingPathComponent("weights.safetensors")
        try original.write(to: url)
        let loaded = try SafeTensorsFile(contentsOf: url)
        #expect(loaded == original)
        #expect(original.encoded() == loaded.encoded())
        let bytes = try Data(contentsOf: url)
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        #expect(headerLength % 8 == 0)
        // Nothing else is left in the directory (the temporary file was renamed).
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["weights.safetensors"])
    }

    @Test("parameters save and load by name; a failed load changes nothing")
    func parameters() throws {
        let weight = Parameter(Tensor<Float>(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]), name: "fc.weight")
        let bias = Parameter(Tensor<Float>(shape: [2], scalars: [7, 8]), name: "fc.bias")
        let file = SafeTensorsFile(parameters: [weight, bias])
        let decoded = try SafeTensorsFile(decoding: file.encoded(), source: "mem")
        let weight2 = Parameter(Tensor<Float>.zeros([2, 3]), name: "fc.weight")
        let bias2 = Parameter(Tensor<Float>.zeros([2]), name: "fc.bias")
        try decoded.load(into: [weight2, bias2], source: "mem")
        #expect(weight2.value == weight.value && bias2.value == bias.value)

        let wrongShape = Parameter(Tensor<Float>.zeros([3, 2]), name: "fc.weight")
        let untouched = Parameter(Tensor<Float>.zeros([2]), name: "fc.bias")
        let error = #expect(throws: SafeTensorsError.self) {
            try decoded.load(into: [untouched, wrongShape], source: "model.safetensors")
        }
        #expect(error?.description == "model.safetensors: tensor 'fc.weight' should be F32 [3, 2] but is F32 [2, 3]")
        #expect(untouched.value.scalars == [0, 0])

        let missing = Parameter(Tensor<Float>.zeros([2]), name: "fc.scale")
        let missingError = #expect(throws: SafeTensorsError.self) { try decoded.load(into: [missing], source: "m") }
        #expect(missingError?.description == "m: tensor 'fc.scale' is missing")

        let double = Parameter(Tensor<Double>.zeros([2]), name: "fc.bias")
        let dtypeError = #expect(throws: SafeTensorsError.self) { try decoded.load(into: [double], source: "m") }
        #expect(dtypeError?.description == "m: tensor 'fc.bias' should be F64 [2] but is F32 [2]")
    }

    static let damaged: [(String, [UInt8], String)] = {
        func file(_ header: String, data: Int) -> [UInt8] {
            let h = Array(header.utf8)
            return withUnsafeBytes(of: UInt64(h.count).littleEndian) { Array($0) } + h + Array(repeating: 0, count: data)
        }
        return [
            ("too short", [1, 2, 3], "x: not a safetensors file: the 8-byte header length or the header is truncated"),
            (
                "header past the end", [255, 0, 0, 0, 0, 0, 0, 0, 123],
                "x: not a safetensors file: the 8-byte header length or the header is truncated"
            ),
            ("not JSON", file("{nope", data: 0), "x: malformed safetensors header: not valid JSON"),
            (
                "unsupported dtype", file(#"{"t":{"dtype":"BF16","shape":[1],"data_offsets":[0,2]}}"#, data: 2),
                "x: tensor 't' has dtype BF16; supported: F32, F64"
            ),
            (
                "offsets do not match the shape", file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: 4),
                "x: tensor 't' has data offsets that do not match its shape or the data buffer"
            ),
            (
                "offsets past the end", file(#"{"t":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: 4),
                "x: tensor 't' has data offsets that do not match its shape or the data buffer"
            ),
            (
                "trailing bytes", file(#"{"t":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}"#, data: 8),
                "x: malformed safetensors header: the data buffer has 4 bytes no tensor accounts for"
            ),
        ]
    }()

    @Test("damaged files are rejected with a message naming the file and the rule", arguments: 0..<damaged.count)
    func damagedFile(_ index: Int) {
        let (_, bytes, message) = Self.damaged[index]
        let error = #expect(throws: SafeTensorsError.self) { try SafeTensorsFile(decoding: Data(bytes), source: "x") }
        #expect(error?.description == message)
    }
}

@Suite("safetensors written by Regimen")
struct WrittenSafeTensorsTests {
    /// The file Regimen writes for two layers' parameters. Its committed copy,
    /// `Fixtures/regimen.safetensors`, was checked with Python's safetensors by
    /// `scripts/fixtures/check_safetensors.py`; regenerate it (only after a deliberate
    /// format change) with `REGIMEN_REGENERATE_FIXTURES=1 swift test --filter WrittenSafeTensors`.
    static func sample() -> SafeTensorsFile {
        SafeTensorsFile(
            tensors: [
                "mlp.0.weight": .float32(Tensor(shape: [3, 2], scalars: [0.5, -1.25, 2, 1e-3, -7, 3.5])),
                "mlp.0.bias": .float32(Tensor(shape: [3], scalars: [0, 0.125, -0.5])),
                "normalisation.mean": .float64(Tensor(shape: [2], scalars: [0.1, -2.718281828459045])),
            ],
            metadata: ["format": "regimen", "version": "1"])
    }

    @Test("encoding is byte-identical to the committed file Python verified")
    func matchesCommittedFile() throws {
        let url = Fixtures.url("regimen.safetensors")
        if ProcessInfo.processInfo.environment["REGIMEN_REGENERATE_FIXTURES"] == "1" {
            try Self.sample().write(to: url)
        }
        #expect(try Data(contentsOf: url) == Self.sample().encoded())
        #expect(try SafeTensorsFile(contentsOf: url) == Self.sample())
    }
}
