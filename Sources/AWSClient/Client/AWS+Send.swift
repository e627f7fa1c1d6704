import Foundation

extension AWS {
    /// Sends `call` with retries, pacing and signing, and returns the raw answer and the unredacted body.
    ///
    /// Order matters: the allow-list is checked before anything else, so a refused operation resolves no
    /// credentials and sends no byte.
    func perform(_ call: OperationCall, downloadTo file: URL? = nil) async throws -> (raw: RawResponse, body: Data) {
        try ReadOnlyPolicy.check(call.action, service: call.service.id)
        let endpoint = try endpoints.resolve(call.service, region: region)
        let request = httpRequest(for: call, endpoint: endpoint)
        let policy = configuration.retry
        let clock = configuration.clock
        let started = clock.now()
        var attempt = 0
        var refreshedExpiredCredentials = false
        var correctedSkew = false
        var lastError: any Error = AWSClientError(.connectionFailed, "No attempt was made.")
        while true {
            attempt += 1
            var retryAfter: Duration?
            var credentials: AWSCredentials?
            do {
                if !call.anonymous {
                    credentials = try await credentialCache.get(client: self, forceRefresh: false).credentials
                }
                try await pace(call.action, credentials: credentials)
                var signed = request
                if let credentials {
                    let signer = SigV4Signer(
                        service: call.service.signingName, region: endpoint.signingRegion,
                        variant: call.service == .s3 ? .s3 : .standard)
                    signed = signer.sign(
                        request, credentials: credentials, date: clock.now().addingTimeInterval(await skew.offset))
                }
                let response = try await withAttemptTimeout(policy.attemptTimeout, target: endpoint.description) {
                    [transport = configuration.transport, signed] in
                    if let file {
                        return try await transport.download(signed, to: file, timeout: policy.attemptTimeout)
                    }
                    return try await transport.send(signed, timeout: policy.attemptTimeout)
                }
                if response.isSuccess {
                    let raw = RawResponse(
                        service: call.service.id, region: region, action: call.action, parameters: call.parameters,
                        statusCode: response.statusCode, headers: response.headers,
                        body: call.answerCarriesCredentials ? Self.redactCredentials(response.body) : response.body,
                        bodyFile: file,
                        requestId: AWSErrorParser.requestIdHeader(response.headers)
                            ?? Self.requestIdInBody(response.body),
                        receivedAt: clock.now(), attempts: attempt, endpoint: endpoint.description)
                    return (raw, response.body)
                }
                var error = AWSErrorParser.parse(response, service: call.service, operation: call.action)
                if let credentials {
                    error = AWSServiceError(
                        code: error.code, message: credentials.redacting(error.message), requestId: error.requestId,
                        statusCode: error.statusCode, service: error.service, operation: error.operation,
                        body: Array(credentials.redacting(String(decoding: error.body, as: UTF8.self)).utf8))
                }
                if ClockSkew.codes.contains(error.code), !correctedSkew, attempt < policy.maxAttempts,
                    let date = response.headers["Date"].flatMap(Timestamps.httpDate),
                    await skew.learn(serverDate: date, localNow: clock.now())
                {
                    correctedSkew = true
                    let offset = Int(await skew.offset)
                    log(
                        "\(call.service.id) \(call.action) met \(error.code); the clock is \(offset) s off AWS's, retrying."
                    )
                    lastError = error
                    continue
                }
                if ["ExpiredToken", "ExpiredTokenException", "RequestExpired", "TokenRefreshRequired"]
                    .contains(error.code), !call.anonymous, !refreshedExpiredCredentials,
                    attempt < policy.maxAttempts
                {
                    refreshedExpiredCredentials = true
                    log("\(call.service.id) \(call.action) met \(error.code); refreshing credentials and retrying.")
                    _ = try await credentialCache.get(client: self, forceRefresh: true)
                    lastError = error
                    continue
                }
                guard error.isRetryable else { throw error }
                lastError = error
                retryAfter = RetryPolicy.retryAfter(response.headers["Retry-After"], now: clock.now())
            } catch let error as AWSClientError
                where [.connectionLost, .connectionFailed, .timedOut].contains(error.code)
            {
                lastError = error
            }
            let what = "\(call.service.id) \(call.action) in \(region)"
            guard attempt < policy.maxAttempts else {
                throw AWSClientError(
                    .retriesExhausted, "\(what) failed \(attempt) times in a row; giving up.", underlying: lastError,
                    attempts: attempt)
            }
            if let retryAfter, retryAfter > policy.maxRetryAfter {
                throw AWSClientError(
                    .retriesExhausted,
                    "\(what) was told to retry after \(retryAfter.seconds) s, longer than the \(policy.maxRetryAfter) "
                        + "allowed; giving up after \(attempt) attempts.",
                    underlying: lastError, attempts: attempt)
            }
            let delay = policy.delay(afterAttempt: attempt, retryAfter: retryAfter, random: configuration.random())
            let elapsed = clock.now().timeIntervalSince(started)
            guard elapsed + delay.seconds <= policy.totalTimeout.seconds else {
                throw AWSClientError(
                    .retriesExhausted,
                    "\(what) did not succeed within the \(policy.totalTimeout) allowed (\(attempt) attempts).",
                    underlying: lastError, attempts: attempt)
            }
            log(
                "Retrying \(what) in \(String(format: "%.3f", delay.seconds)) s (attempt \(attempt + 1) of "
                    + "\(policy.maxAttempts)) after: \(lastError)")
            try await clock.sleep(for: delay)
        }
    }

    /// Waits for the operation's slot when it is paced (LookupEvents: 2 per second per account and region).
    private func pace(_ action: String, credentials: AWSCredentials?) async throws {
        guard let rate = configuration.callsPerSecond[action], rate > 0 else { return }
        let account = credentials?.accountId ?? credentials?.accessKeyId ?? "anonymous"
        let clock = configuration.clock
        // 2% under the limit: spaced at exactly 1/rate, jitter puts three calls inside the server's one-second
        // window now and then, and the throttled retry costs far more than the margin.
        let wait = await limiter.reserve("\(account)/\(region)/\(action)", interval: 1.02 / rate, now: clock.now())
        if wait > 0 { try await clock.sleep(for: .milliseconds(Int64((wait * 1000).rounded(.up)))) }
    }

    private func withAttemptTimeout(
        _ timeout: Duration, target: String, _ operation: @escaping @Sendable () async throws -> HTTPResponse
    ) async throws -> HTTPResponse {
        try await withThrowingTaskGroup(of: HTTPResponse.self) { group in
            group.addTask { try await operation() }
            group.addTask {
                try await Task.sleep(for: timeout)
                throw AWSClientError(.timedOut, "\(target) did not answer within \(timeout).")
            }
            defer { group.cancelAll() }
            guard let first = try await group.next() else {
                throw AWSClientError(.timedOut, "\(target) did not answer within \(timeout).")
            }
            return first
        }
    }

    func httpRequest(for call: OperationCall, endpoint: Endpoint) -> HTTPRequest {
        var host = endpoint.host
        var path = endpoint.basePath
        if let bucket = call.bucket {
            if usesVirtualHost(bucket: bucket, endpoint: endpoint) {
                host = "\(bucket).\(host)"
            } else {
                path += "/" + URIEncoding.encode(bucket)
            }
        }
        path += call.path
        if path.isEmpty { path = "/" }
        var headers = call.headers
        // CloudTrail records the user agent: it lets anyone tell the collector's own calls apart.
        if headers["User-Agent"] == nil { headers.add("User-Agent", configuration.userAgent) }
        return HTTPRequest(
            method: call.method, scheme: endpoint.scheme, host: host, port: endpoint.port, path: path,
            query: URIEncoding.query(call.query), headers: headers, body: call.body)
    }

    private func usesVirtualHost(bucket: String, endpoint: Endpoint) -> Bool {
        if let pathStyle = configuration.s3PathStyle { return !pathStyle }
        if endpoint.isCustom { return false }
        // Virtual hosts need a DNS label that the wildcard certificate covers: no dots, no uppercase.
        return (3...63).contains(bucket.count) && !bucket.contains(".")
            && bucket.allSatisfy { $0.isLowercase || $0.isNumber || $0 == "-" }
            && bucket.first != "-" && bucket.last != "-"
    }

    static func requestIdInBody(_ body: Data) -> String? {
        guard body.first == UInt8(ascii: "<"), let root = try? XMLNode.parse(body) else { return nil }
        return root.find("RequestId")?.text ?? root.find("requestId")?.text ?? root.find("RequestID")?.text
    }

    /// The body with every secret of the credentials it carries redacted (`CredentialRedaction`).
    static func redactCredentials(_ body: Data) -> Data {
        CredentialRedaction.redact(body)
    }
}
