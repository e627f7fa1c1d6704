/// What a rule looks for: its id, title, ATT&CK techniques and the CloudTrail events behind it.
public struct Rule: Codable, Hashable, Sendable {
    /// Whether a rule reads snapshots (and CloudTrail for the event that made the change) or CloudTrail alone.
    public enum Form: String, Codable, Hashable, Sendable {
        /// Seen in a snapshot diff; given only CloudTrail, its events still yield the finding.
        case state
        /// Seen only in CloudTrail.
        case cloudTrail = "cloudtrail"
    }

    /// The rule's id.
    public var id: RuleID
    /// A short title.
    public var title: String
    /// The ATT&CK techniques, the main one first.
    public var techniques: [Technique]
    /// Where the rule looks.
    public var form: Form
    /// The CloudTrail `eventName`s that make or show the change, declared only here: their records
    /// are kept (`DiffEngine.recordsRead`) and, for a rule that judges one event at a time, given
    /// to its handler (`EventRules.handlers`). Empty for the behavioural rules, which read every event.
    public var eventNames: [String]

    /// Makes a rule.
    public init(id: RuleID, title: String, techniques: [Technique], form: Form, eventNames: [String]) {
        self.id = id
        self.title = title
        self.techniques = techniques
        self.form = form
        self.eventNames = eventNames
    }
}

extension Rule {
    /// Every rule, in the order of `TECHNIQUES.md`.
    public static let all: [Rule] = [
        Rule(
            id: .accessKeyCreated, title: "Access key created", techniques: [.additionalCloudCredentials], form: .state,
            eventNames: ["CreateAccessKey"]),
        Rule(
            id: .accessKeyReactivated, title: "Access key reactivated", techniques: [.additionalCloudCredentials],
            form: .state, eventNames: ["UpdateAccessKey"]),
        Rule(
            id: .userCreated, title: "IAM user created", techniques: [.cloudAccount], form: .state,
            eventNames: ["CreateUser"]),
        Rule(
            id: .loginProfileCreated, title: "Console password added", techniques: [.additionalCloudCredentials],
            form: .state, eventNames: ["CreateLoginProfile"]),
        Rule(
            id: .loginProfileChanged, title: "Console password changed", techniques: [.accountManipulation],
            form: .state, eventNames: ["UpdateLoginProfile"]),
        Rule(
            id: .roleCreated, title: "IAM role created", techniques: [.additionalCloudRoles], form: .state,
            eventNames: ["CreateRole"]),
        Rule(
            id: .roleTrustChanged, title: "Role trust policy admits a new principal",
            techniques: [.additionalCloudRoles],
            form: .state, eventNames: ["UpdateAssumeRolePolicy"]),
        Rule(
            id: .privilegedPolicyAttached, title: "Administrator permissions granted",
            techniques: [.additionalCloudRoles],
            form: .state,
            eventNames: [
                "AttachUserPolicy", "AttachGroupPolicy", "AttachRolePolicy", "PutUserPolicy", "PutGroupPolicy",
                "PutRolePolicy",
            ]),
        Rule(
            id: .policyVersionChanged, title: "Managed policy has a new default version",
            techniques: [.additionalCloudRoles], form: .state,
            eventNames: ["CreatePolicyVersion", "SetDefaultPolicyVersion"]),
        Rule(
            id: .groupMemberAdded, title: "User added to a group", techniques: [.additionalCloudRoles], form: .state,
            eventNames: ["AddUserToGroup"]),
        Rule(
            id: .otherCredentialAdded, title: "Other credential added to a user",
            techniques: [.additionalCloudCredentials], form: .state,
            eventNames: [
                "CreateVirtualMFADevice", "EnableMFADevice", "UploadSSHPublicKey", "CreateServiceSpecificCredential",
                "UploadSigningCertificate",
            ]),
        Rule(
            id: .identityProviderChanged, title: "Identity provider created or changed",
            techniques: [.trustModification], form: .state,
            eventNames: [
                "CreateSAMLProvider", "UpdateSAMLProvider", "CreateOpenIDConnectProvider",
                "UpdateOpenIDConnectProviderThumbprint", "AddClientIDToOpenIDConnectProvider",
            ]),
        Rule(
            id: .instanceProfileChanged, title: "Role added to an instance profile",
            techniques: [.additionalCloudRoles],
            form: .state, eventNames: ["AddRoleToInstanceProfile"]),
        Rule(
            id: .instanceLaunchedWithRole, title: "Instance launched with a role", techniques: [.createCloudInstance],
            form: .state,
            eventNames: ["RunInstances", "AssociateIamInstanceProfile", "ReplaceIamInstanceProfileAssociation"]),
        Rule(
            id: .regionFirstUse, title: "Region used for the first time", techniques: [.unusedRegions], form: .state,
            eventNames: ["RunInstances"]),
        Rule(
            id: .vpcEndpointCreated, title: "VPC endpoint created", techniques: [.networkBoundaryBridging],
            form: .state, eventNames: ["CreateVpcEndpoint"]),
        Rule(
            id: .securityGroupOpened, title: "Security group opened", techniques: [.cloudFirewall], form: .state,
            eventNames: ["AuthorizeSecurityGroupIngress"]),
        Rule(
            id: .keyPairAdded, title: "EC2 key pair added", techniques: [.sshAuthorizedKeys], form: .state,
            eventNames: ["CreateKeyPair", "ImportKeyPair"]),
        Rule(
            id: .trailImpaired, title: "CloudTrail logging impaired", techniques: [.cloudLogs], form: .state,
            eventNames: ["StopLogging", "DeleteTrail", "UpdateTrail", "PutEventSelectors"]),
        Rule(
            id: .guardDutyImpaired, title: "GuardDuty impaired", techniques: [.impairTools], form: .state,
            eventNames: ["DeleteDetector", "UpdateDetector", "CreateIPSet", "UpdateIPSet"]),
        Rule(
            id: .sessionTokenIssued, title: "Session token issued", techniques: [.applicationAccessToken],
            form: .cloudTrail, eventNames: ["GetSessionToken"]),
        Rule(
            id: .federationTokenIssued, title: "Federation token issued", techniques: [.applicationAccessToken],
            form: .cloudTrail, eventNames: ["GetFederationToken", "GetSigninToken"]),
        Rule(
            id: .roleAssumedBySuspect, title: "Role assumed by a suspect or foreign principal",
            techniques: [.validCloudAccounts], form: .cloudTrail, eventNames: ["AssumeRole"]),
        Rule(
            id: .consoleLogin, title: "Console login without MFA or by a new user", techniques: [.validCloudAccounts],
            form: .cloudTrail, eventNames: ["ConsoleLogin"]),
        Rule(
            id: .enumeration, title: "Burst of discovery calls",
            techniques: [.cloudAccountDiscovery, .infrastructureDiscovery],
            form: .cloudTrail, eventNames: []),
        Rule(
            id: .deniedBurst, title: "Burst of denied calls", techniques: [.validCloudAccounts], form: .cloudTrail,
            eventNames: []),
        Rule(
            id: .secretsRead, title: "Secrets read", techniques: [.passwordStores, .unsecuredCredentials],
            form: .cloudTrail,
            eventNames: ["GetSecretValue", "BatchGetSecretValue", "GetParameters", "GetParameter", "GetPasswordData"]),
        Rule(
            id: .newSource, title: "Credentials used from a new source", techniques: [.validCloudAccounts],
            form: .cloudTrail, eventNames: []),
        Rule(
            id: .rolesAnywhereTrustAnchor, title: "IAM Roles Anywhere trust anchor or profile created",
            techniques: [.additionalCloudRoles], form: .cloudTrail, eventNames: ["CreateTrustAnchor", "CreateProfile"]),
        Rule(
            id: .lambdaExternalAccess, title: "Lambda function opened to another account",
            techniques: [.accountManipulation], form: .cloudTrail,
            eventNames: ["AddPermission20150331v2", "AddPermission20150331", "AddPermission"]),
        Rule(
            id: .resourceShared, title: "Snapshot, image or bucket shared", techniques: [.transferToCloudAccount],
            form: .cloudTrail,
            eventNames: [
                "ModifySnapshotAttribute", "ModifyImageAttribute", "ModifyDBSnapshotAttribute",
                "ModifyDBClusterSnapshotAttribute", "PutBucketPolicy", "PutBucketAcl",
            ]),
        Rule(
            id: .organizationLeft, title: "Account left its Organization", techniques: [.leaveOrganization],
            form: .cloudTrail, eventNames: ["LeaveOrganization"]),
        Rule(
            id: .instanceCommand, title: "Commands sent to instances or user data rewritten",
            techniques: [.cloudAdministrationCommand], form: .cloudTrail,
            eventNames: ["SendCommand", "StartSession", "ModifyInstanceAttribute"]),
        Rule(
            id: .flowLogsDeleted, title: "VPC flow logs deleted", techniques: [.cloudLogs], form: .cloudTrail,
            eventNames: ["DeleteFlowLogs"]),
        Rule(
            id: .dnsQueryLogsRemoved, title: "DNS query logging deleted or detached", techniques: [.cloudLogs],
            form: .cloudTrail, eventNames: ["DeleteResolverQueryLogConfig", "DisassociateResolverQueryLogConfig"]),
        Rule(
            id: .modelInvocationLogsDeleted, title: "Bedrock model invocation logging deleted",
            techniques: [.cloudLogs], form: .cloudTrail, eventNames: ["DeleteModelInvocationLoggingConfiguration"]),
        Rule(
            id: .trailBucketImpaired, title: "Trail bucket set to expire logs or closed to CloudTrail",
            techniques: [.cloudLogs, .dataDestruction], form: .cloudTrail,
            eventNames: [
                "PutBucketLifecycle", "PutBucketLifecycleConfiguration", "DeleteBucketPolicy", "PutBucketPolicy",
            ]),
        Rule(
            id: .lambdaBackdoored, title: "Lambda function's code, layers or role changed",
            techniques: [.eventTriggeredExecution, .implantInternalImage], form: .cloudTrail,
            eventNames: [
                "UpdateFunctionCode20150331v2", "UpdateFunctionCode20150331", "UpdateFunctionConfiguration20150331v2",
                "CreateFunction20150331",
            ]),
        Rule(
            id: .resourceHijacking, title: "Capacity or Bedrock models hijacked",
            techniques: [.computeHijacking, .cloudServiceHijacking], form: .cloudTrail,
            eventNames: ["RunInstances"] + EventRules.bedrockCalls.keys.sorted()),
        Rule(
            id: .userData, title: "Instance user data read",
            techniques: [.cloudInstanceMetadataAPI, .infrastructureDiscovery],
            form: .cloudTrail, eventNames: ["DescribeInstanceAttribute"]),
        Rule(
            id: .instanceAccess, title: "SSH key pushed to an instance or serial console enabled",
            techniques: [.remoteSSH, .sshAuthorizedKeys], form: .cloudTrail,
            eventNames: ["SendSSHPublicKey", "SendSerialConsoleSSHPublicKey", "EnableSerialConsoleAccess"]),
        Rule(
            id: .instanceRoleOutside, title: "Instance credentials used outside their instance",
            techniques: [.cloudInstanceMetadataAPI, .validCloudAccounts], form: .cloudTrail, eventNames: []),
        Rule(
            id: .containmentAction, title: "Containment or clean-up by a suspect actor",
            techniques: [.indicatorRemoval],
            form: .cloudTrail, eventNames: EventRules.containmentEventNames),
    ]

    /// The rule with `id`.
    public static func named(_ id: RuleID) -> Rule {
        byID[id] ?? Rule(id: id, title: id.rawValue, techniques: [], form: .cloudTrail, eventNames: [])
    }

    private static let byID: [RuleID: Rule] = Dictionary(uniqueKeysWithValues: all.map { ($0.id, $0) })
}
