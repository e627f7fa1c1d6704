public import CustodyJSON

/// A managed policy attached to a user, group or role.
public struct AttachedPolicy: Codable, Hashable, Sendable {
    /// The policy's name.
    public var policyName: String
    /// The policy's ARN (`arn:aws:iam::aws:policy/…` for AWS managed policies).
    public var policyArn: String

    /// Makes a reference.
    public init(policyName: String, policyArn: String) {
        self.policyName = policyName
        self.policyArn = policyArn
    }
}

extension AttachedPolicy: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["policyName", "policyArn"])
        self.init(policyName: try o.string(0), policyArn: try o.string(1))
    }
}

/// An inline policy embedded in a user, group or role, its document decoded from IAM's URL encoding.
public struct InlinePolicy: Codable, Hashable, Sendable {
    /// The policy's name.
    public var policyName: String
    /// The policy document.
    public var document: JSONValue

    /// Makes an inline policy.
    public init(policyName: String, document: JSONValue) {
        self.policyName = policyName
        self.document = document
    }
}

extension InlinePolicy: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["policyName", "document"])
        self.init(policyName: try o.string(0), document: try o.value(1))
    }
}

/// A resource tag.
public struct Tag: Codable, Hashable, Sendable {
    /// The key.
    public var key: String
    /// The value.
    public var value: String

    /// Makes a tag.
    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

extension Tag: TapeDecodable {
    /// Decodes the object at `node` of `tape` member by member, as `Decodable` would.
    package init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["key", "value"])
        self.init(key: try o.string(0), value: try o.string(1))
    }
}
