/// Gathers dataset problems so that `data validate` reports them all in one pass (a user
/// fixes a file once), up to `limit`; `DatasetReader.load` then throws the first.
struct ProblemCollector {
    /// Thrown to stop reading once `limit` problems are collected.
    struct LimitReached: Error {}

    let limit: Int
    private(set) var problems: [DatasetError] = []

    init(limit: Int = 50) {
        self.limit = limit
    }

    /// Records `problem`; throws `LimitReached` at the limit.
    mutating func report(_ problem: DatasetError) throws {
        problems.append(problem)
        if problems.count >= limit { throw LimitReached() }
    }
}
