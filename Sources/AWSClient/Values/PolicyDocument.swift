public import CustodyJSON
import Foundation

/// An IAM policy document as IAM returns it: URL-encoded JSON text, decoded into a ``JSONValue``.
///
/// IAM percent-encodes every policy document it returns (`AssumeRolePolicyDocument`, `PolicyDocument`
/// [docs](https://docs.aws.amazon.com/IAM/latest/APIReference/API_GetRole.html)). `text` keeps the decoded text
/// exactly; `json` is nil only when that text is not JSON, which a collector should record rather than drop.
public struct PolicyDocument: Codable, Hashable, Sendable {
    /// The document as it arrived on the wire (URL-encoded for IAM).
    public let encoded: String
    /// The decoded text of the document.
    public let text: String
    /// The document parsed as JSON, or nil when the text is not JSON.
    public let json: JSONValue?

    /// Decodes a document from what IAM sent: URL-encoded JSON, or plain JSON text.
    public init(encoded: String) {
        self.encoded = encoded
        let decoded = encoded.removingPercentEncoding ?? encoded
        if let value = try? JSONValue.parse(Data(decoded.utf8)) {
            text = decoded
            json = value
        } else if let value = try? JSONValue.parse(Data(encoded.utf8)) {
            text = encoded
            json = value
        } else {
            text = decoded
            json = nil
        }
    }

    /// Decodes from a string (URL-encoded or plain JSON text) or from a JSON object written by `encode(to:)`.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) {
            self.init(encoded: string)
        } else {
            let value = try container.decode(JSONValue.self)
            self = PolicyDocument(encoded: value.description)
        }
    }

    /// Encodes the parsed document as JSON, or the decoded text when it is not JSON.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let json {
            try container.encode(json)
        } else {
            try container.encode(text)
        }
    }
}
