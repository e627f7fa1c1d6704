import CustodyJSON
import Evidence
import EvidenceReading

/// Trails, GuardDuty detectors and the Organization: defences the intruder impaired are eradicated
/// when the newest snapshot shows them restored.
extension EradicationCheck {
    /// A trail is restored when it logs again, with selectors that keep every management event; a
    /// deleted trail, when another trail logs every region's management events. A bucket or
    /// settings changed (`UpdateTrail`) cannot be told from the newest snapshot alone.
    func trail(_ finding: Finding) -> Outcome {
        let id = finding.entity.id, name = finding.entity.name ?? id
        let trails = newest.loaded.snapshot.trails
        let member = newest.member(SnapshotLayout.trails.path())
        let eventName = finding.event?.eventName
        let impairment = finding.details["impairment"] ?? ""
        guard let trail = trails.first(where: { $0.trailArn == id || $0.name == id || $0.name == name }) else {
            if let other = trails.first(where: { Self.logsEverything($0) && $0.isMultiRegionTrail }) {
                return Outcome(
                    status: .removed,
                    reason: "Trail \(name) is gone, but trail \(other.name) logs every region's management events.",
                    evidence: member)
            }
            if let gap = newest.gap("cloudtrail", ["DescribeTrails"], region: finding.entity.region) {
                return Outcome(status: .unknown, reason: gap, evidence: member)
            }
            return Outcome(
                status: .remains,
                reason: "Trail \(name) is gone and no other trail logs every region's management events: create one "
                    + "(aws cloudtrail create-trail … --is-multi-region-trail --enable-log-file-validation).",
                commands: Advice.trail(name, region: finding.entity.region).commands, evidence: member)
        }
        let evidence = newest.pointer(.trail, trail.trailArn)
        let commands = Advice.trail(trail.name, region: trail.homeRegion).commands
        guard let logging = trail.isLogging else {
            return Outcome(
                status: .unknown,
                reason: "The newest snapshot does not say whether trail \(trail.name) is logging (no GetTrailStatus).",
                evidence: evidence)
        }
        guard logging else {
            return Outcome(
                status: .remains, reason: "Trail \(trail.name) is still not logging.", commands: commands,
                evidence: evidence)
        }
        guard Self.logsEverything(trail) else {
            return Outcome(
                status: .remains,
                reason: "Trail \(trail.name) logs, but its event selectors leave out management events.",
                commands: commands, evidence: evidence)
        }
        if eventName == "UpdateTrail" || impairment.hasPrefix("its bucket") {
            return Outcome(
                status: .unknown,
                reason: "Trail \(trail.name) logs every management event again, delivering to bucket "
                    + "\(trail.s3BucketName ?? "none"); whether that and its other settings are those of before, "
                    + "the newest snapshot alone cannot tell: compare with the baseline.",
                evidence: evidence)
        }
        var missing: [String] = []
        if impairment.contains("every region") && !trail.isMultiRegionTrail { missing.append("every region") }
        if impairment.contains("IAM and STS") && !trail.includeGlobalServiceEvents { missing.append("IAM and STS") }
        if impairment.contains("validation") && !trail.logFileValidationEnabled {
            missing.append("log file validation")
        }
        guard missing.isEmpty else {
            return Outcome(
                status: .remains,
                reason: "Trail \(trail.name) logs, but still without \(missing.joined(separator: ", ")).",
                commands: commands, evidence: evidence)
        }
        return Outcome(
            status: .removed, reason: "Trail \(trail.name) logs every management event again.", evidence: evidence)
    }

    /// Whether a logging trail's selectors keep every management event (advanced selectors are
    /// taken as they are: the snapshot does not judge them).
    static func logsEverything(_ trail: Trail) -> Bool {
        guard trail.isLogging == true else { return false }
        guard let selectors = trail.eventSelectors?.arrayValue, !selectors.isEmpty else { return true }
        return selectors.contains { selector in
            let management = selector["IncludeManagementEvents"] ?? selector["includeManagementEvents"]
            let kind = (selector["ReadWriteType"] ?? selector["readWriteType"])?.stringValue ?? "All"
            return management?.boolValue != false && kind == "All"
        }
    }

    /// A detector is restored when enabled; a deleted one, when another detector watches the region.
    /// Trusted IP sets are not in the snapshot.
    func detector(_ finding: Finding) -> Outcome {
        if finding.event?.eventName?.contains("IPSet") == true {
            return Self.notCollected(finding, "GuardDuty's trusted IP sets")
        }
        guard let region = region(of: finding) else {
            return Outcome(status: .unknown, reason: "The finding names no region for detector \(finding.entity.id).")
        }
        let id = finding.entity.id
        let member = newest.member(SnapshotLayout.detectors.path(in: region))
        if let detector = newest.detectors[id], detector.region == region {
            let evidence = newest.pointer(.detector, id)
            guard detector.status == "ENABLED" else {
                return Outcome(
                    status: .remains, reason: "GuardDuty detector \(id) in \(region) is still \(detector.status).",
                    commands: Advice.detector(id, region: region).commands, evidence: evidence)
            }
            return Outcome(
                status: .removed, reason: "GuardDuty detector \(id) in \(region) is enabled again.", evidence: evidence)
        }
        if let other = newest.loaded.snapshot.detectors.first(where: { $0.region == region && $0.status == "ENABLED" })
        {
            return Outcome(
                status: .removed, reason: "Detector \(id) is gone, but detector \(other.detectorId) watches \(region).",
                evidence: member)
        }
        if let gap = newest.gap("guardduty", ["ListDetectors", "GetDetector"], region: region) {
            return Outcome(status: .unknown, reason: gap, evidence: member)
        }
        return Outcome(
            status: .remains,
            reason:
                "No GuardDuty detector watches \(region): create one (aws guardduty create-detector --enable --region \(region)).",
            commands: Advice.detector(id, region: region).commands, evidence: member)
    }

    /// Back in an Organization is restored; a refused attempt made nothing.
    func organization(_ finding: Finding) -> Outcome {
        if finding.event?.errorCode != nil {
            return Outcome(status: .notApplicable, reason: "A refused attempt: the account never left.")
        }
        let member = newest.member(SnapshotLayout.account.path())
        if let organization = newest.loaded.snapshot.account.organization {
            return Outcome(
                status: .removed, reason: "The account is in Organization \(organization.id) again.", evidence: member)
        }
        if let gap = newest.gap("organizations", ["DescribeOrganization"]) {
            return Outcome(status: .unknown, reason: gap, evidence: member)
        }
        return Outcome(
            status: .remains, reason: "The account is still outside any Organization.",
            commands: finding.containment.commands, evidence: member)
    }
}
