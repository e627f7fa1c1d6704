package import Evidence

/// The events of a log whose record lacks an essential member (`CloudTrailRecord.EssentialMember`),
/// counted once as the log is read, and what the rules leave out for them: such an event is kept,
/// cited like any other, and judged by every rule that needs nothing it lacks.
public struct IncompleteEvents: Codable, Hashable, Sendable {
    /// Events read, complete or not.
    public var eventsRead = 0
    /// Events lacking at least one essential member.
    public var count = 0
    /// Events without a valid `eventTime`: at no known time, so in no rule that compares times or
    /// windows (bursts, new sources, first use of a region, planted trust) and with no exposure window.
    public var withoutEventTime = 0
    /// Events without an `eventName`: judged by no rule that goes by name (every single-event rule,
    /// the discovery burst, the links between an actor's credentials); still counted by the rules
    /// that do not (denied calls, new sources).
    public var withoutEventName = 0
    /// Events without an `eventSource`: judged by no rule that checks the service, and counted as
    /// neither regional nor global by `ec2.region.first-use`.
    public var withoutEventSource = 0

    /// No incomplete events.
    public init() {}

    /// Counts one event lacking `missing` (nothing when it lacks nothing).
    package mutating func add(_ missing: [CloudTrailRecord.EssentialMember]) {
        guard !missing.isEmpty else { return }
        count += 1
        for member in missing {
            switch member {
            case .eventTime: withoutEventTime += 1
            case .eventName: withoutEventName += 1
            case .eventSource: withoutEventSource += 1
            }
        }
    }

    /// What a reader of findings must know about them; `nil` when there are none.
    public var note: String? {
        guard count > 0 else { return nil }
        var parts: [String] = []
        if withoutEventTime > 0 {
            parts.append(
                "\(withoutEventTime) without a valid eventTime, left out of the rules that compare times "
                    + "(bursts, new sources, first use of a region) and given no exposure window")
        }
        if withoutEventName > 0 {
            parts.append("\(withoutEventName) without an eventName, judged by no rule that goes by name")
        }
        if withoutEventSource > 0 {
            parts.append(
                "\(withoutEventSource) without an eventSource, judged by no rule that checks the service "
                    + "and counted as neither regional nor global for ec2.region.first-use")
        }
        return "\(count) of the \(eventsRead) CloudTrail events read are incomplete: \(parts.joined(separator: "; ")). "
            + "Their records are kept as sealed; custody import-cloudtrail lists imported ones by file and "
            + "line in cloudtrail/import.json."
    }

    /// The sum of two counts.
    public static func + (a: IncompleteEvents, b: IncompleteEvents) -> IncompleteEvents {
        var sum = a
        sum.eventsRead += b.eventsRead
        sum.count += b.count
        sum.withoutEventTime += b.withoutEventTime
        sum.withoutEventName += b.withoutEventName
        sum.withoutEventSource += b.withoutEventSource
        return sum
    }
}
