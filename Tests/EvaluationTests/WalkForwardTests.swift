import Backtest
import Market
import PropertyBased
import Testing

@Suite("Walk-forward folds")
struct WalkForwardTests {
    /// Daily dates from `start` for `count` rows.
    static func dailyDates(from start: Timestamp, count: Int) -> [Timestamp] {
        (0..<count).map { Timestamp(secondsSinceEpoch: Int64(start.dayNumber + $0) * 86_400, isDateOnly: true) }
    }

    /// Daily dates 2019-01-01 .. 2024-12-31.
    static let sixYears = dailyDates(from: Timestamp(year: 2019, month: 1, day: 1), count: 2192)

    static func row(_ text: String, _ dates: [Timestamp] = sixYears) -> Int { dates.firstIndex(of: Timestamp(parsing: text)!)! }

    /// The folds' test ranges as first and last dates.
    static func testDates(_ folds: [WalkForward.Fold], _ dates: [Timestamp] = sixYears) -> [String] {
        folds.map { "\(dates[$0.test.lowerBound])..\(dates[$0.test.upperBound])" }
    }

    @Test("train never overlaps test, tests tile the range once, train ends right before test, no short last fold")
    func properties() async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...60), Gen.int(in: 1...40), Gen.int(in: 0...300), Gen.bool) {
            train, test, length, rolling in
            let range = (train + 5)...(train + 5 + length)
            let dates = Self.dailyDates(from: Timestamp(year: 2020, month: 1, day: 1), count: range.upperBound + 1)
            let spec = WalkForwardSpec(train: .periods(train), test: .periods(test), window: rolling ? .rolling : .expanding)
            let folds = try #require(try? spec.folds(dates: dates, returnRows: range))
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
            if folds.count >= 2 { #expect(2 * folds.last!.test.count >= test) }
        }
    }

    @Test("calendar folds step by whole years from --from, leap years included (the contract's example)")
    func calendarYears() throws {
        let spec = try WalkForwardSpec(parsing: "4y:1y:expanding")
        let folds = try spec.folds(dates: Self.sixYears, returnRows: Self.row("2023-01-01")...Self.row("2024-12-31"))
        #expect(Self.testDates(folds) == ["2023-01-01..2023-12-31", "2024-01-01..2024-12-31"])
        #expect(folds.allSatisfy { Self.sixYears[$0.train.lowerBound].description == "2019-01-01" })
        #expect(folds[1].test.count == 366)
    }

    @Test("a one-day remainder joins the previous fold (730:365 over 2023-2024, 731 days)")
    func noStubFold() throws {
        let spec = try WalkForwardSpec(parsing: "730:365:expanding")
        let folds = try spec.folds(dates: Self.sixYears, returnRows: Self.row("2023-01-01")...Self.row("2024-12-31"))
        #expect(folds.map(\.test.count) == [365, 366])
        // Negative control: a remainder of half a test length or more stays a fold of its own.
        let longer = try WalkForwardSpec(parsing: "730:400:expanding")
            .folds(dates: Self.sixYears, returnRows: Self.row("2023-01-01")...Self.row("2024-12-31"))
        #expect(longer.map(\.test.count) == [400, 331])
    }

    @Test("a month from the 31st ends on a shorter month's last day; rolling calendar training windows")
    func calendarMonths() throws {
        let spec = try WalkForwardSpec(parsing: "1y:1m:rolling")
        let folds = try spec.folds(dates: Self.sixYears, returnRows: Self.row("2024-01-31")...Self.row("2024-04-29"))
        #expect(Self.testDates(folds) == ["2024-01-31..2024-02-28", "2024-02-29..2024-03-30", "2024-03-31..2024-04-29"])
        #expect(folds.map { Self.sixYears[$0.train.lowerBound].description } == ["2023-01-31", "2023-02-28", "2023-03-31"])
        let days = try WalkForwardSpec(parsing: "90d:30d").folds(
            dates: Self.sixYears, returnRows: Self.row("2024-01-01")...Self.row("2024-01-31"))
        #expect(Self.testDates(days) == ["2024-01-01..2024-01-31"])
        #expect(days[0].train.count == 90)
    }

    @Test(
        "specifications outside the grammar or its bounds are refused with the grammar (64), never a trap",
        arguments: [
            "", "30", "0:30", "-5:30", "30:0", "a:b", "5:5:sideways", "4y:1y:rolling:x", "101y:1y", "1y:1201m", "36501d:1d",
            "9223372036854775807:1", "1000001:1", "4y:-1y", "4Y:1y", "1.5y:1y",
        ])
    func refusals(text: String) {
        #expect(throws: WalkForwardSpec.Problem.self) { try WalkForwardSpec(parsing: text) }
        let problem = try? WalkForwardSpec(parsing: text)
        #expect(problem == nil)
    }

    @Test("accepted forms parse to their lengths (the refusals' positive control)")
    func accepted() throws {
        #expect(try WalkForwardSpec(parsing: "1461:365") == .init(train: .periods(1461), test: .periods(365), window: .expanding))
        #expect(try WalkForwardSpec(parsing: "4y:6m:rolling") == .init(train: .years(4), test: .months(6), window: .rolling))
        #expect(try WalkForwardSpec(parsing: "90d:30d:expanding").description == "90d:30d:expanding")
        #expect((try WalkForwardSpec(parsing: "100y:1200m")).train == .years(100))
    }

    @Test("a training length that does not fit before the first test row is refused (64), in periods and in years")
    func trainingDoesNotFit() throws {
        let range = Self.row("2020-01-01")...Self.row("2020-12-31")
        for text in ["5000:180:expanding", "2y:1y", "366:30:rolling"] {
            let spec = try WalkForwardSpec(parsing: text)
            #expect(throws: WalkForwardSpec.Problem.self) { try spec.folds(dates: Self.sixYears, returnRows: range) }
        }
        // The positive control: exactly the data's first year fits.
        #expect(try WalkForwardSpec(parsing: "1y:1y").folds(dates: Self.sixYears, returnRows: range).count == 1)
        #expect(try WalkForwardSpec(parsing: "365:1y").folds(dates: Self.sixYears, returnRows: range).count == 1)
    }
}
