import Market
import Testing

@Suite("Timestamps")
struct TimestampTests {
    @Test(
        "dates and RFC 3339 times round-trip",
        arguments: ["1970-01-01", "2000-02-29", "2024-12-31", "2021-03-04T05:06:07Z", "1969-12-31T23:59:59Z"])
    func roundTrip(_ text: String) throws {
        #expect(try #require(Timestamp(parsing: text)).description == text)
    }

    @Test(
        "invalid dates and other formats are rejected",
        arguments: [
            "2023-02-29", "2021-13-01", "01/03/2024", "2021-1-01", "2021-03-04 05:06:07", "2021-03-04T05:06:07+01:00",
            "2021-03-04T24:00:00Z", "",
        ])
    func rejects(_ text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test("weekdays and day numbers")
    func calendar() throws {
        let monday = try #require(Timestamp(parsing: "2024-01-01"))
        #expect(monday.weekday == 0)
        #expect(try #require(Timestamp(parsing: "2024-01-07")).weekday == 6)
        #expect(monday.dayNumber == 19_723)
        #expect(try #require(Timestamp(parsing: "2024-01-01T13:00:00Z")).day == monday)
    }

    @Test("periods per year: 365 with weekends, 252 without, scaled for intraday")
    func periodsPerYear() {
        let start = Timestamp(year: 2024, month: 1, day: 1).secondsSinceEpoch
        let daily = (0..<30).map { Timestamp(secondsSinceEpoch: start + Int64($0) * 86_400, isDateOnly: true) }
        #expect(PeriodsPerYear.infer(from: daily) == 365)
        #expect(PeriodsPerYear.infer(from: daily.filter { $0.weekday < 5 }) == 252)
        let hourly = (0..<(24 * 8)).map { Timestamp(secondsSinceEpoch: start + Int64($0) * 3600, isDateOnly: false) }
        #expect(PeriodsPerYear.infer(from: hourly) == 365 * 24)
    }
}
