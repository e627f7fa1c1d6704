import CustodyJSON
import Evidence

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A value decoded straight from a `JSONTape`, for the entities a snapshot holds by the ten
/// thousand (users and their credentials, roles, instances): the value `TapeDecoder` makes through
/// `Decodable`, with the same errors for a missing or mistyped member, without its generic
/// containers, which were most of the time a diff spent reading.
protocol TapeDecodable {
    init(tape: JSONTape, node: Int) throws
}

/// The members of one object, found in one pass over it: for each looked-for name, the value
/// node of its first occurrence (as `TapeDecoder` finds it), or nil.
struct TapeObject {
    let tape: JSONTape
    private var values: [Int32]

    /// Reads the object at `node`, looking for `names`.
    /// - Throws: a type mismatch when `node` is not an object.
    init(_ tape: JSONTape, _ node: Int, _ names: [StaticString]) throws {
        self.tape = tape
        let object = tape.nodes[node]
        guard object.kind == .object else { throw TapeDecoder.mismatch([String: Any].self) }
        values = [Int32](repeating: -1, count: names.count)
        var child = node + 1
        tape.bytes.withUnsafeBufferPointer { bytes in
            for _ in 0..<object.count {
                let key = tape.nodes[child]
                if key.kind == .escapedString {
                    let text = tape.string(child)
                    if let slot = names.firstIndex(where: { $0.description == text }), values[slot] < 0 {
                        values[slot] = Int32(child + 1)
                    }
                } else {
                    let count = Int(key.end - key.start)
                    for (slot, name) in names.enumerated()
                    where name.utf8CodeUnitCount == count && values[slot] < 0
                        && (count == 0 || memcmp(bytes.baseAddress! + Int(key.start), name.utf8Start, count) == 0)
                    {
                        values[slot] = Int32(child + 1)
                        break
                    }
                }
                child = Int(tape.nodes[child + 1].next)
            }
        }
    }

    /// The value node of name `slot`, or nil when the object lacks it.
    func node(_ slot: Int) -> Int? { values[slot] < 0 ? nil : Int(values[slot]) }

    /// The value node of name `slot` unless it is missing or null, as `decodeIfPresent` reads it.
    func present(_ slot: Int) -> Int? {
        guard let node = node(slot), tape.nodes[node].kind != .null else { return nil }
        return node
    }

    /// A required member's node.
    func required(_ slot: Int) throws -> Int {
        guard let node = node(slot) else {
            throw DecodingError.keyNotFound(
                TapeCodingKey(slot: slot), .init(codingPath: [], debugDescription: "a required member is missing"))
        }
        return node
    }

    func string(_ slot: Int) throws -> String {
        guard let value = tape.string(try required(slot)) else { throw TapeDecoder.mismatch(String.self) }
        return value
    }

    func optionalString(_ slot: Int) throws -> String? {
        guard let node = present(slot) else { return nil }
        guard let value = tape.string(node) else { throw TapeDecoder.mismatch(String.self) }
        return value
    }

    func bool(_ slot: Int) throws -> Bool { try TapeDecoder.decode(Bool.self, tape, try required(slot)) }

    func optionalInt(_ slot: Int) throws -> Int? {
        try present(slot).map { try TapeDecoder.decode(Int.self, tape, $0) }
    }

    func value(_ slot: Int) throws -> JSONValue { tape.value(try required(slot)) }

    func optional<T: TapeDecodable>(_ slot: Int, _ type: T.Type) throws -> T? {
        try present(slot).map { try T(tape: tape, node: $0) }
    }

    func list<T: TapeDecodable>(_ slot: Int, _ type: T.Type) throws -> [T] {
        try tape.list(try required(slot)) { try T(tape: tape, node: $0) }
    }

    func strings(_ slot: Int) throws -> [String] {
        try tape.list(try required(slot)) { node in
            guard let value = tape.string(node) else { throw TapeDecoder.mismatch(String.self) }
            return value
        }
    }
}

/// The key a missing member's error names.
struct TapeCodingKey: CodingKey {
    var stringValue: String
    var intValue: Int?

    init(slot: Int) {
        stringValue = "member \(slot)"
        intValue = slot
    }

    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) {
        self.intValue = intValue
        stringValue = String(intValue)
    }
}

extension JSONTape {
    /// The elements of the array at `node`, each made by `element`.
    /// - Throws: a type mismatch when `node` is not an array, or what `element` throws.
    func list<T>(_ node: Int, _ element: (Int) throws -> T) throws -> [T] {
        let array = nodes[node]
        guard array.kind == .array else { throw TapeDecoder.mismatch([T].self) }
        var out: [T] = []
        out.reserveCapacity(Int(array.count))
        var child = node + 1
        for _ in 0..<array.count {
            out.append(try element(child))
            child = Int(nodes[child].next)
        }
        return out
    }
}

extension IAMUser: TapeDecodable {
    private static let names: [StaticString] = [
        "userName", "userId", "arn", "path", "createDate", "passwordLastUsed", "permissionsBoundary", "groups",
        "attachedPolicies", "inlinePolicies", "accessKeys", "loginProfile", "mfaDevices", "sshPublicKeys",
        "serviceSpecificCredentials", "signingCertificates", "tags",
    ]

    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            userName: try o.string(0), userId: try o.string(1), arn: try o.string(2), path: try o.string(3),
            createDate: try o.string(4), passwordLastUsed: try o.optionalString(5),
            permissionsBoundary: try o.optionalString(6), groups: try o.strings(7),
            attachedPolicies: try o.list(8, AttachedPolicy.self), inlinePolicies: try o.list(9, InlinePolicy.self),
            accessKeys: try o.list(10, AccessKey.self), loginProfile: try o.optional(11, LoginProfile.self),
            mfaDevices: try o.list(12, MFADevice.self), sshPublicKeys: try o.list(13, SSHPublicKey.self),
            serviceSpecificCredentials: try o.list(14, ServiceSpecificCredential.self),
            signingCertificates: try o.list(15, SigningCertificate.self), tags: try o.list(16, Tag.self))
    }
}

extension AccessKey: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["accessKeyId", "status", "createDate", "lastUsed"])
        self.init(
            accessKeyId: try o.string(0), status: try o.string(1), createDate: try o.string(2),
            lastUsed: try o.optional(3, AccessKeyLastUsed.self))
    }
}

extension AccessKeyLastUsed: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["date", "serviceName", "region"])
        self.init(date: try o.optionalString(0), serviceName: try o.optionalString(1), region: try o.optionalString(2))
    }
}

extension LoginProfile: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["createDate", "passwordResetRequired"])
        self.init(createDate: try o.string(0), passwordResetRequired: try o.bool(1))
    }
}

extension MFADevice: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["serialNumber", "enableDate"])
        self.init(serialNumber: try o.string(0), enableDate: try o.string(1))
    }
}

extension SSHPublicKey: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["sshPublicKeyId", "status", "uploadDate"])
        self.init(sshPublicKeyId: try o.string(0), status: try o.string(1), uploadDate: try o.string(2))
    }
}

extension ServiceSpecificCredential: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(
            tape, node, ["serviceSpecificCredentialId", "serviceName", "serviceUserName", "status", "createDate"])
        self.init(
            serviceSpecificCredentialId: try o.string(0), serviceName: try o.string(1),
            serviceUserName: try o.string(2),
            status: try o.string(3), createDate: try o.string(4))
    }
}

extension SigningCertificate: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["certificateId", "status", "uploadDate"])
        self.init(certificateId: try o.string(0), status: try o.string(1), uploadDate: try o.optionalString(2))
    }
}

extension AttachedPolicy: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["policyName", "policyArn"])
        self.init(policyName: try o.string(0), policyArn: try o.string(1))
    }
}

extension InlinePolicy: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["policyName", "document"])
        self.init(policyName: try o.string(0), document: try o.value(1))
    }
}

extension Tag: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["key", "value"])
        self.init(key: try o.string(0), value: try o.string(1))
    }
}

extension IAMRole: TapeDecodable {
    private static let names: [StaticString] = [
        "roleName", "roleId", "arn", "path", "createDate", "description", "maxSessionDuration", "trustPolicy",
        "permissionsBoundary", "attachedPolicies", "inlinePolicies", "instanceProfiles", "lastUsed", "tags",
    ]

    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            roleName: try o.string(0), roleId: try o.string(1), arn: try o.string(2), path: try o.string(3),
            createDate: try o.string(4), description: try o.optionalString(5), maxSessionDuration: try o.optionalInt(6),
            trustPolicy: try o.value(7), permissionsBoundary: try o.optionalString(8),
            attachedPolicies: try o.list(9, AttachedPolicy.self), inlinePolicies: try o.list(10, InlinePolicy.self),
            instanceProfiles: try o.strings(11), lastUsed: try o.optional(12, RoleLastUsed.self),
            tags: try o.list(13, Tag.self))
    }
}

extension RoleLastUsed: TapeDecodable {
    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, ["date", "region"])
        self.init(date: try o.optionalString(0), region: try o.optionalString(1))
    }
}

extension EC2Instance: TapeDecodable {
    private static let names: [StaticString] = [
        "instanceId", "region", "state", "launchTime", "instanceType", "imageId", "keyName", "instanceProfileArn",
        "instanceProfileId", "securityGroupIds", "vpcId", "subnetId", "privateIpAddress", "publicIpAddress", "tags",
    ]

    init(tape: JSONTape, node: Int) throws {
        let o = try TapeObject(tape, node, Self.names)
        self.init(
            instanceId: try o.string(0), region: try o.string(1), state: try o.string(2),
            launchTime: try o.optionalString(3), instanceType: try o.optionalString(4),
            imageId: try o.optionalString(5),
            keyName: try o.optionalString(6), instanceProfileArn: try o.optionalString(7),
            instanceProfileId: try o.optionalString(8), securityGroupIds: try o.strings(9),
            vpcId: try o.optionalString(10),
            subnetId: try o.optionalString(11), privateIpAddress: try o.optionalString(12),
            publicIpAddress: try o.optionalString(13), tags: try o.list(14, Tag.self))
    }
}
