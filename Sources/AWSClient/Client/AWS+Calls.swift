public import CustodyJSON
import Foundation

extension AWS {
    /// Sends any allow-listed Query (IAM, STS, EC2) or JSON 1.1 (CloudTrail, Organizations) operation and returns
    /// the raw answer with a generic parsed form: the JSON for JSON services; for XML, the result element with
    /// text as strings, `member`/`item` lists as arrays and repeated elements as arrays.
    ///
    /// - Parameters:
    ///   - service: the service.
    ///   - action: the operation, such as `ListUsers`; refused unless ``ReadOnlyPolicy`` allows it.
    ///   - parameters: the request parameters by wire name (for EC2 the `Filter`, `InstanceId` … names), lists as
    ///     arrays and structures as objects.
    /// - Throws: `AWSClientError` (`operationNotAllowed` before anything is sent) or ``AWSServiceError``.
    public func send(_ service: AWSService, _ action: String, parameters: JSONValue = [:]) async throws
        -> AWSResponse<JSONValue>
    {
        let call: OperationCall
        switch service.wireProtocol {
        case .query, .ec2: call = try OperationCall.query(service, action, parameters)
        case .json: call = try OperationCall.json(service, action, parameters)
        case .restJSON, .restXML:
            try ReadOnlyPolicy.check(action, service: service.id)
            throw AWSClientError(
                .invalidConfiguration,
                "\(service.id) is a REST service: use its typed calls, as its operations need paths, not parameters.")
        }
        let (raw, body) = try await perform(call)
        let parsed: JSONValue
        if body.isEmpty {
            parsed = .object([:])
        } else if case .json = service.wireProtocol {
            do {
                parsed = try JSONValue.parse(body)
            } catch {
                throw AWSClientError(.invalidResponse, "The text is not valid JSON.", underlying: error)
            }
        } else {
            let root = try XMLNode.parse(body)
            parsed = (root.child("\(action)Result") ?? root).jsonValue
        }
        return AWSResponse(output: parsed, raw: raw)
    }

    func queryCall<Output: Decodable & Sendable>(
        _ service: AWSService, _ action: String, _ parameters: [String: JSONValue] = [:],
        as type: Output.Type = Output.self, adjust: (inout OperationCall) -> Void = { _ in }
    ) async throws -> AWSResponse<Output> {
        var call = try OperationCall.query(service, action, .object(parameters))
        adjust(&call)
        let (raw, body) = try await perform(call)
        return AWSResponse(output: try Self.decodeXML(Output.self, body, action: action, service: service), raw: raw)
    }

    func jsonCall<Output: Decodable & Sendable>(
        _ service: AWSService, _ action: String, _ parameters: [String: JSONValue] = [:],
        as type: Output.Type = Output.self
    ) async throws -> AWSResponse<Output> {
        let call = try OperationCall.json(service, action, .object(parameters))
        let (raw, body) = try await perform(call)
        return AWSResponse(output: try Self.decodeJSON(Output.self, body, action: action, service: service), raw: raw)
    }

    func restCall<Output: Decodable & Sendable>(_ call: OperationCall, as type: Output.Type = Output.self)
        async throws -> AWSResponse<Output>
    {
        let (raw, body) = try await perform(call)
        let output: Output
        if call.service.wireProtocol == .restXML {
            output = try Self.decodeXML(Output.self, body, action: call.action, service: call.service)
        } else {
            output = try Self.decodeJSON(Output.self, body, action: call.action, service: call.service)
        }
        return AWSResponse(output: output, raw: raw)
    }

    static func decodeXML<Output: Decodable>(_ type: Output.Type, _ body: Data, action: String, service: AWSService)
        throws -> Output
    {
        do {
            let root = body.isEmpty ? XMLNode(name: "empty") : try XMLNode.parse(body)
            return try XMLShapeDecoder.decode(Output.self, from: root.child("\(action)Result") ?? root)
        } catch let error as DecodingError {
            throw AWSClientError(
                .invalidResponse, "Could not read the answer of \(service.id) \(action): \(describe(error))",
                underlying: error)
        }
    }

    static func decodeJSON<Output: Decodable>(_ type: Output.Type, _ body: Data, action: String, service: AWSService)
        throws -> Output
    {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            if let seconds = try? container.decode(Double.self) { return Date(timeIntervalSince1970: seconds) }
            let text = try container.decode(String.self)
            guard let date = Timestamps.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "'\(text)' is not a time.")
            }
            return date
        }
        do {
            return try decoder.decode(Output.self, from: body.isEmpty ? Data("{}".utf8) : body)
        } catch let error as DecodingError {
            throw AWSClientError(
                .invalidResponse, "Could not read the answer of \(service.id) \(action): \(describe(error))",
                underlying: error)
        } catch {
            throw AWSClientError(
                .invalidResponse, "The answer of \(service.id) \(action) is not JSON.", underlying: error)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        let context: DecodingError.Context
        switch error {
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .keyNotFound(_, let c), .dataCorrupted(let c):
            context = c
        @unknown default:
            return "\(error)"
        }
        let path = context.codingPath.map(\.stringValue).joined(separator: ".")
        return "\(context.debugDescription)\(path.isEmpty ? "" : " at \(path)")"
    }

    /// Pages of a Query-protocol operation paginated with `Marker` and `IsTruncated` (IAM).
    func markerPages<Output: Decodable & Sendable>(
        _ service: AWSService, _ action: String, _ parameters: [String: JSONValue],
        marker: @escaping @Sendable (Output) -> String?, isTruncated: @escaping @Sendable (Output) -> Bool?
    ) -> AWSPaginator<Output> {
        AWSPaginator { [self] token in
            var parameters = parameters
            if let token { parameters["Marker"] = .string(token) }
            let page: AWSResponse<Output> = try await queryCall(service, action, parameters)
            return (page, isTruncated(page.output) == true ? marker(page.output) : nil)
        }
    }

    /// Pages of an operation paginated with `NextToken` (EC2, CloudTrail, Organizations).
    func tokenPages<Output: Decodable & Sendable>(
        _ service: AWSService, _ action: String, _ parameters: [String: JSONValue],
        nextToken: @escaping @Sendable (Output) -> String?
    ) -> AWSPaginator<Output> {
        AWSPaginator { [self] token in
            var parameters = parameters
            if let token { parameters["NextToken"] = .string(token) }
            let page: AWSResponse<Output>
            if case .json = service.wireProtocol {
                page = try await jsonCall(service, action, parameters)
            } else {
                page = try await queryCall(service, action, parameters)
            }
            return (page, nextToken(page.output))
        }
    }
}

extension JSONValue {
    /// A timestamp as JSON 1.1 sends it: epoch seconds.
    static func epoch(_ date: Date) -> JSONValue { .number(date.timeIntervalSince1970.rounded(.down)) }
}

/// The parameters whose values are present.
func parameters(_ pairs: (String, JSONValue?)...) -> [String: JSONValue] {
    var out: [String: JSONValue] = [:]
    for (name, value) in pairs { if let value { out[name] = value } }
    return out
}

extension Optional where Wrapped == String {
    var json: JSONValue? { map { .string($0) } }
}

extension Optional where Wrapped == Int {
    var json: JSONValue? { map { .number(Double($0)) } }
}
