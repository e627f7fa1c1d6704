import Foundation

extension Containment {
    /// Stands in a session-revocation policy (a deny on `aws:TokenIssueTime`) for the time before
    /// which sessions are denied: the current UTC time when the policy is put, as the console's
    /// "Revoke active sessions" uses. The rules do not read a clock, so whoever knows the time (the
    /// report, with its own) puts it in with `revokingSessions(issuedBefore:)`.
    public static let currentTimePlaceholder = "REPLACE-WITH-CURRENT-UTC-TIME"

    /// The sentence of the advice that asks for the time.
    public static let currentTimeRequest =
        " Where a policy says \(currentTimePlaceholder), put the current UTC time (such as 2026-01-02T03:04:05Z):"
        + " sessions issued before it are denied."

    /// The deny on sessions issued before the time that stands for now (AWS's `AWSRevokeOlderSessions`),
    /// quoted for the shell, the time left as `currentTimePlaceholder`.
    public static let revocationPolicy =
        #"'{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*","Condition":{"DateLessThan":{"aws:TokenIssueTime":""#
        + currentTimePlaceholder + #""}}}]}'"#

    /// The command that denies a role's sessions issued before now.
    public static func revokeSessions(role: String) -> String {
        "aws iam put-role-policy --role-name \(role) --policy-name AWSRevokeOlderSessions --policy-document "
            + revocationPolicy
    }

    /// The command that denies the sessions a user's keys made before now (session and federation tokens).
    public static func revokeSessions(user: String) -> String {
        "aws iam put-user-policy --user-name \(user) --policy-name custody-revoke-sessions --policy-document "
            + revocationPolicy
    }

    /// Whether a command carries a revocation policy still waiting for its time.
    public var needsCurrentTime: Bool { commands.contains { $0.contains(Self.currentTimePlaceholder) } }

    /// The advice with the request for the time added when a command needs it (once).
    public func askingForTime() -> Containment {
        guard needsCurrentTime, !advice.contains(Self.currentTimeRequest) else { return self }
        return Containment(advice: advice + Self.currentTimeRequest, commands: commands)
    }

    /// The advice with `time` (UTC, ISO 8601) in every revocation policy, and the request for the
    /// time turned into a sentence saying which time it is and when to take a later one.
    public func revokingSessions(issuedBefore time: String) -> Containment {
        guard needsCurrentTime || advice.contains(Self.currentTimeRequest) else { return self }
        return Containment(
            advice: advice.replacingOccurrences(
                of:
                    Self.currentTimeRequest,
                with: " The policy denies sessions issued before \(time), when the report was made; if you put it"
                    + " later, write the current UTC time in its place so that sessions issued in between are denied too."
            ),
            commands: commands.map { $0.replacingOccurrences(of: Self.currentTimePlaceholder, with: time) })
    }
}
