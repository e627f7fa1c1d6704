import CustodyJSON
import Foundation

/// One operation ready to send: service, action, HTTP parts and the parameters to record.
struct OperationCall: Sendable {
    var service: AWSService
    var action: String
    var method = "POST"
    /// The path under the endpoint, percent-encoded; for S3, under the bucket.
    var path = "/"
    var query: [(String, String)] = []
    var headers = HTTPHeaders()
    var body = Data()
    /// The parameters as recorded with the raw answer (secrets redacted).
    var parameters: JSONValue = .object([:])
    /// The S3 bucket, addressed by virtual host or path.
    var bucket: String?
    /// Sent without a signature (STS AssumeRoleWithWebIdentity).
    var anonymous = false
    /// Whether the answer carries credentials that must be redacted from the stored body.
    var answerCarriesCredentials = false

    init(service: AWSService, action: String) {
        self.service = service
        self.action = action
    }

    /// A Query-protocol call (IAM, STS, EC2): `Action`, `Version` and the parameters as form fields.
    /// - Throws: `AWSClientError.Code.invalidConfiguration` when a parameter would override `Action` or `Version`.
    static func query(_ service: AWSService, _ action: String, _ parameters: JSONValue) throws -> OperationCall {
        try ReadOnlyPolicy.check(action, service: service.id)
        try rejectReservedNames(parameters, ["action", "version"], service: service, action: action)
        var call = OperationCall(service: service, action: action)
        call.headers.add("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")
        call.body = QueryEncoding.body(
            action: action, version: service.apiVersion,
            fields: QueryEncoding.fields(parameters, ec2: service.wireProtocol == .ec2))
        call.parameters = parameters
        return call
    }

    /// A JSON 1.1 call (CloudTrail, Organizations): `X-Amz-Target` and the parameters as the JSON body.
    static func json(_ service: AWSService, _ action: String, _ parameters: JSONValue) throws -> OperationCall {
        try ReadOnlyPolicy.check(action, service: service.id)
        guard case .json(let targetPrefix) = service.wireProtocol else {
            throw AWSClientError(.invalidConfiguration, "\(service.id) does not speak JSON 1.1.")
        }
        var call = OperationCall(service: service, action: action)
        call.headers.add("Content-Type", "application/x-amz-json-1.1")
        call.headers.add("X-Amz-Target", "\(targetPrefix).\(action)")
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if case .object(let members) = parameters, members.isEmpty {
            call.body = Data("{}".utf8)
        } else {
            call.body = try encoder.encode(parameters)
        }
        call.parameters = parameters
        return call
    }

    private static func rejectReservedNames(
        _ parameters: JSONValue, _ names: Set<String>, service: AWSService, action: String
    ) throws {
        guard case .object(let members) = parameters else {
            if case .null = parameters { return }
            throw AWSClientError(.invalidConfiguration, "The parameters of \(service.id) \(action) must be an object.")
        }
        if let reserved = members.keys.first(where: { names.contains($0.lowercased()) }) {
            throw AWSClientError(
                .invalidConfiguration,
                "The parameter '\(reserved)' of \(service.id) \(action) is reserved: the operation is named by the "
                    + "call itself. Nothing was sent.")
        }
    }
}
