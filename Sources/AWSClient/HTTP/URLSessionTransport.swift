public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// The transport used against AWS: Foundation's `URLSession` (libcurl on Linux), with no cookies, no cache, no
/// redirects followed and no transparent decompression, so a body arrives byte for byte as AWS sent it.
public final class URLSessionTransport: HTTPTransport, @unchecked Sendable {
    // URLSession is thread-safe; the delegate holds no state.
    private let session: URLSession

    /// A transport with its own ephemeral session.
    public init() {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieAcceptPolicy = .never
        configuration.urlCache = nil
        configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
        configuration.httpMaximumConnectionsPerHost = 8
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// Sends `request` and returns the whole answer.
    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        let urlRequest = try makeURLRequest(request, timeout: timeout)
        let holder = TaskHolder()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.dataTask(with: urlRequest) { data, response, error in
                    if let error {
                        continuation.resume(throwing: Self.translate(error, request: request))
                        return
                    }
                    guard let http = response as? HTTPURLResponse else {
                        continuation.resume(throwing: AWSClientError(.invalidResponse, "The answer was not HTTP."))
                        return
                    }
                    continuation.resume(
                        returning: HTTPResponse(
                            statusCode: http.statusCode, headers: Self.headers(of: http), body: data ?? Data()))
                }
                holder.set(task)
                task.resume()
            }
        } onCancel: {
            holder.cancel()
        }
    }

    /// Streams a 2xx body to `file` through a temporary file that is moved into place when complete. Plain
    /// `http://` downloads bypass URLSession, which would decode a gzip-encoded body (see ``PlainHTTPDownload``).
    public func download(_ request: HTTPRequest, to file: URL, timeout: Duration) async throws -> HTTPResponse {
        if request.scheme == "http" {
            return try await PlainHTTPDownload.run(request, to: file, timeout: timeout)
        }
        let urlRequest = try makeURLRequest(request, timeout: timeout)
        let holder = TaskHolder()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let task = session.downloadTask(with: urlRequest) { location, response, error in
                    if let error {
                        continuation.resume(throwing: Self.translate(error, request: request))
                        return
                    }
                    guard let http = response as? HTTPURLResponse, let location else {
                        continuation.resume(throwing: AWSClientError(.invalidResponse, "The answer was not HTTP."))
                        return
                    }
                    let headers = Self.headers(of: http)
                    // The temporary file is deleted when this handler returns: move or read it now.
                    do {
                        guard (200..<300).contains(http.statusCode) else {
                            let body = (try? Data(contentsOf: location)) ?? Data()
                            continuation.resume(
                                returning: HTTPResponse(statusCode: http.statusCode, headers: headers, body: body))
                            return
                        }
                        let manager = FileManager.default
                        if manager.fileExists(atPath: file.path) { try manager.removeItem(at: file) }
                        try manager.moveItem(at: location, to: file)
                        continuation.resume(returning: HTTPResponse(statusCode: http.statusCode, headers: headers))
                    } catch {
                        continuation.resume(
                            throwing: AWSClientError(
                                .fileError, "Could not write \(file.path): \(error.localizedDescription)"))
                    }
                }
                holder.set(task)
                task.resume()
            }
        } onCancel: {
            holder.cancel()
        }
    }

    private func makeURLRequest(_ request: HTTPRequest, timeout: Duration) throws -> URLRequest {
        guard let url = request.url else {
            throw AWSClientError(.invalidConfiguration, "'\(request.host)\(request.path)' does not make a valid URL.")
        }
        var urlRequest = URLRequest(url: url)
        urlRequest.httpMethod = request.method
        let seconds = Double(timeout.components.seconds) + Double(timeout.components.attoseconds) / 1e18
        urlRequest.timeoutInterval = max(seconds, 0.001)
        for field in request.headers {
            urlRequest.addValue(field.value, forHTTPHeaderField: field.name)
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            urlRequest.httpBody = request.body
        }
        return urlRequest
    }

    private static func headers(of response: HTTPURLResponse) -> HTTPHeaders {
        var headers = HTTPHeaders()
        for (name, value) in response.allHeaderFields {
            headers.add(String(describing: name), String(describing: value))
        }
        return headers
    }

    private static func translate(_ error: any Error, request: HTTPRequest) -> AWSClientError {
        let target = "\(request.scheme)://\(request.hostHeader)"
        guard let urlError = error as? URLError else {
            return AWSClientError(.connectionFailed, "The request to \(target) failed.", underlying: error)
        }
        switch urlError.code {
        case .timedOut:
            return AWSClientError(.timedOut, "\(target) did not answer in time.", underlying: urlError)
        case .networkConnectionLost:
            return AWSClientError(.connectionLost, "The connection to \(target) dropped.", underlying: urlError)
        default:
            return AWSClientError(
                .connectionFailed, "Could not reach \(target): \(urlError.localizedDescription)", underlying: urlError)
        }
    }
}

/// Lets a cancelled Swift task cancel the URLSession task it waits on.
private final class TaskHolder: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    func set(_ task: URLSessionTask) {
        lock.lock()
        defer { lock.unlock() }
        self.task = task
        if cancelled { task.cancel() }
    }

    func cancel() {
        lock.lock()
        defer { lock.unlock() }
        cancelled = true
        task?.cancel()
    }
}

/// Refuses every redirect: a signed request must not be replayed to another host, and S3's redirects carry
/// the right region in their body.
private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping @Sendable (URLRequest?) -> Void
    ) {
        completionHandler(nil)
    }
}
