/// A CloudTrail event as findings and actors cite it: what was called, when, by whom, from where.
public struct EventReference: Codable, Hashable, Sendable {
    /// CloudTrail's `eventID`.
    public var eventID: String?
    /// `eventTime`, as written.
    public var eventTime: String?
    /// `eventSource`, such as `iam.amazonaws.com`.
    public var eventSource: String?
    /// `eventName`, such as `CreateAccessKey`.
    public var eventName: String?
    /// `awsRegion`.
    public var region: String?
    /// The principal's ARN (`userIdentity.arn`), or its type and account when it has none.
    public var principal: String?
    /// `userIdentity.type`.
    public var principalType: String?
    /// The access key that signed the request.
    public var accessKeyId: String?
    /// `sourceIPAddress`.
    public var sourceIPAddress: String?
    /// `userAgent`.
    public var userAgent: String?
    /// `vpcEndpointId`, when the call came through a VPC endpoint.
    public var vpcEndpointId: String?
    /// `errorCode`, when the call failed.
    public var errorCode: String?
    /// `recipientAccountId`.
    public var account: String?
    /// Where the record is.
    public var evidence: EvidencePointer?

    /// Makes a reference.
    public init(
        eventID: String? = nil, eventTime: String? = nil, eventSource: String? = nil, eventName: String? = nil,
        region: String? = nil, principal: String? = nil, principalType: String? = nil, accessKeyId: String? = nil,
        sourceIPAddress: String? = nil, userAgent: String? = nil, vpcEndpointId: String? = nil,
        errorCode: String? = nil, account: String? = nil, evidence: EvidencePointer? = nil
    ) {
        self.eventID = eventID
        self.eventTime = eventTime
        self.eventSource = eventSource
        self.eventName = eventName
        self.region = region
        self.principal = principal
        self.principalType = principalType
        self.accessKeyId = accessKeyId
        self.sourceIPAddress = sourceIPAddress
        self.userAgent = userAgent
        self.vpcEndpointId = vpcEndpointId
        self.errorCode = errorCode
        self.account = account
        self.evidence = evidence
    }
}
