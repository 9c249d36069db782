/// Gathers dataset problems: loaders stop at the first (`stopAtFirst`); `data validate`
/// keeps going so a user can fix a file in one pass, up to `limit` problems.
struct ProblemCollector {
    /// Thrown to stop reading once `limit` problems are collected.
    struct LimitReached: Error {}

    let stopAtFirst: Bool
    let limit: Int
    private(set) var problems: [DatasetError] = []

    init(stopAtFirst: Bool, limit: Int = 50) {
        self.stopAtFirst = stopAtFirst
        self.limit = limit
    }

    /// Records `problem`; throws it when stopping at the first, or `LimitReached`.
    mutating func report(_ problem: DatasetError) throws {
        if stopAtFirst { throw problem }
        problems.append(problem)
        if problems.count >= limit { throw LimitReached() }
    }
}
