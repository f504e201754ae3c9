// swift-tools-version:6.0
// libFuzzer targets for greenshift's input readers. Built by `make fuzz` with
// `-sanitize=fuzzer,address`; each target runs the real loader on the fuzzed bytes.
import PackageDescription

let package = Package(
    name: "greenshift-fuzz",
    dependencies: [.package(name: "greenshift", path: "..")],
    targets: [
        .target(name: "FuzzSupport", dependencies: [.product(name: "GreenShift", package: "greenshift")]),
        .executableTarget(name: "FuzzCSV", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzScenarioTOML", dependencies: ["FuzzSupport"]),
        .executableTarget(name: "FuzzCoolingModel", dependencies: ["FuzzSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
