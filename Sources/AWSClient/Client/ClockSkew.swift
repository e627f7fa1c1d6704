import Foundation

/// How far the local clock is from AWS's, learnt from the `Date` header of an answer that refused a signature
/// for its time (`RequestTimeTooSkewed`, `RequestExpired`, `InvalidSignatureException` …), as the SDKs do.
/// Signing adds it to the local time; shared by the clients derived from one another.
actor ClockSkew {
    private(set) var offset: TimeInterval = 0

    /// Learns the offset from an answer's `Date` header; returns whether it changed by more than four minutes.
    func learn(serverDate: Date, localNow: Date) -> Bool {
        let offset = serverDate.timeIntervalSince(localNow)
        guard abs(offset - self.offset) > 240 else { return false }
        self.offset = offset
        return true
    }

    /// Codes AWS answers with when the request time is too far from its own.
    static let codes: Set<String> = [
        "RequestTimeTooSkewed", "RequestExpired", "RequestInTheFuture", "InvalidSignatureException",
        "SignatureDoesNotMatch", "AuthFailure", "InvalidClientTokenId",
    ]
}
