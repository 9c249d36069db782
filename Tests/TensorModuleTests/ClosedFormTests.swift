import Foundation
import TensorModule
import Testing

/// Calculus on exact small inputs: each test states the function and its derivative.
@Suite("Closed-form values and derivatives")
struct ClosedFormTests {
    @Test("d/dx sum(x^2) = 2x")
    func square() {
        let x = Tensor<Double>(shape: [3], scalars: [1, -2, 3]).requiringGradient()
        let gradients = x.squared().sum().gradients()
        #expect(gradients[x]?.scalars == [2, -4, 6])
    }

    @Test("d/da sum(a * b) = b and d/db = a, with b broadcast from [1, 2]")
    func productWithBroadcast() {
        let a = Tensor<Double>(shape: [2, 2], scalars: [1, 2, 3, 4]).requiringGradient()
        let b = Tensor<Double>(shape: [1, 2], scalars: [10, 20]).requiringGradient()
        let gradients = (a * b).sum().gradients()
        #expect(gradients[a]?.scalars == [10, 20, 10, 20])
        #expect(gradients[b]?.scalars == [4, 6])
        #expect(gradients[b]?.shape == [1, 2])
    }

    @Test("C = A B: dA = G B^T and dB = A^T G with G = 1")
    func matrixProduct() {
        let a = Tensor<Double>(shape: [1, 2], scalars: [1, 2]).requiringGradient()
        let b = Tensor<Double>(shape: [2, 2], scalars: [3, 4, 5, 6]).requiringGradient()
        let c = Tensor.matmul(a, b)
        #expect(c.scalars == [13, 16])
        let gradients = c.sum().gradients()
        #expect(gradients[a]?.scalars == [7, 11])
        #expect(gradients[b]?.scalars == [1, 1, 2, 2])
    }

    @Test("gradients from two backward passes accumulate")
    func accumulation() {
        let x = Tensor<Double>(shape: [2], scalars: [1, 2]).requiringGradient()
        var total = (x * 3).sum().gradients()
        total.accumulate((x * x).sum().gradients())
        #expect(total[x]?.scalars == [5, 7])
    }

    @Test("softmax rows sum to one and log-softmax is its logarithm")
    func softmax() {
        let x = Tensor<Double>(shape: [2, 3], scalars: [1, 2, 3, 1000, 1000, 1000])
        let s = x.softmax()
        #expect(Swift.abs(s.scalars[0..<3].reduce(0, +) - 1) < 1e-15)
        #expect(s.scalars[3..<6].allSatisfy { Swift.abs($0 - 1.0 / 3) < 1e-15 })
        let l = x.logSoftmax()
        #expect(zip(l.scalars, s.scalars).allSatisfy { Swift.abs($0 - Foundation.log($1)) < 1e-12 })
    }

    @Test("softplus and sigmoid stay finite for large |x|")
    func stableActivations() {
        let x = Tensor<Double>(shape: [4], scalars: [-800, -30, 30, 800])
        #expect(x.softplus().scalars.allSatisfy { $0.isFinite })
        #expect(x.softplus().scalars[3] == 800)
        #expect(x.sigmoid().scalars == [0, x.sigmoid().scalars[1], x.sigmoid().scalars[2], 1])
    }

    @Test("noGrad records nothing, even from inputs that require gradients")
    func noGrad() {
        let x = Tensor<Double>(shape: [2], scalars: [1, 2]).requiringGradient()
        let y = GradientRecording.withoutGradients { (x * x).exp() }
        #expect(!y.requiresGradient)
        #expect((x * x).requiresGradient)
    }

    @Test("constants record nothing and yield no gradients")
    func constants() {
        let x = Tensor<Double>(shape: [2], scalars: [1, 2])
        let y = (x * x).sum()
        #expect(!y.requiresGradient)
        #expect(y.gradients().count == 0)
    }

    @Test("a long chain of 20,000 ops differentiates without recursion")
    func deepGraph() {
        let x = Tensor<Double>(shape: [1], scalars: [0.5]).requiringGradient()
        var y = x
        for _ in 0..<20_000 { y = y * 1.0001 }
        let gradient = y.sum().gradients()[x]!.scalar
        #expect(Swift.abs(gradient - Foundation.pow(1.0001, 20_000)) < 1e-6)
    }
}
