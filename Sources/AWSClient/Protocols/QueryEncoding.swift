import CustodyJSON
import Foundation

/// Flattens call parameters into the form fields of the Query protocols: `Name.member.N` for Query lists (IAM,
/// STS), `Name.N` for EC2 lists, `Name.Key` for structures. Parameters use the wire names.
enum QueryEncoding {
    static func fields(_ parameters: JSONValue, ec2: Bool) -> [(String, String)] {
        var out: [(String, String)] = []
        flatten(parameters, prefix: "", ec2: ec2, into: &out)
        return out
    }

    private static func flatten(_ value: JSONValue, prefix: String, ec2: Bool, into out: inout [(String, String)]) {
        switch value {
        case .null: return
        case .bool(let flag): out.append((prefix, flag ? "true" : "false"))
        case .number(let number): out.append((prefix, numberText(number)))
        case .string(let text): out.append((prefix, text))
        case .array(let elements):
            if elements.isEmpty && !ec2 {
                out.append((prefix, ""))
                return
            }
            for (index, element) in elements.enumerated() {
                let name = ec2 ? "\(prefix).\(index + 1)" : "\(prefix).member.\(index + 1)"
                flatten(element, prefix: name, ec2: ec2, into: &out)
            }
        case .object(let members):
            for key in members.keys.sorted() {
                flatten(members[key]!, prefix: prefix.isEmpty ? key : "\(prefix).\(key)", ec2: ec2, into: &out)
            }
        }
    }

    static func numberText(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 9.0e15 { return String(Int64(number)) }
        return String(number)
    }

    /// The form body: `Action`, `Version`, then the fields, each percent-encoded.
    static func body(action: String, version: String, fields: [(String, String)]) -> Data {
        Data(URIEncoding.query([("Action", action), ("Version", version)] + fields).utf8)
    }
}
