// swift-tools-version:6.1
// Regimen: a Swift trainer for adaptive crypto portfolio allocation.
// Module layout and dependency direction: see README.md ("Layout") and ../shared/STYLE.md.
import PackageDescription

/// One set of Swift settings for every target (swift-nio's habit).
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("MemberImportVisibility")
]

let package = Package(
    name: "Regimen",
    products: [
        .executable(name: "regimen", targets: ["RegimenCLI"]),
        .executable(name: "regimen-infer", targets: ["RegimenInfer"]),
        .executable(name: "regimen-bench", targets: ["RegimenBench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-numerics", from: "1.0.0"),
        .package(url: "https://github.com/x-sheep/swift-property-based", from: "2.0.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "5.0.0"),
    ],
    targets: [
        // OpenBLAS (CBLAS + LAPACK) through pkg-config; apt: libopenblas-dev.
        .systemLibrary(
            name: "CBLAS",
            pkgConfig: "openblas",
            providers: [.apt(["libopenblas-dev"])]
        ),
        // The git revision the build was made from, stamped by the RevisionStamp plugin (a
        // prebuild command running `git rev-parse HEAD`), for `--version` and manifests.
        .plugin(name: "RevisionStamp", capability: .buildTool()),
        .target(name: "BuildStamp", swiftSettings: swiftSettings, plugins: ["RevisionStamp"]),
        .target(name: "Support", dependencies: ["Yams", "BuildStamp"], swiftSettings: swiftSettings),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS"], swiftSettings: swiftSettings),
        // Inline C math the loop vectoriser can widen (an IEEE square root without errno).
        .target(name: "CVectorMath"),
        .target(
            name: "TensorModule",
            dependencies: [
                "LinearAlgebra", "CVectorMath",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Layers",
            dependencies: [
                "TensorModule", "Support",
                .product(name: "RealModule", package: "swift-numerics"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Optimizers",
            dependencies: ["TensorModule", .product(name: "RealModule", package: "swift-numerics")],
            swiftSettings: swiftSettings
        ),
        .target(name: "Market", dependencies: ["Yams", "Support"], swiftSettings: swiftSettings),
        .target(name: "Features", dependencies: ["Market", "Support"], swiftSettings: swiftSettings),
        .target(name: "Risk", dependencies: ["Market", "LinearAlgebra", "Support"], swiftSettings: swiftSettings),
        .target(
            name: "Portfolio", dependencies: ["Market", "Risk", "Options", "LinearAlgebra", "Support", "Yams"],
            swiftSettings: swiftSettings),
        // The window rules a sleeve policy mixes (linked by the daily job); the online rules,
        // bcrp's hindsight and the backtest sessions stay in Baselines, which it does not link.
        .target(
            name: "WindowRules", dependencies: ["Market", "Risk", "Portfolio", "LinearAlgebra", "Support"],
            swiftSettings: swiftSettings),
        .target(
            name: "Baselines", dependencies: ["Market", "Risk", "Portfolio", "WindowRules", "LinearAlgebra", "Support"],
            swiftSettings: swiftSettings),
        .target(
            name: "Backtest", dependencies: ["Market", "Risk", "Portfolio", "Options", "Support"], swiftSettings: swiftSettings),
        .target(
            name: "Artifacts", dependencies: ["Market", "Risk", "Portfolio", "Options", "Support"], swiftSettings: swiftSettings),
        .target(name: "Options", dependencies: ["Market", "Support"], swiftSettings: swiftSettings),
        .target(
            name: "Evaluation",
            dependencies: [
                "Market", "Risk", "Portfolio", "Baselines", "Backtest", "Options", "Policy", "ModelStore", "Training", "Support",
            ],
            swiftSettings: swiftSettings),
        // The one error-to-exit-status map of the executables (ArgumentParser's ExitCode).
        .target(
            name: "CommandSupport",
            dependencies: ["Support", .product(name: "ArgumentParser", package: "swift-argument-parser")],
            swiftSettings: swiftSettings),
        .target(name: "Tracking", dependencies: ["Support"], swiftSettings: swiftSettings),
        .target(
            name: "Sweep",
            dependencies: [
                "Market", "Risk", "Portfolio", "Backtest", "Baselines", "Evaluation", "Training", "Tracking", "LinearAlgebra",
                "Support",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Regimes", dependencies: ["LinearAlgebra", "Market", "Features", "Support"],
            swiftSettings: swiftSettings),
        .target(
            name: "RegimeFitting",
            dependencies: [
                "Regimes", "LinearAlgebra", "TensorModule", "Layers", "Optimizers", "Market", "Features", "ModelStore", "Support",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Policy",
            dependencies: [
                "TensorModule", "Layers", "Market", "Features", "Risk", "Portfolio", "WindowRules", "Regimes", "ModelStore",
                "Options", "Support",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Training",
            dependencies: [
                "TensorModule", "Layers", "Optimizers", "Market", "Features", "Risk", "Portfolio", "Backtest", "Baselines",
                "Regimes", "RegimeFitting", "Policy", "Options",
                "ModelStore", "Tracking", "Support",
            ],
            swiftSettings: swiftSettings),
        .target(
            name: "Inference",
            dependencies: [
                "Market", "Features", "Risk", "Portfolio", "Regimes", "Policy", "ModelStore", "Artifacts", "Options", "Support",
            ],
            swiftSettings: swiftSettings),
        // `regimen monitor`: replays the daily job's history through the job's own code and the
        // simulator (so it sits above both; the daily job never links it).
        .target(
            name: "Monitoring",
            dependencies: [
                "Inference", "Backtest", "Artifacts", "Policy", "Features", "Regimes", "Market", "Portfolio", "Risk",
                "ModelStore", "Support",
            ],
            swiftSettings: swiftSettings),
        .target(name: "ModelStore", dependencies: ["TensorModule", "Support"], swiftSettings: swiftSettings),
        .executableTarget(
            name: "RegimenCLI",
            dependencies: [
                "Market", "Features", "Risk", "Portfolio", "Baselines", "Backtest", "Artifacts", "Evaluation", "Regimes",
                "RegimeFitting", "ModelStore", "Policy", "Options", "Sweep",
                "Training", "Monitoring",
                "Support", "CommandSupport", "Yams",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RegimenInfer",
            dependencies: [
                "Inference", "Market", "ModelStore", "Portfolio", "LinearAlgebra", "Support", "CommandSupport",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "RegimenBench",
            dependencies: [
                "LinearAlgebra", "TensorModule", "Layers", "Optimizers", "Support", "Market", "Backtest", "Baselines",
                "Portfolio", "Regimes", "RegimeFitting",
                "Policy", "ModelStore", "Training", "Evaluation",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "TestSupport",
            dependencies: ["TensorModule", "Market", "Support", "Training"],
            path: "Tests/TestSupport",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SupportTests", dependencies: ["Support"], resources: [.copy("Fixtures")], swiftSettings: swiftSettings),
        .testTarget(
            name: "LinearAlgebraTests",
            dependencies: ["LinearAlgebra", "Support"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "TensorModuleTests",
            dependencies: [
                "TensorModule", "TestSupport", "Support",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "LayersTests",
            dependencies: ["Layers", "Optimizers", "TensorModule", "LinearAlgebra", "TestSupport", "Support"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "OptimizersTests",
            dependencies: ["Optimizers", "Layers", "TensorModule", "TestSupport", "Support"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ModelStoreTests",
            dependencies: ["ModelStore", "TensorModule", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "MarketTests", dependencies: ["Market", "Support", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "FeaturesTests", dependencies: ["Features", "Market", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RiskTests", dependencies: ["Risk", "Market", "LinearAlgebra", "Support", "TestSupport"], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "BaselinesTests", dependencies: ["Baselines", "Portfolio", "Risk", "Market", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PortfolioTests",
            dependencies: [
                "Portfolio", "Risk", "Support", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "BacktestTests", dependencies: ["Backtest", "Baselines", "Portfolio", "Risk", "Market", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "EvaluationTests",
            dependencies: [
                "Evaluation", "Backtest", "Baselines", "Market", "Policy", "Portfolio", "Risk", "Support", "Training",
                "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "RegimesTests",
            dependencies: ["Regimes", "RegimeFitting", "Market", "Features", "Support", "TensorModule", "TestSupport"],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "TrainingTests",
            dependencies: [
                "Training", "Inference", "Artifacts", "Policy", "RegimeFitting", "Optimizers", "ModelStore", "Backtest",
                "Baselines", "WindowRules",
                "Portfolio", "Risk", "Features", "Regimes", "Market", "TensorModule", "Support", "TestSupport",
                .product(name: "PropertyBased", package: "swift-property-based"),
            ],
            exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "PolicyTests",
            dependencies: ["Policy", "Portfolio", "Features", "Layers", "Market", "TensorModule", "Support", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "InferenceTests",
            dependencies: [
                "Inference", "Artifacts", "Backtest", "Features", "Market", "Options", "Policy", "Portfolio", "Risk", "Support",
                "Training",
                "TestSupport",
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ArtifactsTests", dependencies: ["Artifacts", "Market", "Options", "Portfolio", "Support", "TestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "OptionsTests",
            dependencies: [
                "Options", "Market", "Support", "TestSupport", .product(name: "PropertyBased", package: "swift-property-based"),
            ], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MonitoringTests", dependencies: ["Monitoring"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
        .testTarget(
            name: "CLITests", dependencies: ["TestSupport", "Support"], exclude: ["Fixtures"], swiftSettings: swiftSettings),
    ]
)

// The fuzzing harness (issue 12), built only by `scripts/fuzz.sh` (REGIMEN_FUZZ=1, with
// `-sanitize=fuzzer,address`): without libFuzzer's main it would not link.
if Context.environment["REGIMEN_FUZZ"] == "1" {
    package.targets.append(
        .executableTarget(
            name: "RegimenFuzz",
            dependencies: [
                "Artifacts", "Features", "Market", "ModelStore", "Policy", "Portfolio", "Regimes", "Risk", "Support",
                "Training",
            ],
            path: "Fuzz/RegimenFuzz",
            swiftSettings: swiftSettings + [.unsafeFlags(["-parse-as-library"])]))
}
