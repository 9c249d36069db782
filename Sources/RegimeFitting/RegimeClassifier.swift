import Foundation
import Layers
import Optimizers
import Regimes
import Support
import TensorModule

/// Predicts the regime at t + h from what is known at t: an MLP over the inputs at t, or a
/// GRU over the last L rows of inputs. Inputs are normalised features (missing values as 0,
/// their normal mean) and the HMM's filtered probabilities at t.
///
/// Given a base forecast (the HMM's own h-step forecast `p_t A^h`), the network predicts a
/// correction to it: logits = `log(base) + f(x)`, with the last layer of `f` starting at
/// zero, so the untrained classifier is exactly the HMM forecast and training (early-stopped
/// from that starting score) can only move it where validation says it helps.
package struct RegimeClassifier: Sendable {
    /// The network shape.
    package enum Architecture: String, Sendable, Codable, CaseIterable {
        case mlp, gru
    }

    /// Training settings.
    package struct Settings: Sendable, Codable {
        package var architecture = Architecture.mlp
        package var hidden = 32
        /// GRU window length L.
        package var window = 10
        package var learningRate = 0.003
        package var epochs = 150
        package var batchSize = 64
        /// Stop when validation log-loss has not improved for this many epochs.
        package var patience = 15
        /// Weight classes by inverse frequency (for rare regimes).
        package var classWeights = false
        package var seed: UInt64 = 7

        package init() {}
    }

    /// The layers of each architecture.
    enum Network: Sendable {
        /// Two hidden layers over the inputs at t.
        case mlp(MLP<Float>)
        /// A GRU over the last L rows, its last hidden state read by a linear head.
        case gru(GRU<Float>, head: Linear<Float>)
    }

    package let settings: Settings
    package let inputs: Int
    package let classes: Int
    let network: Network

    /// Every trainable parameter, named for safetensors.
    package var parameters: [Parameter<Float>] {
        switch network {
        case .mlp(let mlp): mlp.parameters
        case .gru(let gru, let head): gru.parameters + head.parameters
        }
    }

    package init(inputs: Int, classes: Int, settings: Settings) {
        self.settings = settings
        self.inputs = inputs
        self.classes = classes
        var g = SeededGenerator(seed: settings.seed)
        switch settings.architecture {
        case .mlp:
            network = .mlp(
                MLP(inputs: inputs, hidden: [settings.hidden, settings.hidden], outputs: classes, name: "classifier", using: &g))
        case .gru:
            let gru = GRU<Float>(inputs: inputs, hidden: settings.hidden, name: "classifier.gru", using: &g)
            let head = Linear<Float>(
                inputs: settings.hidden, outputs: classes, name: "classifier.head", initializer: .xavierUniform(), using: &g)
            network = .gru(gru, head: head)
        }
        // The last layer starts at zero: the output is the base forecast until trained.
        let last: Linear<Float>
        switch network {
        case .mlp(let mlp): last = mlp.layers.last!
        case .gru(_, let head): last = head
        }
        for parameter in last.parameters {
            parameter.assign(Tensor(shape: parameter.shape, scalars: Array(repeating: 0, count: parameter.value.scalars.count)))
        }
    }

    /// The model's input for row t: `[inputs]` (MLP) or `[L, inputs]` (GRU, rows t-L+1...t;
    /// rows before the first are zeros).
    func example(_ features: [[Float]], row: Int) -> [Float] {
        guard settings.architecture == .gru else { return features[row] }
        return (0..<settings.window).flatMap { k -> [Float] in
            let r = row - settings.window + 1 + k
            return r >= 0 ? features[r] : Array(repeating: 0, count: inputs)
        }
    }

    /// Logits for rows: the network's correction added to the log of the base forecast.
    /// - Parameter base: per feature row, the base forecast's probabilities (nil: uniform).
    func logits(_ features: [[Float]], rows: [Int], base: [[Double]]?) -> Tensor<Float> {
        let flat = rows.flatMap { example(features, row: $0) }
        let correction: Tensor<Float>
        switch network {
        case .mlp(let mlp):
            correction = mlp(Tensor(shape: [rows.count, inputs], scalars: flat))
        case .gru(let gru, let head):
            correction = head(gru(Tensor<Float>(shape: [rows.count, settings.window, inputs], scalars: flat)).last)
        }
        guard let base else { return correction }
        let offsets = rows.flatMap { row in base[row].map { Float(Foundation.log(Swift.max($0, 1e-12))) } }
        return correction + Tensor(shape: [rows.count, classes], scalars: offsets)
    }

    /// Class probabilities for rows (no graph recorded).
    /// - Parameter base: per feature row, the base forecast the network corrects (nil: none).
    package func probabilities(_ features: [[Float]], rows: [Int], base: [[Double]]? = nil) -> [[Double]] {
        guard !rows.isEmpty else { return [] }
        let p = GradientRecording.withoutGradients { logits(features, rows: rows, base: base).softmax(alongAxis: 1) }
        return rows.indices.map { i in (0..<classes).map { Double(p.scalars[i * classes + $0]) } }
    }

    /// Trains on `trainRows` (labels = regime at each row + h, given in `targets[row]`) with
    /// Adam and early stopping on `validationRows` log-loss; the best epoch's parameters are
    /// kept. Seeded: the same inputs give the same parameters.
    /// - Returns: the per-epoch training and validation losses.
    @discardableResult
    package func train(
        _ features: [[Float]], targets: [Int], trainRows: [Int], validationRows: [Int], base: [[Double]]? = nil
    ) -> [(train: Double, validation: Double)] {
        var g = SeededGenerator(seed: settings.seed &+ 1)
        var counts = [Double](repeating: 0, count: classes)
        for row in trainRows { counts[targets[row]] += 1 }
        let weights: [Float]? =
            settings.classWeights
            ? counts.map { $0 > 0 ? Float(Double(trainRows.count) / (Double(classes) * $0)) : 0 } : nil
        var adam = Adam<Float>(learningRate: settings.learningRate)
        let validationLoss = {
            ClassificationMetrics(
                probabilities: probabilities(features, rows: validationRows, base: base),
                labels: validationRows.map { targets[$0] }
            ).logLoss
        }
        // The untrained classifier (the base forecast, or uniform without one) is the score to beat.
        var stopping = EarlyStopping(
            goal: .minimise, patience: settings.patience, minimumImprovement: 1e-6, startingScore: validationLoss(),
            parameters: parameters)
        var history: [(Double, Double)] = []
        var order = trainRows
        for _ in 0..<settings.epochs {
            if stopping.shouldStop { break }
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(g.next() % UInt64(i + 1))) }
            var total = 0.0
            for start in stride(from: 0, to: order.count, by: settings.batchSize) {
                let batch = Array(order[start..<min(start + settings.batchSize, order.count)])
                let loss = logits(features, rows: batch, base: base).crossEntropy(
                    labels: batch.map { targets[$0] }, classWeights: weights)
                var gradients = loss.gradients()
                gradients.clipGlobalNorm(5, of: parameters)
                adam.step(parameters, gradients: gradients)
                total += Double(loss.scalar) * Double(batch.count)
            }
            let validation = validationLoss()
            history.append((total / Double(order.count), validation))
            stopping.record(validation, parameters: parameters)
        }
        stopping.restoreBest(into: parameters)
        return history
    }
}
