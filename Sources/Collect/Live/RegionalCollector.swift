import AWSClient
import CustodyJSON
import Evidence
import EvidenceArchive
import Foundation

/// Collects one region of one account: EC2 instances, VPC endpoints, security groups, key pairs,
/// GuardDuty detectors, and the trails visible from there.
struct RegionalCollector: Sendable {
    let aws: AWS
    let region: String
    let recorder: CallRecorder

    struct Result: Sendable {
        var instances: [EC2Instance] = []
        var vpcEndpoints: [VPCEndpoint] = []
        var securityGroups: [SecurityGroup] = []
        var keyPairs: [KeyPair] = []
        var detectors: [GuardDutyDetector] = []
        var trails: [AWSClient.CloudTrail.Trail] = []
    }

    func collect() async -> Result {
        var result = Result()
        let ec2 = aws.ec2
        result.instances = await recorder.pages("ec2", region, "DescribeInstances", ec2.describeInstances())
            .flatMap(\.reservations).flatMap(\.instances).map { Self.instance($0, region: region) }
        result.vpcEndpoints = await recorder.pages("ec2", region, "DescribeVpcEndpoints", ec2.describeVpcEndpoints())
            .flatMap(\.vpcEndpoints).map { Self.endpoint($0, region: region) }
        result.securityGroups = await recorder.pages(
            "ec2", region, "DescribeSecurityGroups", ec2.describeSecurityGroups()
        )
        .flatMap(\.securityGroups).map { Self.securityGroup($0, region: region) }
        if let pairs = await recorder.call("ec2", region, "DescribeKeyPairs", { try await ec2.describeKeyPairs() }) {
            result.keyPairs = pairs.keyPairs.map {
                KeyPair(
                    keyPairId: $0.keyPairId, region: region, keyName: $0.keyName ?? "",
                    keyFingerprint: $0.keyFingerprint,
                    createTime: $0.createTime.map(Timestamp.iso8601))
            }
        }
        let guardDuty = aws.guardDuty
        let detectorIds = await recorder.pages("guardduty", region, "ListDetectors", guardDuty.listDetectors()).flatMap(
            \.detectorIds)
        for id in detectorIds {
            guard
                let detector = await recorder.call(
                    "guardduty", region, "GetDetector", { try await guardDuty.getDetector(detectorId: id) })
            else { continue }
            result.detectors.append(
                GuardDutyDetector(
                    detectorId: id, region: region, status: detector.status ?? "", createdAt: detector.createdAt,
                    updatedAt: detector.updatedAt, findingPublishingFrequency: detector.findingPublishingFrequency,
                    features: detector.features.map { DetectorFeature(name: $0.name ?? "", status: $0.status ?? "") }))
        }
        let cloudTrail = aws.cloudTrail
        if let trails = await recorder.call(
            "cloudtrail", region, "DescribeTrails", { try await cloudTrail.describeTrails() })
        {
            result.trails = trails.trailList
        }
        return result
    }

    static func instance(_ instance: AWSClient.EC2.Instance, region: String) -> EC2Instance {
        EC2Instance(
            instanceId: instance.instanceId ?? "", region: region, state: instance.state?.name ?? "unknown",
            launchTime: instance.launchTime.map(Timestamp.iso8601), instanceType: instance.instanceType,
            imageId: instance.imageId, keyName: instance.keyName, instanceProfileArn: instance.iamInstanceProfile?.arn,
            instanceProfileId: instance.iamInstanceProfile?.id,
            securityGroupIds: instance.securityGroups.compactMap(\.groupId),
            vpcId: instance.vpcId, subnetId: instance.subnetId, privateIpAddress: instance.privateIpAddress,
            publicIpAddress: instance.publicIpAddress,
            tags: instance.tags.map { Tag(key: $0.key ?? "", value: $0.value ?? "") })
    }

    static func endpoint(_ endpoint: AWSClient.EC2.VpcEndpoint, region: String) -> VPCEndpoint {
        VPCEndpoint(
            vpcEndpointId: endpoint.vpcEndpointId ?? "", region: region, vpcEndpointType: endpoint.vpcEndpointType,
            serviceName: endpoint.serviceName ?? "", vpcId: endpoint.vpcId, state: endpoint.state,
            creationTimestamp: endpoint.creationTimestamp.map(Timestamp.iso8601),
            policyDocument: endpoint.policyDocument,
            tags: endpoint.tags.map { Tag(key: $0.key ?? "", value: $0.value ?? "") })
    }

    static func securityGroup(_ group: AWSClient.EC2.SecurityGroup, region: String) -> SecurityGroup {
        SecurityGroup(
            groupId: group.groupId ?? "", region: region, groupName: group.groupName ?? "",
            description: group.description,
            vpcId: group.vpcId, ingress: group.ipPermissions.map(rule), egress: group.ipPermissionsEgress.map(rule))
    }

    static func rule(_ permission: AWSClient.EC2.IpPermission) -> SecurityGroupRule {
        SecurityGroupRule(
            ipProtocol: permission.ipProtocol ?? "-1", fromPort: permission.fromPort, toPort: permission.toPort,
            ipv4Ranges: permission.ipRanges.compactMap(\.cidrIp),
            ipv6Ranges: permission.ipv6Ranges.compactMap(\.cidrIpv6),
            groupIds: permission.userIdGroupPairs.compactMap(\.groupId),
            prefixListIds: permission.prefixListIds.compactMap(\.prefixListId))
    }
}
