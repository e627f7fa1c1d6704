/// What to do about a finding (training guide, hands-on 7): advice in words and the exact AWS CLI
/// commands. Custody never runs them.
public struct Containment: Codable, Hashable, Sendable {
    /// The advice, in sentences.
    public var advice: String
    /// AWS CLI commands, one per line, ready to paste; ids filled in.
    public var commands: [String]

    /// Makes containment advice.
    public init(advice: String, commands: [String] = []) {
        self.advice = advice
        self.commands = commands
    }
}
