public import Foundation

/// Sends HTTP requests. The client's one door to the network, so tests can put a fault-injecting transport in
/// its place.
///
/// A transport reports a dropped connection, a refused connection or a timeout as ``AWSClientError`` with code
/// `connectionLost`, `connectionFailed` or `timedOut`: the retry loop retries exactly those.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and returns the whole answer.
    /// - Parameter timeout: how long to wait for the answer.
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse

    /// Sends `request` and, when the answer is 2xx, writes its body to `file` as it arrives, returning the
    /// answer with an empty body; any other answer comes back whole, with nothing written.
    func download(_ request: HTTPRequest, to file: URL, timeout: Duration) async throws -> HTTPResponse
}

extension HTTPTransport {
    /// Buffers the body in memory, then writes it; transports that can stream override this.
    public func download(_ request: HTTPRequest, to file: URL, timeout: Duration) async throws -> HTTPResponse {
        var response = try await send(request, timeout: timeout)
        guard response.isSuccess else { return response }
        do {
            try response.body.write(to: file, options: .atomic)
        } catch {
            throw AWSClientError(.fileError, "Could not write \(file.path): \(error.localizedDescription)")
        }
        response.body = Data()
        return response
    }
}
