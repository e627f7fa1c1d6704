import CustodyJSON

/// The field-level difference of two JSON trees, as JSON pointers with old and new values.
///
/// Objects are compared member by member; arrays element by element by position, except arrays
/// of strings, which are compared as sets (a policy ARN or group added shows as one addition,
/// not as every later element shifting).
enum FieldDiff {
    static func changes(_ old: JSONValue, _ new: JSONValue) -> [FieldChange] {
        var out: [FieldChange] = []
        walk(old, new, path: "", into: &out)
        return out
    }

    /// `name` escaped for a JSON pointer (RFC 6901).
    static func escape(_ name: String) -> String {
        guard name.contains("~") || name.contains("/") else { return name }
        return name.replacingOccurrences(of: "~", with: "~0").replacingOccurrences(of: "/", with: "~1")
    }

    private static func walk(_ old: JSONValue, _ new: JSONValue, path: String, into out: inout [FieldChange]) {
        guard old != new else { return }
        switch (old, new) {
        case (.object(let a), .object(let b)):
            for key in Set(a.keys).union(b.keys).sorted() {
                let child = path + "/" + escape(key)
                switch (a[key], b[key]) {
                case (let x?, let y?): walk(x, y, path: child, into: &out)
                case (let x?, nil): out.append(FieldChange(path: child, old: x, new: nil))
                case (nil, let y?): out.append(FieldChange(path: child, old: nil, new: y))
                case (nil, nil): break
                }
            }
        case (.array(let a), .array(let b)):
            if a.allSatisfy({ $0.stringValue != nil }) && b.allSatisfy({ $0.stringValue != nil }) {
                let left = Set(a), right = Set(b)
                if left == right { return }
                let removed = a.filter { !right.contains($0) }
                let added = b.filter { !left.contains($0) }
                out.append(
                    FieldChange(
                        path: path, old: removed.isEmpty ? nil : .array(removed),
                        new: added.isEmpty ? nil : .array(added)))
                return
            }
            for index in 0..<max(a.count, b.count) {
                let child = path + "/\(index)"
                switch (index < a.count ? a[index] : nil, index < b.count ? b[index] : nil) {
                case (let x?, let y?): walk(x, y, path: child, into: &out)
                case (let x?, nil): out.append(FieldChange(path: child, old: x, new: nil))
                case (nil, let y?): out.append(FieldChange(path: child, old: nil, new: y))
                case (nil, nil): break
                }
            }
        default:
            out.append(FieldChange(path: path.isEmpty ? "" : path, old: old, new: new))
        }
    }
}
