import Foundation
import GreenShift

/// Runs the scenario loader on a valid scenario in which one file holds the fuzzed bytes.
/// Any outcome but a crash, a hang or a sanitizer report is fine: loaded, or bad input.
public enum FuzzHarness {
    /// A minimal valid scenario: one node, two hourly periods, one class.
    static let baseFiles: [String: String] = [
        "scenario.toml": """
            [scenario]
            name = "fuzz"
            start = "2026-11-27T00:00:00+08:00"
            period_minutes = 60
            periods = 2
            [[nodes]]
            id = "n"
            capacity_cu = 100
            idle_it_mw = 0.1
            it_mw_per_cu = 0.001
            cooling_model = "m"
            [[classes]]
            id = "c"
            deadline_hours = 1
            """,
        "cooling/m.toml": "pue_curve = [[0.0, 1.2], [30.0, 1.5]]\n",
        "timeseries/renewable_mw.csv": "timestamp,n\n2026-11-27T00:00:00+08:00,1\n2026-11-27T01:00:00+08:00,2\n",
        "timeseries/carbon_intensity.csv": "timestamp,n\n2026-11-27T00:00:00+08:00,500\n2026-11-27T01:00:00+08:00,400\n",
        "timeseries/temperature_c.csv": "timestamp,n\n2026-11-27T00:00:00+08:00,-3\n2026-11-27T01:00:00+08:00,4\n",
        "timeseries/demand_c.csv": "timestamp,n\n2026-11-27T00:00:00+08:00,50\n2026-11-27T01:00:00+08:00,20\n",
    ]

    nonisolated(unsafe) static var directory: String?

    /// Writes the base scenario once, then `file` with the fuzzed bytes, and loads it.
    public static func load(replacing file: String, with data: UnsafeRawBufferPointer) {
        let dir = directory ?? {
            let d = NSTemporaryDirectory() + "greenshift-fuzz-\(getpid())"
            for (path, text) in baseFiles {
                let full = d + "/" + path
                try! FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try! text.write(toFile: full, atomically: false, encoding: .utf8)
            }
            directory = d
            return d
        }()
        let path = dir + "/" + file
        try! Data(data).write(to: URL(fileURLWithPath: path))
        _ = try? ScenarioLoader(directory: dir, coolingLibrary: nil).load()
        try! baseFiles[file]!.write(toFile: path, atomically: false, encoding: .utf8)
    }
}

/// libFuzzer's driver (compiler-rt), for executables whose `main` SwiftPM provides.
@_silgen_name("LLVMFuzzerRunDriver")
public func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<Int32>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32) -> Int32
