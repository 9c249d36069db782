import PropertyBased
import Support
import TensorModule
import Testing

/// Properties of broadcasting over random shapes (x-sheep/swift-property-based).
@Suite("Broadcasting properties")
struct BroadcastPropertyTests {
    /// A random shape of rank 1...3 with extents 1...4, and a second shape made from it by
    /// dropping leading axes and setting some extents to 1 (so the two broadcast).
    static func pair(_ shape: [Int], _ ones: [Bool], _ dropped: Int) -> ([Int], [Int]) {
        let reduced = zip(shape, ones).map { $1 ? 1 : $0 }
        return (shape, Array(reduced.dropFirst(Swift.min(dropped, shape.count - 1))))
    }

    static let extents = Gen.int(in: 1...4).array(of: 1...3)
    static let masks = Gen.bool.array(of: 3...3)
    static let drops = Gen.int(in: 0...2)

    static func values(_ shape: [Int], seed: UInt64) -> Tensor<Double> {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: shape, scalars: (0..<shape.elementCount).map { _ in g.nextStandardNormal() })
    }

    @Test("a + b equals a + broadcast(b), and b's gradient is the broadcast-reduced upstream")
    func addMatchesExplicitBroadcast() async {
        await propertyCheck(count: 100, input: Self.extents, Self.masks, Self.drops) { shape, ones, dropped in
            let (big, small) = Self.pair(shape, ones, dropped)
            let a = Self.values(big, seed: 1)
            let b = Self.values(small, seed: 2).requiringGradient()
            let sum = a + b
            #expect(sum.shape == big)
            #expect(sum.scalars == (a + b.detached.broadcast(to: big)).scalars)
            let gradient = sum.gradients(seed: Tensor.ones(big))[b]
            let copies = Double(big.elementCount / Swift.max(small.elementCount, 1))
            #expect(gradient?.shape == small)
            #expect(gradient?.scalars.allSatisfy { $0 == copies } == true)
        }
    }

    @Test("summing back to the original shape inverts broadcasting up to the copy count")
    func sumInvertsBroadcast() async {
        await propertyCheck(count: 100, input: Self.extents, Self.masks, Self.drops) { shape, ones, dropped in
            let (big, small) = Self.pair(shape, ones, dropped)
            let x = Self.values(small, seed: 3)
            let roundTrip = x.broadcast(to: big).summed(toShape: small)
            let copies = Double(big.elementCount / Swift.max(small.elementCount, 1))
            #expect(zip(roundTrip.scalars, x.scalars).allSatisfy { Swift.abs($0 - copies * $1) < 1e-12 })
        }
    }
}
