import Foundation
import TestSupport
import Testing

/// The daily job links no training code (STYLE.md section 2): the package graph, read from
/// `swift package describe --type json`, must not reach fitting, optimisers, training,
/// evaluation, the backtest or the online and hindsight baselines from the `regimen-infer`
/// product. `WindowRules` is linked, and only it of the baselines: a sleeve-mixture policy
/// decides from the window rules' portfolios at the decision row.
@Suite("package graph")
struct PackageGraphTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..")
        .standardized

    /// Targets that fit or train models, or replay history (the online baselines' sessions and
    /// bcrp's hindsight): none may be linked into the daily job.
    static let forbiddenInDailyJob: Set<String> = [
        "Training", "Evaluation", "Backtest", "RegimeFitting", "Optimizers", "Baselines", "Sweep",
    ]

    /// Target name -> the package's own targets it depends on.
    static func targetGraph() throws -> (targets: [String: [String]], products: [String: [String]]) {
        let describe = try Executables.runSwiftPackage(["describe", "--type", "json"], in: repository)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(describe.utf8)) as? [String: Any])
        let targets = try #require(json["targets"] as? [[String: Any]])
        let products = try #require(json["products"] as? [[String: Any]])
        var graph: [String: [String]] = [:]
        for target in targets {
            graph[target["name"] as! String] = target["target_dependencies"] as? [String] ?? []
        }
        var productTargets: [String: [String]] = [:]
        for product in products { productTargets[product["name"] as! String] = product["targets"] as? [String] ?? [] }
        return (graph, productTargets)
    }

    /// Every target reachable from `roots` (the roots included).
    static func closure(of roots: [String], in graph: [String: [String]]) -> Set<String> {
        var seen = Set<String>()
        var stack = roots
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack.append(contentsOf: graph[next] ?? []) }
        }
        return seen
    }

    @Test(
        "regimen-infer links no fitting, optimiser, training, evaluation, backtest or online-baseline code; the window rules only"
    )
    func dailyJobIsLean() throws {
        let (graph, products) = try Self.targetGraph()
        let linked = Self.closure(of: try #require(products["regimen-infer"]), in: graph)
        #expect(linked.contains("Inference") && linked.contains("Policy") && linked.contains("Regimes"))
        #expect(linked.contains("WindowRules"))
        #expect(
            linked.isDisjoint(with: Self.forbiddenInDailyJob), "linked: \(linked.intersection(Self.forbiddenInDailyJob).sorted())"
        )
    }

    @Test("negative control: the researcher's tool does link the training code")
    func researcherToolLinksTraining() throws {
        let (graph, products) = try Self.targetGraph()
        let linked = Self.closure(of: try #require(products["regimen"]), in: graph)
        #expect(Self.forbiddenInDailyJob.isSubset(of: linked))
    }
}
