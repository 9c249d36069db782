import Layers
import Optimizers
import Support
import TensorModule
import Testing

/// Optimiser updates against the update rules written out by hand (PyTorch's formulas).
@Suite("Optimisers, clipping and schedules")
struct OptimizerTests {
    /// A parameter [1, -2] and the gradients of `sum(c * p)` for a fixed `c`.
    static func setup(_ c: [Double]) -> (Parameter<Double>, Gradients<Double>) {
        let p = Parameter(Tensor<Double>(shape: [2], scalars: [1, -2]), name: "p")
        return (p, (p.value * Tensor(shape: [2], scalars: c)).sum().gradients())
    }

    @Test("SGD with momentum: v1 = g, v2 = mu v1 + g")
    func sgdMomentum() {
        let (p, g) = Self.setup([0.5, -1])
        var sgd = SGD<Double>(learningRate: 0.1, momentum: 0.9)
        sgd.step([p], gradients: g)
        #expect(p.value.scalars == [1 - 0.05, -2 + 0.1])
        sgd.step([p], gradients: g)
        #expect(zip(p.value.scalars, [0.95 - 0.1 * 0.95, -1.9 + 0.1 * 1.9]).allSatisfy { Swift.abs($0 - $1) < 1e-15 })
    }

    @Test("SGD with Nesterov momentum and weight decay")
    func sgdNesterov() {
        let (p, g) = Self.setup([0.5, -1])
        var sgd = SGD<Double>(learningRate: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.1)
        sgd.step([p], gradients: g)
        // g' = g + 0.1 p = [0.6, -1.2]; v = g'; step = g' + 0.9 v = 1.9 g'.
        #expect(zip(p.value.scalars, [1 - 0.1 * 1.9 * 0.6, -2 + 0.1 * 1.9 * 1.2]).allSatisfy { Swift.abs($0 - $1) < 1e-15 })
    }

    @Test("Adam's first step moves each weight by lr * g / (|g| + eps)")
    func adamFirstStep() {
        let (p, g) = Self.setup([0.5, -1])
        var adam = Adam<Double>(learningRate: 0.01)
        adam.step([p], gradients: g)
        let expected = [1 - 0.01 * 0.5 / (0.5 + 1e-8), -2 + 0.01 * 1 / (1 + 1e-8)]
        #expect(zip(p.value.scalars, expected).allSatisfy { Swift.abs($0 - $1) < 1e-15 })
        #expect(adam.steps == 1)
    }

    @Test("AdamW decays the weight before the Adam step; Adam's L2 goes through the moments")
    func decoupledDecay() {
        let (p, g) = Self.setup([0.5, -1])
        var adamW = Adam<Double>.adamW(learningRate: 0.01, weightDecay: 0.1)
        adamW.step([p], gradients: g)
        let shrunk = [1 * (1 - 0.001), -2 * (1 - 0.001)]
        let expected = [shrunk[0] - 0.01 * 0.5 / (0.5 + 1e-8), shrunk[1] + 0.01 / (1 + 1e-8)]
        #expect(zip(p.value.scalars, expected).allSatisfy { Swift.abs($0 - $1) < 1e-15 })

        let (q, h) = Self.setup([0.5, -1])
        var adam = Adam<Double>(learningRate: 0.01, weightDecay: 0.1)
        adam.step([q], gradients: h)
        // g' = g + 0.1 q = [0.6, -1.2]: the first step is still lr * sign(g').
        #expect(
            zip(q.value.scalars, [1 - 0.01 * 0.6 / (0.6 + 1e-8), -2 + 0.01 * 1.2 / (1.2 + 1e-8)]).allSatisfy {
                Swift.abs($0 - $1) < 1e-15
            })
    }

    @Test("clipping by global norm rescales to the bound and reports the norm before")
    func clipping() {
        let a = Parameter(Tensor<Double>(shape: [2], scalars: [0, 0]), name: "a")
        let b = Parameter(Tensor<Double>(shape: [1], scalars: [0]), name: "b")
        let loss = (a.value * Tensor(shape: [2], scalars: [3, 4])).sum() + (b.value * Tensor(shape: [1], scalars: [12])).sum()
        var gradients = loss.gradients()
        #expect(gradients.globalNorm(of: [a, b]) == 13)
        #expect(gradients.clipGlobalNorm(1, of: [a, b]) == 13)
        #expect(Swift.abs(gradients.globalNorm(of: [a, b]) - 1) < 1e-6)
        var small = loss.gradients()
        small.clipGlobalNorm(100, of: [a, b])
        #expect(small[a]?.scalars == [3, 4])
    }

    @Test("step decay and cosine with warm-up")
    func schedules() {
        let step = StepDecay(base: 1, interval: 10, factor: 0.5)
        #expect([0, 9, 10, 25].map(step.rate(atStep:)) == [1, 1, 0.5, 0.25])
        let cosine = CosineWithWarmup(peak: 1, floor: 0.1, warmupSteps: 4, totalSteps: 14)
        #expect(cosine.rate(atStep: 0) == 0.25)
        #expect(cosine.rate(atStep: 3) == 1)
        #expect(Swift.abs(cosine.rate(atStep: 9) - 0.55) < 1e-12)
        #expect(cosine.rate(atStep: 14) == 0.1)
        #expect(cosine.rate(atStep: 100) == 0.1)
    }

    @Test("initialisers respect their bounds and are reproducible")
    func initialisers() {
        var g1 = SeededGenerator(seed: 1)
        var g2 = SeededGenerator(seed: 1)
        let a: Tensor<Double> = Initializer.xavierUniform().tensor(shape: [30, 20], fanIn: 20, fanOut: 30, using: &g1)
        let b: Tensor<Double> = Initializer.xavierUniform().tensor(shape: [30, 20], fanIn: 20, fanOut: 30, using: &g2)
        #expect(a == b)
        let bound = (6.0 / 50).squareRoot()
        #expect(a.scalars.allSatisfy { Swift.abs($0) <= bound })
        #expect(a.scalars.max()! > 0.9 * bound)
        let k: Tensor<Double> = Initializer.kaimingNormal.tensor(shape: [200, 100], fanIn: 100, fanOut: 200, using: &g1)
        let variance = k.scalars.reduce(0) { $0 + $1 * $1 } / Double(k.count)
        #expect(Swift.abs(variance - 0.02) < 0.001)
    }
}
