/// Containment advice per kind of artifact (training guide, hands-on 7): words and the exact AWS
/// CLI commands, ids filled in. Keys are disabled rather than deleted, so later attempts still
/// show as errors in CloudTrail; volumes are snapshotted before an instance is isolated; every id
/// removed should be recorded so it can still be searched.
enum Advice {
    static let record = " Record every id you remove so it can still be searched in CloudTrail."

    static func accessKey(_ keyId: String, user: String?) -> Containment {
        let user = user ?? "USER_NAME"
        return Containment(
            advice:
                "Disable the key rather than delete it: a deleted key no longer shows the attacker's AccessDenied attempts. "
                + "Revoke any session tokens it made (deny on aws:TokenIssueTime)." + record,
            commands: [
                "aws iam update-access-key --user-name \(user) --access-key-id \(keyId) --status Inactive",
                "aws iam get-access-key-last-used --access-key-id \(keyId)",
            ])
    }

    static func user(_ name: String, keys: [String], loginProfile: Bool, policies: [String]) -> Containment {
        var commands = keys.map {
            "aws iam update-access-key --user-name \(name) --access-key-id \($0) --status Inactive"
        }
        if loginProfile { commands.append("aws iam delete-login-profile --user-name \(name)") }
        commands += policies.map { "aws iam detach-user-policy --user-name \(name) --policy-arn \($0)" }
        commands.append(
            "aws iam put-user-policy --user-name \(name) --policy-name custody-deny-all --policy-document "
                + #"'{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}'"#)
        return Containment(
            advice:
                "Contain the user: disable its keys, delete its console password, detach what it was given, and deny "
                + "everything inline until it is eradicated." + record,
            commands: commands)
    }

    static func loginProfile(_ user: String) -> Containment {
        Containment(
            advice: "Delete the console password; the user cannot sign in to the console without it." + record,
            commands: ["aws iam delete-login-profile --user-name \(user)"])
    }

    static func role(_ name: String, foreign: [String]) -> Containment {
        Containment(
            advice:
                "Remove foreign principals from the trust policy (or deny sts:AssumeRole to all), and revoke the role's "
                + "active sessions with a deny on aws:TokenIssueTime."
                + (foreign.isEmpty ? "" : " It trusts \(foreign.joined(separator: ", ")).") + record,
            commands: [
                "aws iam get-role --role-name \(name) --query Role.AssumeRolePolicyDocument",
                "aws iam update-assume-role-policy --role-name \(name) --policy-document "
                    + #"'{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":{"AWS":"*"},"Action":"sts:AssumeRole"}]}'"#,
                revokeSessions(role: name),
            ]
        ).askingForTime()
    }

    static func revokeSessions(role: String) -> String { Containment.revokeSessions(role: role) }

    static func policyAttachment(kind: EntityKind, name: String, policyArn: String?, inlineName: String?) -> Containment
    {
        let noun = kind == .role ? "role" : kind == .group ? "group" : "user"
        var commands: [String] = []
        if let policyArn {
            commands.append("aws iam detach-\(noun)-policy --\(noun)-name \(name) --policy-arn \(policyArn)")
        }
        if let inlineName {
            commands.append("aws iam delete-\(noun)-policy --\(noun)-name \(name) --policy-name \(inlineName)")
        }
        return Containment(
            advice: "Detach the administrator policy (or delete the inline one) after saving its document as evidence."
                + record,
            commands: commands)
    }

    static func policyVersion(_ arn: String, previous: String?) -> Containment {
        var commands = ["aws iam list-policy-versions --policy-arn \(arn)"]
        if let previous {
            commands.append("aws iam set-default-policy-version --policy-arn \(arn) --version-id \(previous)")
        }
        return Containment(
            advice:
                "Set the previous version back as the default, then delete the new one once it is saved as evidence."
                + record,
            commands: commands)
    }

    static func groupMember(user: String, group: String) -> Containment {
        Containment(
            advice: "Remove the user from the group." + record,
            commands: ["aws iam remove-user-from-group --user-name \(user) --group-name \(group)"])
    }

    static func otherCredential(kind: EntityKind, id: String, user: String) -> Containment {
        let command: String
        switch kind {
        case .mfaDevice: command = "aws iam deactivate-mfa-device --user-name \(user) --serial-number \(id)"
        case .sshPublicKey:
            command = "aws iam update-ssh-public-key --user-name \(user) --ssh-public-key-id \(id) --status Inactive"
        case .serviceSpecificCredential:
            command =
                "aws iam update-service-specific-credential --user-name \(user) --service-specific-credential-id \(id) --status Inactive"
        default:
            command = "aws iam update-signing-certificate --user-name \(user) --certificate-id \(id) --status Inactive"
        }
        return Containment(advice: "Deactivate the credential rather than delete it." + record, commands: [command])
    }

    static func identityProvider(_ arn: String) -> Containment {
        let saml = arn.contains(":saml-provider/")
        return Containment(
            advice:
                "Check who trusts the provider (roles with Federated principals), remove it from their trust policies, "
                + "then delete the provider once saved as evidence." + record,
            commands: [
                saml
                    ? "aws iam get-saml-provider --saml-provider-arn \(arn)"
                    : "aws iam get-open-id-connect-provider --open-id-connect-provider-arn \(arn)",
                saml
                    ? "aws iam delete-saml-provider --saml-provider-arn \(arn)"
                    : "aws iam delete-open-id-connect-provider --open-id-connect-provider-arn \(arn)",
            ])
    }

    static func instanceProfile(_ profile: String, role: String?) -> Containment {
        Containment(
            advice: "Remove the role from the instance profile, and revoke the role's sessions." + record,
            commands: [
                "aws iam remove-role-from-instance-profile --instance-profile-name \(profile) --role-name \(role ?? "ROLE_NAME")",
                revokeSessions(role: role ?? "ROLE_NAME"),
            ]
        ).askingForTime()
    }

    static func instance(_ id: String, region: String?, role: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands = [
            "aws ec2 describe-volumes\(r) --filters Name=attachment.instance-id,Values=\(id) --query 'Volumes[].VolumeId'",
            "aws ec2 create-snapshot\(r) --volume-id VOLUME_ID --description 'custody: before isolating \(id)'",
            "aws ec2 describe-iam-instance-profile-associations\(r) --filters Name=instance-id,Values=\(id)",
            "aws ec2 disassociate-iam-instance-profile\(r) --association-id ASSOCIATION_ID",
            "aws ec2 modify-instance-attribute\(r) --instance-id \(id) --groups ISOLATION_SECURITY_GROUP_ID",
        ]
        if let role { commands.append(revokeSessions(role: role)) }
        return Containment(
            advice: "Snapshot the instance's volumes before anything else, then take its role away and isolate it in a "
                + "security group without rules; stop or terminate it only after the evidence is safe. Revoke the role's "
                + "sessions: credentials taken from the instance keep working until they expire." + record,
            commands: commands
        ).askingForTime()
    }

    static func region(_ region: String) -> Containment {
        Containment(
            advice: "List everything in the region and contain each thing found (instances, endpoints, key pairs); "
                + "consider an SCP denying regions the account does not use." + record,
            commands: [
                "aws ec2 describe-instances --region \(region)",
                "aws ec2 describe-vpc-endpoints --region \(region)",
                "aws ec2 describe-key-pairs --region \(region)",
            ])
    }

    static func vpcEndpoint(_ id: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice:
                "Calls through the endpoint hide their source address: search CloudTrail for vpcEndpointId \(id), then "
                + "delete the endpoint once its configuration is saved." + record,
            commands: [
                "aws ec2 describe-vpc-endpoints\(r) --vpc-endpoint-ids \(id)",
                "aws ec2 delete-vpc-endpoints\(r) --vpc-endpoint-ids \(id)",
            ])
    }

    static func securityGroup(_ id: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice: "Revoke the ingress rule that was added." + record,
            commands: [
                "aws ec2 describe-security-groups\(r) --group-ids \(id)",
                "aws ec2 revoke-security-group-ingress\(r) --group-id \(id) --ip-permissions 'IP_PERMISSIONS_ADDED'",
            ])
    }

    static func keyPair(_ name: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice: "Find instances launched with the key pair, then delete it." + record,
            commands: [
                "aws ec2 describe-instances\(r) --filters Name=key-name,Values=\(name)",
                "aws ec2 delete-key-pair\(r) --key-name \(name)",
            ])
    }

    static func trail(_ name: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice: "Start logging again and restore the selectors and bucket; events while it was off are only in the "
                + "90-day event history (LookupEvents), so collect that now.",
            commands: [
                "aws cloudtrail start-logging\(r) --name \(name)",
                "aws cloudtrail get-trail-status\(r) --name \(name)",
                "aws cloudtrail get-event-selectors\(r) --trail-name \(name)",
            ])
    }

    static func detector(_ id: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice:
                "Enable the detector again (create one if it was deleted) and remove trusted IP sets you did not add.",
            commands: [
                "aws guardduty update-detector\(r) --detector-id \(id) --enable",
                "aws guardduty list-ip-sets\(r) --detector-id \(id)",
            ])
    }

    static func temporaryCredentials(user: String?, role: String?) -> Containment {
        var commands: [String] = []
        if let user {
            commands.append(Containment.revokeSessions(user: user))
        }
        if let role { commands.append(revokeSessions(role: role)) }
        return Containment(
            advice:
                "Temporary credentials outlive disabling the key that made them (up to 36 hours for session tokens): deny "
                + "everything to sessions issued before now (aws:TokenIssueTime), then disable the key.",
            commands: commands
        ).askingForTime()
    }

    static func review(_ what: String, commands: [String] = []) -> Containment {
        Containment(advice: what, commands: commands)
    }

    // MARK: Hijacked capacity and instances reached

    static func computeHijack(instances: [String], type: String, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands = [
            "aws ec2 describe-instances\(r) --filters Name=instance-type,Values=\(type) Name=instance-state-name,Values=pending,running "
                + "--query 'Reservations[].Instances[].[InstanceId,LaunchTime,IamInstanceProfile.Arn]'"
        ]
        if !instances.isEmpty {
            commands.append(
                "aws ec2 create-snapshot\(r) --volume-id VOLUME_ID --description 'custody: before terminating \(instances[0])'"
            )
            commands.append("aws ec2 terminate-instances\(r) --instance-ids \(instances.joined(separator: " "))")
        }
        commands += [
            "aws ec2 describe-spot-instance-requests\(r) --filters Name=state,Values=open,active",
            "aws autoscaling describe-auto-scaling-groups\(r) --query 'AutoScalingGroups[].[AutoScalingGroupName,DesiredCapacity]'",
            "aws service-quotas list-requested-service-quota-change-history --service-code ec2\(r)",
        ]
        return Containment(
            advice:
                "Hijacked capacity costs by the hour: snapshot one instance's volumes if it is needed as evidence, then "
                + "terminate the instances. Look in every region, and for what would launch them again (spot requests, "
                + "Auto Scaling groups, launch templates) and for quota increases the intruder asked for." + record,
            commands: commands)
    }

    static func bedrock(key: String?, user: String?, role: String?, models: [String], region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands: [String] = []
        if let key, let user {
            commands.append("aws iam update-access-key --user-name \(user) --access-key-id \(key) --status Inactive")
        }
        if let user {
            commands.append(
                "aws iam put-user-policy --user-name \(user) --policy-name custody-deny-bedrock --policy-document "
                    + #"'{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"bedrock:*","Resource":"*"}]}'"#
            )
        }
        if let role { commands.append(revokeSessions(role: role)) }
        commands += models.map { "aws bedrock delete-foundation-model-agreement\(r) --model-id \($0)" }
        commands += [
            "aws bedrock get-model-invocation-logging-configuration\(r)",
            "aws bedrock put-model-invocation-logging-configuration\(r) --logging-config "
                + #"'{"s3Config":{"bucketName":"BUCKET","keyPrefix":"bedrock-invocations/"},"textDataDeliveryEnabled":true,"imageDataDeliveryEnabled":true,"embeddingDataDeliveryEnabled":true}'"#,
        ]
        return Containment(
            advice:
                "Cut the caller off Bedrock: disable its key (or revoke the role's sessions) and deny bedrock:* to it. "
                + "Remove the model agreements it made, and turn on model invocation logging to see any further "
                + "prompts; check the bill (Bedrock and Marketplace model charges) in every region." + record,
            commands: commands
        ).askingForTime()
    }

    static func userData(instances: [String], region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice:
                "Read the user data yourself and rotate every password, key and token in it; then move secrets out "
                + "of user data into Secrets Manager or Parameter Store. Contain the caller's key or session.",
            commands: instances.prefix(10).map {
                "aws ec2 describe-instance-attribute\(r) --instance-id \($0) --attribute userData "
                    + "--query UserData.Value --output text | base64 -d"
            })
    }

    static func serialConsole(region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice:
                "Turn serial console access off again unless the account relies on it, and find the keys pushed "
                + "through it (SendSerialConsoleSSHPublicKey) since it was turned on.",
            commands: [
                "aws ec2 disable-serial-console-access\(r)", "aws ec2 get-serial-console-access-status\(r)",
            ])
    }

    static func instanceAccess(instances: [String], region: String?, serial: Bool) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands = [String]()
        for id in instances.prefix(10) {
            commands.append(
                "aws ec2 describe-volumes\(r) --filters Name=attachment.instance-id,Values=\(id) --query 'Volumes[].VolumeId'"
            )
        }
        commands.append("aws ec2 create-snapshot\(r) --volume-id VOLUME_ID --description 'custody: after SSH key push'")
        if serial { commands.append("aws ec2 disable-serial-console-access\(r)") }
        return Containment(
            advice:
                "Whoever held the key had a shell: snapshot the instances' volumes, then look on them for new "
                + "authorized_keys, users, services and cron jobs. Deny ec2-instance-connect:SendSSHPublicKey and "
                + "SendSerialConsoleSSHPublicKey to the caller, and contain its key or session." + record,
            commands: commands)
    }

    static func instanceCredentials(instance: String, role: String?, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands: [String] = []
        if let role { commands.append(revokeSessions(role: role)) }
        commands += [
            "aws ec2 modify-instance-metadata-options\(r) --instance-id \(instance) --http-tokens required --http-endpoint enabled",
            "aws ec2 describe-instances\(r) --instance-ids \(instance) --query 'Reservations[].Instances[].MetadataOptions'",
            "aws ec2 describe-volumes\(r) --filters Name=attachment.instance-id,Values=\(instance) --query 'Volumes[].VolumeId'",
            "aws ec2 create-snapshot\(r) --volume-id VOLUME_ID --description 'custody: credentials of \(instance) used elsewhere'",
        ]
        return Containment(
            advice:
                "The instance role's credentials work wherever they are taken, until they expire: deny everything to "
                + "the role's sessions issued before now (aws:TokenIssueTime; the instance fetches new credentials by "
                + "itself). Require IMDSv2 so a request forged through the "
                + "instance (SSRF) cannot read the metadata service, then snapshot the instance's volumes and find "
                + "how the credentials left it: a vulnerable web application, a command run on it, a user on it."
                + record,
            commands: commands
        ).askingForTime()
    }
}

// MARK: Logging other than trails, and Lambda functions

extension Advice {
    static func flowLogs(region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice: "Create the flow logs again for each VPC (or subnet, interface) that lost them, with the same "
                + "destination; traffic while they were gone is recorded nowhere, so look at other sources (load "
                + "balancer and DNS logs, GuardDuty).",
            commands: [
                "aws ec2 describe-flow-logs\(r)",
                "aws ec2 describe-vpcs\(r) --query 'Vpcs[].VpcId'",
                "aws ec2 create-flow-logs\(r) --resource-type VPC --resource-ids VPC_ID --traffic-type ALL "
                    + "--log-destination-type s3 --log-destination arn:aws:s3:::FLOW_LOG_BUCKET",
            ])
    }

    static func dnsQueryLogs(config: String?, destination: String?, vpc: String?, region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        var commands = ["aws route53resolver list-resolver-query-log-configs\(r)"]
        if config == nil {
            commands.append(
                "aws route53resolver create-resolver-query-log-config\(r) --name custody-restored "
                    + "--destination-arn \(destination ?? "DESTINATION_ARN") --creator-request-id custody-restored")
        }
        commands.append(
            "aws route53resolver associate-resolver-query-log-config\(r) --resolver-query-log-config-id "
                + "\(config ?? "NEW_CONFIG_ID") --resource-id \(vpc ?? "VPC_ID")")
        return Containment(
            advice: "Log the VPCs' DNS queries again: "
                + (config == nil
                    ? "create a query log configuration (same destination) and associate it with every VPC it covered."
                    : "associate the configuration with the VPC again.")
                + " Queries in between are recorded nowhere.",
            commands: commands)
    }

    static func modelInvocationLogs(region: String?) -> Containment {
        let r = region.map { " --region \($0)" } ?? ""
        return Containment(
            advice: "Turn model invocation logging back on, then look at Bedrock calls in CloudTrail (InvokeModel, "
                + "Converse) for what ran while it was off: their prompts and responses are lost.",
            commands: [
                "aws bedrock get-model-invocation-logging-configuration\(r)",
                "aws bedrock put-model-invocation-logging-configuration\(r) --logging-config "
                    + #"'{"s3Config":{"bucketName":"LOG_BUCKET","keyPrefix":"bedrock"},"textDataDeliveryEnabled":true,"imageDataDeliveryEnabled":true,"embeddingDataDeliveryEnabled":true}'"#,
            ])
    }

    static func trailBucket(_ bucket: String, lifecycle: Bool) -> Containment {
        let copy = "aws s3 sync s3://\(bucket)/ s3://EVIDENCE_BUCKET/\(bucket)/"
        if lifecycle {
            return Containment(
                advice: "Copy the logs still in the bucket somewhere the intruder cannot reach, now, then remove the "
                    + "lifecycle rule that expires them (save the configuration as evidence first). Expired objects "
                    + "are gone unless versioning kept them.",
                commands: [
                    "aws s3api get-bucket-lifecycle-configuration --bucket \(bucket)", copy,
                    "aws s3api delete-bucket-lifecycle --bucket \(bucket)",
                    "aws s3api get-bucket-versioning --bucket \(bucket)",
                ])
        }
        return Containment(
            advice: "Put back a policy that lets cloudtrail.amazonaws.com s3:GetBucketAcl and s3:PutObject on "
                + "AWSLogs/ (save the current one as evidence first), then check each trail delivering there for "
                + "delivery errors: what was not delivered meanwhile is only in the 90-day event history (LookupEvents), "
                + "so collect that now.",
            commands: [
                "aws s3api get-bucket-policy --bucket \(bucket)",
                "aws s3api put-bucket-policy --bucket \(bucket) --policy file://trail-bucket-policy.json",
                "aws cloudtrail describe-trails --query \"trailList[?S3BucketName=='\(bucket)'].[Name,HomeRegion]\"",
                "aws cloudtrail get-trail-status --name TRAIL_NAME --query '[LatestDeliveryTime,LatestDeliveryError]'",
                copy,
            ])
    }

    static func lambdaFunction(_ function: String, region: String?, code: Bool, layers: Bool, role: String?)
        -> Containment
    {
        let r = region.map { " --region \($0)" } ?? ""
        var commands = [
            "aws lambda get-function\(r) --function-name \(function)",
            "aws lambda list-versions-by-function\(r) --function-name \(function)",
            "aws lambda list-aliases\(r) --function-name \(function)",
            "aws lambda put-function-concurrency\(r) --function-name \(function) --reserved-concurrent-executions 0",
        ]
        if code {
            commands += [
                "aws lambda get-function\(r) --function-name \(function) --qualifier PREVIOUS_VERSION --query Code.Location",
                "aws lambda update-function-code\(r) --function-name \(function) --zip-file fileb://previous.zip --publish",
                "aws lambda update-alias\(r) --function-name \(function) --name ALIAS --function-version PREVIOUS_VERSION",
            ]
        }
        if layers {
            commands.append(
                "aws lambda update-function-configuration\(r) --function-name \(function) --layers LAYER_ARNS_TO_KEEP")
        }
        if !code {
            commands.append(
                "aws lambda update-function-configuration\(r) --function-name \(function) --role PREVIOUS_ROLE_ARN")
        }
        if let role { commands.append(revokeSessions(role: role)) }
        return Containment(
            advice: "Save the function's code and configuration as evidence (get-function gives a link to the code), "
                + "then stop it running (reserved concurrency 0) until it is rebuilt: publish the previous version's "
                + "code again or point aliases back at it, take off layers nobody added on purpose, give it back its "
                + "role. The new code could read the role's credentials: revoke the role's sessions." + record,
            commands: commands
        ).askingForTime()
    }
}
