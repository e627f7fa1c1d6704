import CustodyJSON
import Evidence
import EvidenceReading

/// Temporary credentials (session and federation tokens, role sessions) and the suspect actors'
/// credentials: expired at the newest snapshot's time, revoked by a deny on `aws:TokenIssueTime`
/// (or a deny of everything) on their user or role, gone with that user or role, or still usable.
extension EradicationCheck {
    /// Whose policies govern a session: the user behind a session or federation token, or a role.
    enum Holder: Hashable {
        case user(String)
        case role(String)

        var name: String {
            switch self {
            case .user(let name), .role(let name): name
            }
        }
        var isUser: Bool { if case .user = self { true } else { false } }
        var noun: String { isUser ? "user" : "role" }
    }

    /// Temporary credentials to judge.
    struct Session {
        var what: String
        var accessKeyId: String?
        var issuedAt: Int64?
        var expiresAt: Int64?
        var holder: Holder?
    }

    /// The longest a role session lasts (`MaxSessionDuration` is at most 12 hours), and a session
    /// or federation token (36 hours), when the finding does not say when they expire.
    static let longestRoleSession: Int64 = 43_200
    static let longestUserSession: Int64 = 129_600

    func sessions(_ finding: Finding) -> Outcome {
        let window = finding.exposure
        let issued = (window?.issuedAt ?? finding.event?.eventTime).flatMap { UTCTimestamp(parsing: $0)?.seconds }
        var session = Session(
            what: "Temporary credentials \(window?.accessKeyId ?? finding.entity.id)",
            accessKeyId: window?.accessKeyId,
            issuedAt: issued, expiresAt: window?.expiresAt.flatMap { UTCTimestamp(parsing: $0)?.seconds })
        switch finding.rule {
        case .sessionTokenIssued:
            let user = finding.entity.name
            session.holder = user == nil || user == "root" ? nil : .user(user ?? "")
            session.what = "Session token \(window?.accessKeyId ?? "") of \(user ?? "a user")"
        case .federationTokenIssued:
            let user = finding.details["madeBy"].flatMap(Self.userName)
            session.holder = user.map(Holder.user) ?? finding.details["madeBy"].flatMap(Self.roleName).map(Holder.role)
            session.what = "Federation token \(window?.accessKeyId ?? finding.entity.id)"
        default:
            let role =
                finding.entity.kind == .role
                ? finding.entity.name ?? EventFacts.lastPathComponent(finding.entity.id)
                : finding.entity.name
            session.holder = role.map(Holder.role)
            session.what =
                finding.rule == .instanceRoleOutside
                ? "Instance role \(role ?? "?") credentials of \(finding.entity.id)"
                : "Session \(window?.accessKeyId ?? "") of role \(role ?? finding.entity.id)"
        }
        return judge(session, otherwise: finding.containment.commands)
    }

    /// Expired, revoked, gone with its holder, or remains.
    func judge(_ session: Session, otherwise: [String]) -> Outcome {
        guard let now = newest.takenAt else {
            return Outcome(status: .unknown, reason: "The newest snapshot's time does not parse.")
        }
        var end = session.expiresAt
        if end == nil, let issued = session.issuedAt {
            let longest = session.holder?.isUser == false ? Self.longestRoleSession : Self.longestUserSession
            end = EvidenceSeconds.adding(issued, longest)
        }
        let until = end.map { UTCTimestamp(seconds: $0).iso8601 }
        let taken = newest.loaded.takenAt
        if let end, end <= now {
            return Outcome(
                status: .expired,
                reason:
                    "\(session.what): expired at \(until ?? "?")\(session.expiresAt == nil ? " at the latest" : ""), "
                    + "before the newest snapshot (\(taken)).")
        }
        let lasting = until.map { " until \($0)" } ?? ""
        guard let holder = session.holder else {
            guard end != nil else {
                return Outcome(
                    status: .unknown,
                    reason: "\(session.what): neither when they were issued nor whose they are is known.")
            }
            return Outcome(
                status: .remains,
                reason: "\(session.what): usable\(lasting), after the newest snapshot (\(taken)); no user or role is "
                    + "known whose policy could revoke them.",
                commands: otherwise)
        }
        guard let found = found(holder) else {
            return gone(
                "\(holder.noun.capitalized) \(holder.name) is no longer in the newest snapshot: its sessions stop "
                    + "working with it.", iamGap,
                evidence: holder.isUser ? usersMember : newest.member(SnapshotLayout.roles.path()))
        }
        if let denial = found.denial, covers(denial.time, session.issuedAt) {
            return revoked(session, denial, of: "\(holder.noun) \(holder.name)", lasting, found.evidence)
        }
        return Outcome(
            status: .remains,
            reason: "\(session.what): usable\(lasting), after the newest snapshot (\(taken)), and no policy of "
                + "\(holder.noun) \(holder.name) denies sessions issued before them."
                + Containment.currentTimeRequest,
            commands: [
                holder.isUser
                    ? Containment.revokeSessions(user: holder.name) : Containment.revokeSessions(role: holder.name)
            ],
            evidence: found.evidence)
    }

    /// The holder in the newest snapshot, with the deny of older sessions its policies carry; nil when it is gone.
    private func found(_ holder: Holder) -> (denial: (time: Int64, policy: String)?, evidence: EvidencePointer?)? {
        switch holder {
        case .user(let name):
            guard let user = newest.usersByName[name] else { return nil }
            return (SessionDenial.user(user, in: newest), newest.pointer(.user, user.userId))
        case .role(let name):
            guard let role = newest.rolesByName[name] else { return nil }
            return (SessionDenial.role(role, in: newest), newest.pointer(.role, role.roleId))
        }
    }

    /// Whether a deny of sessions issued before `time` covers credentials issued at `issued`.
    private func covers(_ time: Int64, _ issued: Int64?) -> Bool {
        time == SessionDenial.always || issued.map { $0 < time } ?? false
    }

    private func revoked(
        _ session: Session, _ denial: (time: Int64, policy: String), of holder: String, _ lasting: String,
        _ evidence: EvidencePointer?
    ) -> Outcome {
        let how =
            denial.time == SessionDenial.always
            ? "denies everything"
            : "denies sessions issued before \(UTCTimestamp(seconds: denial.time).iso8601)"
        return Outcome(
            status: .contained,
            reason: "\(session.what): the \(denial.policy) of \(holder) \(how): revoked, though they would last"
                + "\(lasting.isEmpty ? " until they expire" : lasting).", evidence: evidence)
    }

    /// The credentials of `actors` that no finding names, once each: long-term keys as access keys,
    /// temporary ones as sessions.
    func credentials(of actors: [SuspectActor], namedBy findings: [Finding]) -> [EradicationResult] {
        // Credentials a finding's judge already looked at.
        let judging: Set<RuleID> = [
            .accessKeyCreated, .accessKeyReactivated, .sessionTokenIssued, .federationTokenIssued,
            .roleAssumedBySuspect,
        ]
        var named = Set<String>()
        for finding in findings
        where judging.contains(finding.rule) && finding.effect == nil && finding.details["attempt"] != "true" {
            if finding.entity.kind == .accessKey || finding.entity.kind == .temporaryCredentials {
                named.insert(finding.entity.id)
            }
            if let key = finding.exposure?.accessKeyId { named.insert(key) }
        }
        var out: [EradicationResult] = []
        for actor in actors {
            let principalOf = Dictionary(
                actor.credentials.map { ($0.accessKeyId, $0.principal) }, uniquingKeysWith: { first, _ in first })
            for credential in actor.credentials where named.insert(credential.accessKeyId).inserted {
                let id = credential.accessKeyId
                let user = credential.principal.flatMap(Self.userName)
                let outcome: Outcome
                let entity: EntityReference
                let ours = credential.principal.map { EventFacts.accountOf(arn: $0) == newest.account } ?? false
                if !id.hasPrefix("ASIA") {
                    outcome = accessKey(id, user: user, ours: ours)
                    entity = EntityReference(kind: .accessKey, id: id, name: user)
                } else if let principal = credential.principal, EventFacts.accountOf(arn: principal) != newest.account {
                    outcome = Outcome(
                        status: .notApplicable,
                        reason:
                            "Temporary credentials of \(principal), outside account \(newest.account): nothing here to revoke."
                    )
                    entity = EntityReference(kind: .temporaryCredentials, id: id, arn: principal)
                } else {
                    let holder: Holder? =
                        credential.principal.flatMap(Self.roleName).map(Holder.role)
                        ?? (user ?? credential.obtainedBy.flatMap { principalOf[$0] ?? nil }.flatMap(Self.userName))
                        .map(Holder.user)
                    let window = credential.exposure
                    outcome = judge(
                        Session(
                            what: "Temporary credentials \(id) (\(credential.origin))", accessKeyId: id,
                            issuedAt: (window?.issuedAt ?? credential.event?.eventTime).flatMap {
                                UTCTimestamp(parsing: $0)?.seconds
                            },
                            expiresAt: window?.expiresAt.flatMap { UTCTimestamp(parsing: $0)?.seconds }, holder: holder),
                        otherwise: [])
                    entity = EntityReference(kind: .temporaryCredentials, id: id, arn: credential.principal)
                }
                out.append(
                    EradicationResult(
                        status: outcome.status, account: newest.account,
                        title:
                            "\(id.hasPrefix("ASIA") ? "Temporary credentials" : "Access key") \(id) of \(actor.id) (\(credential.origin))",
                        entity: entity, actor: actor.id, reason: outcome.reason,
                        commands: outcome.status == .remains ? outcome.commands : [], evidence: outcome.evidence))
            }
        }
        return out
    }

    /// The user name of an IAM user ARN (`arn:aws:iam::…:user/path/name`).
    static func userName(_ arn: String) -> String? {
        guard let range = arn.range(of: ":user/") else { return nil }
        return EventFacts.lastPathComponent(String(arn[range.upperBound...]))
    }

    /// The role of a role or role-session ARN (`…:role/path/name`, `…:assumed-role/name/session`).
    static func roleName(_ arn: String) -> String? {
        if let range = arn.range(of: ":assumed-role/") {
            return arn[range.upperBound...].split(separator: "/").first.map(String.init)
        }
        guard let range = arn.range(of: ":role/") else { return nil }
        return EventFacts.lastPathComponent(String(arn[range.upperBound...]))
    }
}
