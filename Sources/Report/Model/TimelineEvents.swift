/// Every CloudTrail event of the slices, oldest first, each marked with who made it, its phase and
/// the findings that cite it: what `timeline.jsonl` lists, the collector's calls included.
///
/// A report may read millions of events, so they are kept as columns of numbers into one list of
/// the distinct strings (principals, keys, addresses, times and names repeat), and each event is
/// made a `TimelineEntry` only when it is read. Values made by `Builder` from the same entries in
/// the same order are equal.
public struct TimelineEvents: Codable, Hashable, Sendable, RandomAccessCollection {
    /// The string fields of an event, in the order of each event's cells.
    private enum Field: Int, CaseIterable {
        case time, account, actor, phase, principal, accessKeyId, sourceIPAddress, vpcEndpointId, region
        case eventSource, eventName, target, errorCode, userAgent, eventID, findingTitle
        /// The evidence pointer without its `:line`.
        case evidence
        /// The `:line` of the evidence pointer; `-1` for none.
        case evidenceLine
        /// An index into `lists`.
        case findings, findingIds
    }

    private static let width = Field.allCases.count
    /// The distinct strings; a cell of `-1` is no value.
    private var strings: [String] = []
    /// The distinct lists of finding rules and ids.
    private var lists: [[String]] = [[]]
    /// `width` cells per event.
    private var cells: [Int32] = []

    /// No events.
    public init() {}

    /// The events of `entries`, in their order, read one at a time.
    public init(_ entries: some Sequence<TimelineEntry>) {
        var builder = Builder()
        for entry in entries { builder.append(entry) }
        self = builder.events
    }

    /// The oldest event's position: 0.
    public var startIndex: Int { 0 }
    /// One past the last event's position: the number of events.
    public var endIndex: Int { cells.count / Self.width }

    /// The event at `position`.
    public subscript(position: Int) -> TimelineEntry {
        let base = position * Self.width
        func text(_ field: Field) -> String? {
            let id = cells[base + field.rawValue]
            return id < 0 ? nil : strings[Int(id)]
        }
        let line = cells[base + Field.evidenceLine.rawValue]
        return TimelineEntry(
            time: text(.time) ?? "", account: text(.account) ?? "", actor: text(.actor) ?? "",
            phase: text(.phase).flatMap(Phase.init(rawValue:)), principal: text(.principal),
            accessKeyId: text(.accessKeyId), sourceIPAddress: text(.sourceIPAddress),
            vpcEndpointId: text(.vpcEndpointId), region: text(.region), eventSource: text(.eventSource),
            eventName: text(.eventName), target: text(.target), errorCode: text(.errorCode),
            userAgent: text(.userAgent), eventID: text(.eventID),
            findings: lists[Int(cells[base + Field.findings.rawValue])],
            findingIds: lists[Int(cells[base + Field.findingIds.rawValue])], findingTitle: text(.findingTitle),
            evidence: text(.evidence).map { line < 0 ? $0 : "\($0):\(line)" })
    }

    /// Adds events one at a time, keeping each distinct string once.
    public struct Builder {
        /// What was added so far.
        public private(set) var events = TimelineEvents()
        private var stringIds: [String: Int32] = [:]
        private var listIds: [[String]: Int32] = [[]: 0]

        /// An empty builder.
        public init() {}

        /// Adds `entry` after the events added before.
        public mutating func append(_ entry: TimelineEntry) {
            var row = [Int32](repeating: -1, count: TimelineEvents.width)
            func set(_ field: Field, _ value: String?) {
                guard let value else { return }
                row[field.rawValue] = intern(value)
            }
            set(.time, entry.time)
            set(.account, entry.account)
            set(.actor, entry.actor)
            set(.phase, entry.phase?.rawValue)
            set(.principal, entry.principal)
            set(.accessKeyId, entry.accessKeyId)
            set(.sourceIPAddress, entry.sourceIPAddress)
            set(.vpcEndpointId, entry.vpcEndpointId)
            set(.region, entry.region)
            set(.eventSource, entry.eventSource)
            set(.eventName, entry.eventName)
            set(.target, entry.target)
            set(.errorCode, entry.errorCode)
            set(.userAgent, entry.userAgent)
            set(.eventID, entry.eventID)
            set(.findingTitle, entry.findingTitle)
            if let evidence = entry.evidence {
                // Every record of a member has its own line: keep the member once and the line as a number.
                let (member, line) = Self.split(evidence)
                row[Field.evidence.rawValue] = intern(member)
                row[Field.evidenceLine.rawValue] = line ?? -1
            }
            row[Field.findings.rawValue] = intern(entry.findings)
            row[Field.findingIds.rawValue] = intern(entry.findingIds)
            events.cells += row
        }

        private mutating func intern(_ value: String) -> Int32 {
            if let id = stringIds[value] { return id }
            let id = Int32(truncatingIfNeeded: events.strings.count)
            events.strings.append(value)
            stringIds[value] = id
            return id
        }

        private mutating func intern(_ list: [String]) -> Int32 {
            if let id = listIds[list] { return id }
            let id = Int32(truncatingIfNeeded: events.lists.count)
            events.lists.append(list)
            listIds[list] = id
            return id
        }

        /// `archive member:12` as `archive member` and 12, when the line reads back as written.
        static func split(_ evidence: String) -> (String, Int32?) {
            guard let colon = evidence.lastIndex(of: ":") else { return (evidence, nil) }
            let digits = evidence[evidence.index(after: colon)...]
            guard let line = Int32(digits), line >= 0, String(line) == digits else { return (evidence, nil) }
            return (String(evidence[..<colon]), line)
        }
    }
}
