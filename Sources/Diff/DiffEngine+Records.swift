extension DiffEngine {
    /// The `eventName`s whose whole record the analyses read, so a reader keeps it
    /// (`EvidenceReader.recordsKept`): every rule's `Rule.eventNames`, the actor graph's links
    /// (`ActorGraph.linkNames`) and `reportedNames`.
    public static let recordsRead: Set<String> = Set(Rule.all.flatMap(\.eventNames)).union(ActorGraph.linkNames)
        .union(reportedNames)

    /// Events no rule or link reads, kept for reports, which name what each call acted on from its
    /// record (`EventLog.target(at:)`).
    static let reportedNames: Set<String> = ["CreateInstanceProfile", "DeleteAccessKey", "CreateTags"]
}
