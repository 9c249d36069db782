import Foundation
import Market
import Support

/// A 3-asset daily market with a strong, learnable signal, for training and inference tests.
package enum SignalMarket {
    /// A market with a learnable signal: asset A's daily return follows the sign of its
    /// previous return (strong momentum), B and C are noise with a negative drift.
    package static func make() throws -> (Dataset, String) {
        var g = SeededGenerator(seed: 41)
        var prices: [[Double]] = [[100, 100, 100]]
        var previous = 0.01
        for _ in 1..<420 {
            let a = 0.012 * (previous > 0 ? 1 : -1) + 0.004 * g.nextStandardNormal()
            previous = a
            let b = -0.002 + 0.02 * g.nextStandardNormal()
            let c = -0.002 + 0.02 * g.nextStandardNormal()
            let last = prices.last!
            prices.append([last[0] * (1 + a), last[1] * (1 + b), last[2] * (1 + c)])
        }
        var text = "date,A,B,C\n"
        let start = Timestamp(year: 2020, month: 1, day: 1).secondsSinceEpoch
        for (t, row) in prices.enumerated() {
            text +=
                Timestamp(secondsSinceEpoch: start + Int64(t) * 86_400, isDateOnly: true).description + ","
                + row.map { String($0) }.joined(separator: ",") + "\n"
        }
        let directory = try Fixtures.temporaryDirectory()
        try text.write(to: directory.appendingPathComponent("prices.csv"), atomically: true, encoding: .utf8)
        return (try DatasetReader.load(directory: directory.path), directory.path)
    }
}
