import CustodyJSON
import EvidenceReading

/// Finds the CloudTrail event behind a change: every kept record is indexed by its event name and
/// each string in its request and response, so a change is matched by the ids it carries.
struct Correlator {
    private var index: [String: [Int]] = [:]

    init(log: EventLog, scope: [Int]) {
        for event in scope {
            let row = log.rows[event]
            guard row.detail >= 0, row.errorCode == 0, let record = log.detail(event) else { continue }
            let name = log.table[row.name]
            var values = Set<String>()
            Self.strings(record.requestParameters, into: &values)
            Self.strings(record.responseElements, into: &values)
            for value in values { index[name + "\u{0}" + value, default: []].append(event) }
        }
    }

    private static func strings(_ value: JSONValue?, into out: inout Set<String>) {
        switch value {
        case .string(let text)?:
            out.insert(text)
            if text.hasPrefix("arn:"), let last = text.split(separator: "/").last { out.insert(String(last)) }
        case .array(let items)?: for item in items { strings(item, into: &out) }
        case .object(let members)?: for member in members.values { strings(member, into: &out) }
        default: break
        }
    }

    /// The newest event named one of `names` whose request or response holds `value`.
    func event(_ names: [String], _ value: String?) -> Int? {
        guard let value, !value.isEmpty else { return nil }
        return names.compactMap { index[$0 + "\u{0}" + value]?.last }.max()
    }

    /// Every event named one of `names` holding `value`, oldest first.
    func events(_ names: [String], _ value: String?) -> [Int] {
        guard let value, !value.isEmpty else { return [] }
        return names.flatMap { index[$0 + "\u{0}" + value] ?? [] }.sorted()
    }
}
