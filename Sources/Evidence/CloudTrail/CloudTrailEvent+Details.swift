public import CustodyJSON

extension CloudTrailEvent {
    /// A resource a call touched, from the record's `resources`.
    public struct Resource: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// A resource with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// The resource's ARN (CloudTrail spells the member `ARN`).
        public var arn: String? { members["ARN"]?.stringValue }
        /// The account that owns it.
        public var accountId: String? { members["accountId"]?.stringValue }
        /// Its type, such as `AWS::S3::Object`.
        public var type: String? { members["type"]?.stringValue }
    }

    /// How the request reached AWS, from the record's `tlsDetails`.
    public struct TLSDetails: Codable, Hashable, Sendable {
        /// Every member.
        public var members: [String: JSONValue]

        /// Details with these members.
        public init(members: [String: JSONValue]) { self.members = members }

        /// Such as `TLSv1.3`.
        public var tlsVersion: String? { members["tlsVersion"]?.stringValue }
        /// Such as `TLS_AES_128_GCM_SHA256`.
        public var cipherSuite: String? { members["cipherSuite"]?.stringValue }
        /// The host name the client asked for.
        public var clientProvidedHostHeader: String? { members["clientProvidedHostHeader"]?.stringValue }
    }
}
