/// One step of the containment checklist: advice shared by one or more findings and the AWS CLI
/// commands that carry it out. Custody never runs them.
public struct ContainmentStep: Codable, Hashable, Sendable {
    /// The highest severity of the findings it answers.
    public var severity: String
    /// The advice, in sentences.
    public var advice: String
    /// The commands, in order, without duplicates.
    public var commands: [String]
    /// The findings it answers, as `rule entity-id`.
    public var findings: [String]

    /// Makes a step.
    public init(severity: String, advice: String, commands: [String], findings: [String]) {
        self.severity = severity
        self.advice = advice
        self.commands = commands
        self.findings = findings
    }
}
