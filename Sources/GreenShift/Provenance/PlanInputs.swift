import Foundation

/// What a plan was made from (plan.json's `inputs`): every scenario file the loader read, by its
/// path in the scenario folder and SHA-256, the cooling models the nodes use, and the program's
/// version. A scheduler, or `greenshift verify`, compares it with the scenario it has.
public struct PlanInputs: Sendable, Decodable, Equatable {
    public struct File: Sendable, Decodable, Equatable {
        /// Relative to the scenario folder, `/`-separated: `scenario.toml`, `timeseries/price.csv`.
        public var path: String
        public var sha256: String
    }

    public struct CoolingModelFile: Sendable, Decodable, Equatable {
        public var name: String
        /// `scenario` for the scenario's own `cooling/<name>.toml`, `library` for the shipped one.
        public var origin: String
        /// Relative to the scenario folder (origin `scenario`) or to the library (origin `library`).
        public var path: String
        public var sha256: String
    }

    public var greenshiftVersion: String
    public var files: [File]
    public var coolingModels: [CoolingModelFile]

    enum CodingKeys: String, CodingKey {
        case greenshiftVersion = "greenshift_version", files, coolingModels = "cooling_models"
    }

    public init(greenshiftVersion: String = GreenShiftVersion.current, files: [File], coolingModels: [CoolingModelFile]) {
        (self.greenshiftVersion, self.files, self.coolingModels) = (greenshiftVersion, files, coolingModels)
    }

    /// The inputs of `scenario`, loaded from `directory`: the files `ScenarioLoader` read, hashed
    /// now. Call it right after loading; a file that vanished since is bad input.
    public static func of(_ scenario: Scenario, directory: String) throws(InputError) -> PlanInputs {
        var relative = ["scenario.toml"]
        relative += ScenarioLoader.requiredSeries.map { "timeseries/\($0).csv" }
        if scenario.pricePerMWh != nil { relative.append("timeseries/price.csv") }
        if scenario.marginalKgPerMWh != nil { relative.append("timeseries/\(ScenarioLoader.marginalSeries).csv") }
        relative += scenario.classes.map { "timeseries/demand_\($0.id).csv" }
        if TextFile.exists(path(directory, StateLoader.fileName)) { relative.append(StateLoader.fileName) }
        var problems: [Diagnostic] = []
        func hash(_ file: String) -> String {
            switch SHA256.hex(ofFileAt: file) {
            case .success(let digest): return digest
            case .failure(let error):
                problems.append(Diagnostic(file: file, "cannot be read again to record its SHA-256: \(error.localizedDescription)"))
                return ""
            }
        }
        let files = relative.map { File(path: $0, sha256: hash(path(directory, $0))) }
        // One entry per model, in the order the nodes first name them.
        var seen = Set<String>()
        var models: [CoolingModelFile] = []
        for model in scenario.cooling where seen.insert(model.name).inserted {
            // The loader looks in the scenario's cooling/ first, by this very path, then in the library.
            let own = "cooling/\(model.name).toml"
            let inScenario = model.source == path(directory, own)
            models.append(CoolingModelFile(name: model.name, origin: inScenario ? "scenario" : "library",
                                           path: inScenario ? own : (model.source as NSString).lastPathComponent,
                                           sha256: hash(model.source)))
        }
        guard problems.isEmpty else { throw InputError(problems) }
        return PlanInputs(files: files, coolingModels: models)
    }

    private static func path(_ directory: String, _ relative: String) -> String {
        (directory as NSString).appendingPathComponent(relative)
    }

    /// How the inputs `now` differ from these, the plan's: one line per file, empty when they are
    /// the same. The version is not compared: the same files give the same plan's constraints.
    public func differences(from now: PlanInputs) -> [String] {
        var lines: [String] = []
        let planFiles = Dictionary(files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        let nowFiles = Dictionary(now.files.map { ($0.path, $0.sha256) }, uniquingKeysWith: { a, _ in a })
        for file in files {
            guard let digest = nowFiles[file.path] else { lines.append("\(file.path) missing (the plan was made with it)"); continue }
            if digest != file.sha256 { lines.append("\(file.path) changed") }
        }
        for file in now.files where planFiles[file.path] == nil {
            lines.append("\(file.path) added (the plan was made without it)")
        }
        func describe(_ m: CoolingModelFile) -> String { "cooling model '\(m.name)' (\(m.origin) \(m.path))" }
        let nowModels = Dictionary(now.coolingModels.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for model in coolingModels {
            guard let current = nowModels[model.name] else { lines.append("\(describe(model)) no longer used"); continue }
            if current.origin != model.origin || current.path != model.path {
                lines.append("\(describe(model)) is now read from \(current.origin) \(current.path)")
            } else if current.sha256 != model.sha256 {
                lines.append("\(describe(model)) changed")
            }
        }
        let planModels = Set(coolingModels.map(\.name))
        for model in now.coolingModels where !planModels.contains(model.name) {
            lines.append("\(describe(model)) newly used")
        }
        return lines
    }
}

extension PlanInputs {
    public func json() -> JSON {
        .object([
            (CodingKeys.greenshiftVersion.rawValue, .string(greenshiftVersion)),
            (CodingKeys.files.rawValue, .array(files.map { .object([("path", .string($0.path)), ("sha256", .string($0.sha256))]) })),
            (CodingKeys.coolingModels.rawValue, .array(coolingModels.map {
                .object([("name", .string($0.name)), ("origin", .string($0.origin)), ("path", .string($0.path)),
                         ("sha256", .string($0.sha256))])
            })),
        ])
    }
}
