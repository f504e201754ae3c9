// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "greenshift",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "greenshift", targets: ["GreenShiftCLI"]),
        .library(name: "GreenShift", targets: ["GreenShift"]),
        .library(name: "LinearProgramming", targets: ["LinearProgramming"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
    ],
    targets: [
        // GLPK's C API (Debian: libglpk-dev). No pkg-config file ships, so a module map links it.
        .systemLibrary(name: "CGLPK", providers: [.apt(["libglpk-dev"])]),
        // A safe Swift layer over GLPK that knows nothing of data centers.
        .target(name: "LinearProgramming", dependencies: ["CGLPK"]),
        // The domain: scenario, cooling, formulation, plan, report.
        .target(name: "GreenShift", dependencies: ["LinearProgramming"]),
        // The command line.
        .executableTarget(name: "GreenShiftCLI", dependencies: [
            "GreenShift",
            .product(name: "ArgumentParser", package: "swift-argument-parser"),
        ]),
        .testTarget(name: "LinearProgrammingTests", dependencies: ["LinearProgramming"]),
        // Runs the built `greenshift` binary as a user would: exit codes, messages, files.
        .testTarget(name: "GreenShiftCLITests", dependencies: ["GreenShiftCLI"], exclude: ["Fixtures"]),
        .testTarget(name: "GreenShiftTests", dependencies: ["GreenShift", "LinearProgramming"],
                    resources: [.copy("Fixtures")]),
    ],
    swiftLanguageModes: [.v6]
)
