import Foundation

/// Reads cooling models (`<name>.toml`) and finds them: the scenario's `cooling/` folder first,
/// then the shipped library (`Models/cooling/`).
public enum CoolingModelLoader {
    /// Model names are file names: no path separators, no leading dot.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix(".") && name.unicodeScalars.allSatisfy {
            ($0.properties.isAlphabetic && $0.isASCII) || ("0" ... "9").contains($0) || $0 == "-" || $0 == "_" || $0 == "."
        }
    }

    /// The shipped library: `$GREENSHIFT_COOLING_LIBRARY`, else `share/greenshift/cooling` beside
    /// the installed binary, else `Models/cooling` in a checkout holding the binary's build folder.
    public static func defaultLibraryDirectory() -> String? {
        if let env = ProcessInfo.processInfo.environment["GREENSHIFT_COOLING_LIBRARY"], !env.isEmpty { return env }
        // The running binary itself, however it was started (through $PATH, a relative path or a link).
        let executable = URL(fileURLWithPath: Bundle.main.executablePath ?? CommandLine.arguments.first ?? ".")
            .resolvingSymlinksInPath()
        var directory = executable.deletingLastPathComponent()
        let installed = directory.deletingLastPathComponent().appendingPathComponent("share/greenshift/cooling")
        if FileManager.default.fileExists(atPath: installed.path) { return installed.path }
        for _ in 0 ..< 6 {
            let candidate = directory.appendingPathComponent("Models/cooling")
            if FileManager.default.fileExists(atPath: candidate.path) { return candidate.path }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    /// Names of the models in a folder.
    public static func modelNames(in directory: String) -> [String] {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return files.filter { $0.hasSuffix(".toml") }.map { String($0.dropLast(5)) }.sorted()
    }

    /// Parses one model file; problems go to the returned diagnostics.
    public static func load(path: String, displayName: String, name: String) -> Result<CoolingModel, InputError> {
        let text: String
        switch TextFile.read(path, displayName: displayName) {
        case .success(let t): text = t
        case .failure(let d): return .failure(InputError([d]))
        }
        let document: TOMLDocument
        do {
            document = try TOMLDocument(parsing: text)
        } catch {
            return .failure(InputError([Diagnostic(file: displayName, line: error.position.line,
                                                   column: error.position.column, "TOML syntax: \(error.message)")]))
        }
        let reader = TOMLSchemaReader(file: displayName)
        let root = document.root
        reader.rejectUnknownKeys(root, allowed: ["description", "pue_curve"], context: "a cooling model")
        let description = reader.string(root, "description", context: "the cooling model", required: false)
        var points: [CoolingModel.Point] = []
        if let node = root["pue_curve"] {
            if case .array(let elements) = node.value {
                if elements.isEmpty { reader.report(node.position, "'pue_curve' needs at least one [temperature_c, pue] point") }
                for element in elements {
                    guard case .array(let pair) = element.value, pair.count == 2,
                          let t = pair[0].value.number, let p = pair[1].value.number else {
                        reader.report(element.position, "each point of 'pue_curve' must be [temperature_c, pue], two numbers")
                        continue
                    }
                    guard t.isFinite, p.isFinite else {
                        reader.report(element.position, "'pue_curve' points must be finite numbers")
                        continue
                    }
                    if p < 1 { reader.report(pair[1].position, "PUE must be >= 1.0, found \(formatNumber(p))") }
                    if let last = points.last, t <= last.temperatureC {
                        reader.report(pair[0].position,
                                      "temperatures in 'pue_curve' must be strictly increasing: \(formatNumber(t)) follows \(formatNumber(last.temperatureC))")
                    }
                    points.append(CoolingModel.Point(temperatureC: t, pue: p))
                }
            } else {
                reader.report(node.position, "'pue_curve' must be an array of [temperature_c, pue] points")
            }
        } else {
            reader.report(SourcePosition(line: 1, column: 1), "a cooling model needs 'pue_curve' (required)")
        }
        if !reader.diagnostics.isEmpty { return .failure(InputError(reader.diagnostics)) }
        return .success(CoolingModel(name: name, description: description, curve: points, source: path))
    }
}

extension TOMLValue {
    /// An integer or decimal as a Double.
    var number: Double? {
        switch self {
        case .integer(let i): return Double(i)
        case .float(let f): return f
        default: return nil
        }
    }
}
