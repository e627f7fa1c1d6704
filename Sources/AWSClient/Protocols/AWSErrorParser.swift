import CustodyJSON
import Foundation

/// Reads the error an AWS answer carries, in each protocol's shape:
/// Query `<ErrorResponse><Error><Code>`, EC2 `<Response><Errors><Error>`, S3 `<Error>`, JSON `__type` or
/// `x-amzn-ErrorType`; a bodiless answer (HEAD) gets a code from its status.
enum AWSErrorParser {
    static func parse(_ response: HTTPResponse, service: AWSService, operation: String) -> AWSServiceError {
        var code: String?
        var message: String?
        var requestId = requestIdHeader(response.headers)
        let body = response.body
        let trimmed = body.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.first == UInt8(ascii: "<"), let root = try? XMLNode.parse(body) {
            let error = root.find("Error")
            code = error?.childText("Code")
            message = error?.childText("Message") ?? error?.childText("message")
            requestId = requestId ?? root.find("RequestId")?.text ?? root.find("RequestID")?.text
        } else if trimmed.first == UInt8(ascii: "{"), let json = try? JSONValue.parse(body) {
            code = json["__type"]?.stringValue ?? json["code"]?.stringValue ?? json["Code"]?.stringValue
            message = json["message"]?.stringValue ?? json["Message"]?.stringValue ?? json["errorMessage"]?.stringValue
        }
        if let header = response.headers["x-amzn-ErrorType"], !header.isEmpty {
            code = header
        }
        if var raw = code {
            if let hash = raw.lastIndex(of: "#") { raw = String(raw[raw.index(after: hash)...]) }
            if let colon = raw.firstIndex(of: ":") { raw = String(raw[..<colon]) }
            code = raw.trimmingCharacters(in: .whitespaces)
        }
        if code == nil || code?.isEmpty == true {
            code = statusCode(response.statusCode)
            if message == nil, !body.isEmpty { message = summary(of: body) }
        }
        return AWSServiceError(
            code: code ?? "Unknown", message: message ?? "", requestId: requestId, statusCode: response.statusCode,
            service: service.id, operation: operation, body: Array(body))
    }

    /// The first words of a body that is not an AWS error (an HTML page from a proxy or a crashed server), on
    /// one line without markup.
    static func summary(of body: Data) -> String {
        var text = String(decoding: body.prefix(2000), as: UTF8.self)
        while let open = text.firstIndex(of: "<"), let close = text[open...].firstIndex(of: ">") {
            text.replaceSubrange(open...close, with: " ")
        }
        let words = text.split(whereSeparator: { $0.isWhitespace })
        let line = words.joined(separator: " ")
        return line.count > 160 ? String(line.prefix(157)) + "..." : line
    }

    static func requestIdHeader(_ headers: HTTPHeaders) -> String? {
        headers["x-amzn-RequestId"] ?? headers["x-amz-request-id"] ?? headers["x-amzn-requestid"]
    }

    private static func statusCode(_ status: Int) -> String {
        switch status {
        case 301: "PermanentRedirect"
        case 304: "NotModified"
        case 400: "BadRequest"
        case 403: "Forbidden"
        case 404: "NotFound"
        case 412: "PreconditionFailed"
        case 429: "TooManyRequestsException"
        case 500: "InternalError"
        case 503: "ServiceUnavailable"
        default: "HTTP\(status)"
        }
    }
}
