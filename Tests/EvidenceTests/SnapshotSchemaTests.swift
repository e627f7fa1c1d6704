import CustodyJSON
import CustodyTestSupport
import Evidence
import Foundation
import Testing

/// Snapshot members checked against `Schemas/snapshot/` by Python's `jsonschema`, the validator a
/// stranger reading an archive would use: every schema is valid draft 2020-12 with resolvable
/// references, every member of a realistic snapshot validates, and a member that strays from the
/// Swift model does not.
@Suite
struct SnapshotSchemaTests {
    let validator = SchemaValidator()

    @Test func everySchemaIsValidDraft202012WithResolvableReferences() throws {
        let problems = try validator.checkSchemas()
        #expect(problems.keys.sorted() == (SchemaValidator.schemaFiles + ["common.schema.json"]).sorted())
        for (schema, found) in problems.sorted(by: { $0.key < $1.key }) {
            #expect(found.isEmpty, "\(schema): \(found.joined(separator: "; "))")
        }
    }

    @Test func everySnapshotMemberMatchesItsSchema() throws {
        let folder = try TemporaryFolder()
        var files: [(file: String, schema: String)] = []
        for member in try SnapshotLayout.members(of: SnapshotSample.snapshot) {
            guard let schema = SchemaValidator.schema(for: member.path) else { continue }
            files.append((try folder.write(member.path, member.bytes), schema))
        }
        #expect(files.count == SnapshotLayoutTests.samplePaths.count - 1, "only the credential report has no schema")
        let errors = try validator.validate(files)
        #expect(errors.count == files.count)
        for (file, found) in errors.sorted(by: { $0.key < $1.key }) {
            #expect(found.isEmpty, "\(file): \(found.joined(separator: "; "))")
        }
    }

    @Test func everySchemaDescribesSomeMemberOfTheSample() throws {
        let used = Set(
            try SnapshotLayout.members(of: SnapshotSample.snapshot).compactMap { SchemaValidator.schema(for: $0.path) })
        #expect(used == Set(SchemaValidator.schemaFiles))
    }

    @Test(arguments: StrayMember.all)
    func aMemberThatStraysFromTheModelFailsValidation(_ stray: StrayMember) throws {
        let members = Dictionary(
            try SnapshotLayout.members(of: SnapshotSample.snapshot).map { ($0.path, $0.bytes) },
            uniquingKeysWith: { first, _ in first })
        var value = try JSONValue.parse(Data(try #require(members[stray.member])))
        try value.edit(at: stray.location, stray.change)
        let folder = try TemporaryFolder()
        let file = try folder.write(stray.member, try CanonicalJSON.encode(value))
        let schema = try #require(SchemaValidator.schema(for: stray.member))
        let errors = try validator.validate([(file, schema)])
        let found = try #require(errors[file])
        #expect(found.contains { $0.contains(stray.expectedError) }, "\(found)")
    }
}

/// A member edited so it no longer matches what the Swift model writes.
struct StrayMember: Sendable, CustomTestStringConvertible {
    let testDescription: String
    let member: String
    /// Where the object to change sits: object keys and array indices.
    let location: [JSONPathStep]
    let change: @Sendable (inout [String: JSONValue]) -> Void
    /// Part of the message `jsonschema` gives.
    let expectedError: String

    static let all = [
        StrayMember(
            testDescription: "a user with an extra field", member: "snapshot/iam/users.json", location: [0],
            change: { $0["password"] = "hunter2" }, expectedError: "Additional properties are not allowed ('password'"),
        StrayMember(
            testDescription: "an access key with its secret", member: "snapshot/iam/users.json",
            location: [0, "accessKeys", 0],
            change: { $0["secretAccessKey"] = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" },
            expectedError: "Additional properties are not allowed ('secretAccessKey'"),
        StrayMember(
            testDescription: "a user without its stable id", member: "snapshot/iam/users.json", location: [1],
            change: { $0["userId"] = nil }, expectedError: "'userId' is a required property"),
        StrayMember(
            testDescription: "a role without a trust policy", member: "snapshot/iam/roles.json", location: [0],
            change: { $0["trustPolicy"] = nil }, expectedError: "'trustPolicy' is a required property"),
        StrayMember(
            testDescription: "an account id that is not 12 digits", member: "snapshot/account.json", location: [],
            change: { $0["accountId"] = "11112222333" }, expectedError: "does not match '^[0-9]{12}$'"),
        StrayMember(
            testDescription: "an optional field written as null", member: "snapshot/ec2/us-east-1/instances.json",
            location: [0], change: { $0["publicIpAddress"] = .null }, expectedError: "None is not of type 'string'"),
        StrayMember(
            testDescription: "a tag with an extra field", member: "snapshot/ec2/us-east-1/instances.json",
            location: [0, "tags", 0], change: { $0["propagate"] = true },
            expectedError: "Additional properties are not allowed ('propagate'"),
        StrayMember(
            testDescription: "a security group rule without its IPv4 ranges",
            member: "snapshot/ec2/eu-west-1/security-groups.json", location: [0, "ingress", 0],
            change: { $0["ipv4Ranges"] = nil }, expectedError: "'ipv4Ranges' is a required property"),
        StrayMember(
            testDescription: "a key pair without its name", member: "snapshot/ec2/us-east-1/key-pairs.json",
            location: [0], change: { $0["keyName"] = nil }, expectedError: "'keyName' is a required property"),
        StrayMember(
            testDescription: "a trail with an epoch timestamp", member: "snapshot/cloudtrail/trails.json",
            location: [0], change: { $0["stopLoggingTime"] = 1_795_918_600 },
            expectedError: "1795918600 is not of type 'string'"),
        StrayMember(
            testDescription: "a detector with an unknown status", member: "snapshot/guardduty/us-east-1/detectors.json",
            location: [0], change: { $0["status"] = "SUSPENDED" }, expectedError: "'SUSPENDED' is not one of"),
        StrayMember(
            testDescription: "identity providers without the OIDC list", member: "snapshot/iam/identity-providers.json",
            location: [], change: { $0["oidc"] = nil }, expectedError: "'oidc' is a required property"),
    ]
}

/// Runs Python's `jsonschema` over files, with every schema of `Schemas/snapshot/` in one
/// `referencing.Registry` so the absolute `$ref`s resolve offline.
struct SchemaValidator: Sendable {
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let schemaFolder = repositoryRoot + "/Schemas/snapshot"

    /// The schema of each member kind, as Schemas/snapshot/README.md maps them.
    static let schemaFiles = [
        "account.schema.json", "cloudtrail-trails.schema.json", "ec2-instances.schema.json",
        "ec2-key-pairs.schema.json", "ec2-security-groups.schema.json", "ec2-vpc-endpoints.schema.json",
        "guardduty-detectors.schema.json", "iam-groups.schema.json", "iam-identity-providers.schema.json",
        "iam-instance-profiles.schema.json", "iam-policies.schema.json", "iam-roles.schema.json",
        "iam-users.schema.json",
    ]

    /// The schema file for a snapshot member path: `snapshot/ec2/<region>/instances.json` →
    /// `ec2-instances.schema.json`; nil for the credential report.
    static func schema(for path: String) -> String? {
        guard path.hasPrefix(SnapshotLayout.prefix), path.hasSuffix(".json") else { return nil }
        var parts = path.dropFirst(SnapshotLayout.prefix.count).dropLast(".json".count).split(separator: "/")
        if parts.count == 3 { parts.remove(at: 1) }  // the region folder
        return parts.joined(separator: "-") + ".schema.json"
    }

    static let script = #"""
        import json, pathlib, sys
        from jsonschema import Draft202012Validator
        from referencing import Registry, Resource

        mode, folder, *pairs = sys.argv[1:]
        base = "https://custody.invalid/schemas/snapshot/"
        schemas = {p.name: json.loads(p.read_text()) for p in sorted(pathlib.Path(folder).glob("*.schema.json"))}
        # No retrieve function: a $ref outside these files is an error, never a network fetch.
        registry = Registry().with_resources((s["$id"], Resource.from_contents(s)) for s in schemas.values())
        result = {}

        def references(node):
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    yield node["$ref"]
                for value in node.values():
                    yield from references(value)
            elif isinstance(node, list):
                for value in node:
                    yield from references(value)

        if mode == "check":
            for name, schema in schemas.items():
                problems = []
                try:
                    Draft202012Validator.check_schema(schema)
                except Exception as error:
                    problems.append(str(error).splitlines()[0])
                if schema.get("$schema") != "https://json-schema.org/draft/2020-12/schema":
                    problems.append("$schema is not draft 2020-12")
                if schema.get("$id") != base + name:
                    problems.append(f"$id is {schema.get('$id')!r}, not {base + name!r}")
                if not schema.get("description"):
                    problems.append("no description")
                resolver = registry.resolver(base_uri=schema.get("$id", ""))
                for ref in references(schema):
                    try:
                        resolver.lookup(ref)
                    except Exception as error:
                        problems.append(f"$ref {ref} does not resolve: {error}")
                result[name] = problems
        else:
            for file, name in zip(pairs[::2], pairs[1::2]):
                validator = Draft202012Validator(schemas[name], registry=registry)
                instance = json.loads(pathlib.Path(file).read_text())
                result[file] = [
                    "/".join(map(str, error.absolute_path)) + ": " + error.message
                    for error in validator.iter_errors(instance)
                ]
        print(json.dumps(result))
        """#

    /// Problems with each schema file, by file name: draft 2020-12 validity, `$id`, `$ref`s.
    func checkSchemas() throws -> [String: [String]] {
        try run(["check", Self.schemaFolder])
    }

    /// Validation errors of each file, by path.
    func validate(_ files: [(file: String, schema: String)]) throws -> [String: [String]] {
        try run(["validate", Self.schemaFolder] + files.flatMap { [$0.file, $0.schema] })
    }

    private func run(_ arguments: [String]) throws -> [String: [String]] {
        let python = try #require(ExternalTool.python3)
        let run = try python.run(["-c", Self.script] + arguments)
        try #require(run.status == 0, "\(run.error)")
        return try JSONDecoder().decode([String: [String]].self, from: run.output)
    }
}

/// A step into a JSON value: an object key or an array index.
enum JSONPathStep: Sendable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral {
    case key(String)
    case index(Int)
    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }
}

extension JSONValue {
    /// Applies `change` to the object found by following `path`.
    mutating func edit(at path: [JSONPathStep], _ change: (inout [String: JSONValue]) -> Void) throws {
        switch (self, path.first) {
        case (.object(var members), .none):
            change(&members)
            self = .object(members)
        case (.object(var members), .key(let key)?):
            var child = try #require(members[key], "no \(key)")
            try child.edit(at: Array(path.dropFirst()), change)
            members[key] = child
            self = .object(members)
        case (.array(var elements), .index(let index)?):
            try #require(elements.indices.contains(index), "no element \(index)")
            try elements[index].edit(at: Array(path.dropFirst()), change)
            self = .array(elements)
        default:
            throw JSONEditError(path: path)
        }
    }
}

/// A path that does not lead to an object.
struct JSONEditError: Error {
    let path: [JSONPathStep]
}
