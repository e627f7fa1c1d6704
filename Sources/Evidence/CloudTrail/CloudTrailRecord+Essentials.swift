import CustodyJSON

extension CloudTrailRecord {
    /// A member without which the rules cannot judge a record whole: a record lacking one is
    /// *incomplete*. It is kept and sealed as it is, and left out only of the rules that need what
    /// it lacks (Docs/rules.md).
    public enum EssentialMember: String, Codable, Hashable, Sendable, CaseIterable {
        /// When the call was made: the rules that compare times or windows need it.
        case eventTime
        /// What was called: every rule that goes by name needs it.
        case eventName
        /// Which service was called: the rules that check the service, and telling regional calls
        /// from global ones, need it.
        case eventSource
    }

    /// The essential members this record lacks, in the order of `EssentialMember.allCases`: an
    /// `eventTime` that is absent or no valid time (a Logstash or Elastic export carries
    /// `@timestamp` instead), an `eventName` or `eventSource` that is absent, not a string, or empty.
    public var missingEssentials: [EssentialMember] {
        var missing: [EssentialMember] = []
        if eventTimeSeconds == nil { missing.append(.eventTime) }
        if !hasText(fields.eventName) { missing.append(.eventName) }
        if !hasText(fields.eventSource) { missing.append(.eventSource) }
        return missing
    }

    /// Whether `span` is a string of at least one character (escaped or not, its text is then not empty).
    private func hasText(_ span: FieldSpan?) -> Bool {
        guard let span, case .string = span.kind else { return false }
        return span.end > span.start
    }
}
