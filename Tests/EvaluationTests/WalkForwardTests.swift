import Backtest
import PropertyBased
import Testing

@Suite("Walk-forward folds")
struct WalkForwardTests {
    @Test("train never overlaps test, tests tile the range exactly once, train ends right before test")
    func properties() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...60), Gen.int(in: 1...40), Gen.int(in: 0...300), Gen.bool) {
            train, test, length, rolling in
            let range = (train + 5)...(train + 5 + length)
            let folds = WalkForward(range: range, trainLength: train, testLength: test, window: rolling ? .rolling : .expanding)
                .folds
            var covered: [Int] = []
            for fold in folds {
                #expect(fold.train.upperBound == fold.test.lowerBound - 1)
                #expect(!fold.train.overlaps(fold.test))
                #expect(fold.train.lowerBound >= 0)
                if rolling {
                    #expect(fold.train.count == train)
                } else {
                    #expect(fold.train.lowerBound == range.lowerBound - train)
                }
                covered += Array(fold.test)
            }
            #expect(covered == Array(range))
        }
    }
}
