/// The read calls the collectors make, each tried once (one page at most), grouped as global (IAM,
/// Organizations) and regional (EC2, CloudTrail, GuardDuty, and S3 on a trail's bucket).
enum PreflightProbes {
    /// Answers that prove the permission although the call did not return data.
    static let allowedCodes: Set<String> = [
        "ReportNotPresent", "ReportInProgress", "ReportExpired", "AWSOrganizationsNotInUseException", "NoSuchEntity",
        "TrailNotFoundException",
    ]

    final class Recorder: @unchecked Sendable {
        var probes: [PreflightProbe] = []
        let region: String?

        init(region: String?) {
            self.region = region
        }

        /// Tries `call`; records the outcome and returns the value when it worked.
        func probe<T: Sendable>(
            _ service: String, _ operation: String, optional: Bool = false, _ call: () async throws -> T
        ) async -> T? {
            do {
                let value = try await call()
                probes.append(
                    PreflightProbe(
                        service: service, operation: operation, region: region, status: .ok, optional: optional))
                return value
            } catch let error as AWSServiceError where PreflightProbes.allowedCodes.contains(error.code) {
                probes.append(
                    PreflightProbe(
                        service: service, operation: operation, region: region, status: .ok, detail: error.code,
                        optional: optional))
                return nil
            } catch {
                probes.append(
                    PreflightRunner.result(
                        error, service: service, operation: operation, region: region, optional: optional))
                return nil
            }
        }

        func skip(_ service: String, _ operation: String, because reason: String) {
            probes.append(
                PreflightProbe(service: service, operation: operation, region: region, status: .skipped, detail: reason)
            )
        }
    }

    static func first<Output>(_ pages: AWSPaginator<Output>) async throws -> Output? {
        for try await page in pages { return page.output }
        return nil
    }

    static func global(_ aws: AWS) async -> [PreflightProbe] {
        let r = Recorder(region: nil)
        let iam = aws.iam
        _ = await r.probe("iam", "GetAccountAuthorizationDetails") {
            try await first(iam.getAccountAuthorizationDetails(maxItems: 1))
        }
        let users = await r.probe("iam", "ListUsers") { try await first(iam.listUsers(maxItems: 10)) }
        let roles = await r.probe("iam", "ListRoles") { try await first(iam.listRoles(maxItems: 1)) }
        if let user = users??.users.first?.userName {
            let keys = await r.probe("iam", "ListAccessKeys") { try await first(iam.listAccessKeys(userName: user)) }
            if let key = keys??.accessKeyMetadata.first?.accessKeyId {
                _ = await r.probe("iam", "GetAccessKeyLastUsed") {
                    try await iam.getAccessKeyLastUsed(accessKeyId: key)
                }
            } else {
                r.skip("iam", "GetAccessKeyLastUsed", because: "no access key to ask about")
            }
            _ = await r.probe("iam", "GetLoginProfile") { try await iam.getLoginProfile(userName: user) }
            _ = await r.probe("iam", "ListMFADevices") { try await first(iam.listMFADevices(userName: user)) }
            _ = await r.probe("iam", "ListSSHPublicKeys") { try await first(iam.listSSHPublicKeys(userName: user)) }
            _ = await r.probe("iam", "ListServiceSpecificCredentials") {
                try await first(iam.listServiceSpecificCredentials(userName: user))
            }
            _ = await r.probe("iam", "ListSigningCertificates") {
                try await first(iam.listSigningCertificates(userName: user))
            }
        } else {
            for operation in [
                "ListAccessKeys", "GetAccessKeyLastUsed", "GetLoginProfile", "ListMFADevices", "ListSSHPublicKeys",
                "ListServiceSpecificCredentials", "ListSigningCertificates",
            ] {
                r.skip("iam", operation, because: "no IAM user to ask about")
            }
        }
        if let role = roles??.roles.first?.roleName {
            _ = await r.probe("iam", "GetRole") { try await iam.getRole(roleName: role) }
        } else {
            r.skip("iam", "GetRole", because: "no role to ask about")
        }
        _ = await r.probe("iam", "ListInstanceProfiles") { try await first(iam.listInstanceProfiles()) }
        _ = await r.probe("iam", "ListSAMLProviders") { try await iam.listSAMLProviders() }
        _ = await r.probe("iam", "ListOpenIDConnectProviders") { try await iam.listOpenIDConnectProviders() }
        _ = await r.probe("iam", "ListAccountAliases") { try await first(iam.listAccountAliases()) }
        _ = await r.probe("iam", "GenerateCredentialReport") { try await iam.generateCredentialReport() }
        _ = await r.probe("iam", "GetCredentialReport") { try await iam.getCredentialReport() }
        _ = await r.probe("organizations", "DescribeOrganization") {
            try await aws.organizations.describeOrganization()
        }
        _ = await r.probe("organizations", "ListAccounts", optional: true) {
            try await first(aws.organizations.listAccounts(maxResults: 1))
        }
        return r.probes
    }

    /// The reads of `custody sweep`'s engine, in the caller's region: Athena's query list of the
    /// workgroup, or CloudTrail Lake's event data stores.
    static func sweep(_ aws: AWS, engine: PreflightOptions.SweepEngine) async -> [PreflightProbe] {
        let r = Recorder(region: aws.region)
        switch engine {
        case .athena(let workGroup):
            _ = await r.probe("athena", "ListQueryExecutions") {
                try await first(aws.athena.listQueryExecutions(workGroup: workGroup, maxResults: 1))
            }
        case .lake:
            _ = await r.probe("cloudtrail", "ListEventDataStores") {
                try await first(aws.cloudTrail.listEventDataStores())
            }
        }
        return r.probes
    }

    static func regional(_ aws: AWS) async -> [PreflightProbe] {
        let r = Recorder(region: aws.region)
        let ec2 = aws.ec2
        _ = await r.probe("ec2", "DescribeInstances") { try await first(ec2.describeInstances(maxResults: 5)) }
        _ = await r.probe("ec2", "DescribeVpcEndpoints") { try await first(ec2.describeVpcEndpoints(maxResults: 5)) }
        _ = await r.probe("ec2", "DescribeSecurityGroups") {
            try await first(ec2.describeSecurityGroups(maxResults: 5))
        }
        _ = await r.probe("ec2", "DescribeKeyPairs") { try await ec2.describeKeyPairs() }
        _ = await r.probe("ec2", "DescribeIamInstanceProfileAssociations") {
            try await first(ec2.describeIamInstanceProfileAssociations(maxResults: 5))
        }
        let cloudTrail = aws.cloudTrail
        let trails = await r.probe("cloudtrail", "DescribeTrails") { try await cloudTrail.describeTrails() }
        let trail = trails?.output.trailList.first
        if let name = trail?.trailARN ?? trail?.name {
            _ = await r.probe("cloudtrail", "GetTrailStatus") { try await cloudTrail.getTrailStatus(name: name) }
            _ = await r.probe("cloudtrail", "GetEventSelectors") {
                try await cloudTrail.getEventSelectors(trailName: name)
            }
        } else {
            r.skip("cloudtrail", "GetTrailStatus", because: "no trail")
            r.skip("cloudtrail", "GetEventSelectors", because: "no trail")
        }
        _ = await r.probe("cloudtrail", "LookupEvents") { try await first(cloudTrail.lookupEvents(maxResults: 1)) }
        _ = await r.probe("cloudtrail", "ListPublicKeys") { try await first(cloudTrail.listPublicKeys()) }
        if let bucket = trail?.s3BucketName {
            // The trail bucket often lives in a logging account: reading it is useful, not required.
            _ = await r.probe("s3", "ListObjectsV2", optional: true) {
                try await first(aws.s3.listObjectsV2(bucket: bucket, maxKeys: 1))
            }
        } else {
            r.skip("s3", "ListObjectsV2", because: "no trail bucket")
        }
        let detectors = await r.probe("guardduty", "ListDetectors") { try await first(aws.guardDuty.listDetectors()) }
        if let detector = detectors??.detectorIds.first {
            _ = await r.probe("guardduty", "GetDetector") { try await aws.guardDuty.getDetector(detectorId: detector) }
        } else {
            r.skip("guardduty", "GetDetector", because: "no detector")
        }
        return r.probes
    }
}
