/// One step of the containment checklist ("Do now"): what to do about one thing, the findings that
/// ask for it, and the AWS CLI commands that carry it out. Custody never runs them.
public struct ContainmentStep: Codable, Hashable, Sendable {
    /// How urgent it is; steps are ordered by stage, then by severity.
    public var stage: ContainmentStage
    /// What the step acts on, such as `access key AKIA… of user test` or `role AWSBackupOperatorRole`.
    public var entity: String
    /// The highest severity of the findings it answers.
    public var severity: String
    /// The advice, in sentences.
    public var advice: String
    /// The commands, in order, without duplicates.
    public var commands: [String]
    /// The findings it answers, as `rule entity-id`.
    public var findings: [String]

    /// Makes a step.
    public init(
        stage: ContainmentStage = .restoreAndReview, entity: String = "", severity: String, advice: String,
        commands: [String], findings: [String]
    ) {
        self.stage = stage
        self.entity = entity
        self.severity = severity
        self.advice = advice
        self.commands = commands
        self.findings = findings
    }
}
