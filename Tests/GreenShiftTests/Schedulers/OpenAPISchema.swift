import Foundation

/// Checks a JSON value (as JSONSerialization reads it) against a CRD's structural OpenAPI v3
/// schema the way the API server would before admitting it: types, required and unknown fields
/// (a structural schema prunes them; here they are errors), enums, patterns, lengths, bounds,
/// list-map keys. CEL rules (`x-kubernetes-validations`) are not evaluated: the tests state those
/// they rely on in Swift.
struct OpenAPISchema {
    let root: [String: Any]

    func violations(of value: Any) -> [String] {
        var found: [String] = []
        check(value, root, path: "", into: &found)
        return found
    }

    private func check(_ value: Any, _ schema: [String: Any], path: String, into found: inout [String]) {
        let at = path.isEmpty ? "the object" : path
        if schema["x-kubernetes-int-or-string"] as? Bool == true {
            if isInteger(value) { return }
            guard let s = value as? String else { found.append("\(at): must be an integer or a string"); return }
            checkString(s, schema, at, &found)
            return
        }
        if let anyOf = schema["anyOf"] as? [[String: Any]],
           !anyOf.contains(where: { OpenAPISchema(root: $0).violations(of: value).isEmpty }) {
            found.append("\(at): matches none of anyOf")
        }
        switch schema["type"] as? String {
        case "object":
            guard let object = value as? [String: Any] else { found.append("\(at): must be an object"); return }
            for key in schema["required"] as? [String] ?? [] where object[key] == nil {
                found.append("\(at): required field '\(key)' is missing")
            }
            let properties = schema["properties"] as? [String: [String: Any]]
            let additional = schema["additionalProperties"] as? [String: Any]
            let preserve = schema["x-kubernetes-preserve-unknown-fields"] as? Bool == true
            for (key, member) in object.sorted(by: { $0.key < $1.key }) {
                let memberPath = path.isEmpty ? key : "\(path).\(key)"
                if let sub = properties?[key] {
                    check(member, sub, path: memberPath, into: &found)
                } else if let additional {
                    check(member, additional, path: memberPath, into: &found)
                } else if properties != nil, !preserve {
                    found.append("\(memberPath): unknown field")
                }
                // An object with neither properties nor additionalProperties (metadata) is the API server's own.
            }
        case "array":
            guard let array = value as? [Any] else { found.append("\(at): must be an array"); return }
            if let min = schema["minItems"] as? Int, array.count < min { found.append("\(at): fewer than \(min) items") }
            if let max = schema["maxItems"] as? Int, array.count > max { found.append("\(at): more than \(max) items") }
            if let items = schema["items"] as? [String: Any] {
                for (k, item) in array.enumerated() { check(item, items, path: "\(path)[\(k)]", into: &found) }
            }
            if schema["x-kubernetes-list-type"] as? String == "map", let keys = schema["x-kubernetes-list-map-keys"] as? [String] {
                let identities = array.map { item in keys.map { "\((item as? [String: Any])?[$0] ?? "")" }.joined(separator: "/") }
                if Set(identities).count != identities.count { found.append("\(at): duplicate \(keys.joined(separator: ", ")) in a list-map") }
            }
            if schema["x-kubernetes-list-type"] as? String == "set", Set(array.map { "\($0)" }).count != array.count {
                found.append("\(at): duplicate items in a set")
            }
        case "string":
            guard let s = value as? String else { found.append("\(at): must be a string"); return }
            checkString(s, schema, at, &found)
        case "integer":
            guard isInteger(value) else { found.append("\(at): must be an integer"); return }
            checkNumber((value as! NSNumber).doubleValue, schema, at, &found)
        case "number":
            guard let n = value as? NSNumber, !isBoolean(value) else { found.append("\(at): must be a number"); return }
            checkNumber(n.doubleValue, schema, at, &found)
        case "boolean":
            guard isBoolean(value) else { found.append("\(at): must be a boolean"); return }
        default:
            break
        }
        if let allowed = schema["enum"] as? [Any], !allowed.contains(where: { "\($0)" == "\(value)" }) {
            found.append("\(at): \(value) is not one of \(allowed.map { "\($0)" }.joined(separator: ", "))")
        }
    }

    private func checkString(_ s: String, _ schema: [String: Any], _ at: String, _ found: inout [String]) {
        if let max = schema["maxLength"] as? Int, s.count > max { found.append("\(at): longer than \(max)") }
        if let min = schema["minLength"] as? Int, s.count < min { found.append("\(at): shorter than \(min)") }
        if let pattern = schema["pattern"] as? String {
            let regex = try! NSRegularExpression(pattern: pattern)
            if regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) == nil { found.append("\(at): \"\(s)\" does not match \(pattern)") }
        }
    }

    private func checkNumber(_ v: Double, _ schema: [String: Any], _ at: String, _ found: inout [String]) {
        if let min = schema["minimum"] as? Double, v < min { found.append("\(at): \(v) is below the minimum \(min)") }
        if let max = schema["maximum"] as? Double, v > max { found.append("\(at): \(v) is above the maximum \(max)") }
        if schema["format"] as? String == "int32", !(Double(Int32.min) ... Double(Int32.max)).contains(v) { found.append("\(at): not an int32") }
    }

    /// JSONSerialization reads true and false as NSNumbers of type char.
    private func isBoolean(_ v: Any) -> Bool { (v as? NSNumber).map { String(cString: $0.objCType) == "c" } ?? false }

    private func isInteger(_ v: Any) -> Bool {
        guard let n = v as? NSNumber, !isBoolean(v) else { return false }
        return n.doubleValue == n.doubleValue.rounded()
    }
}
