import Foundation

/// Spaces calls per key so that no more than a set number per second start: the client keys it by
/// (account, region, operation), which keeps `LookupEvents` at AWS's 2 requests per second per account and
/// region however many tasks call it.
actor RateLimiter {
    private var nextSlot: [String: Date] = [:]

    /// Reserves the next slot for `key` and returns how long to wait for it.
    func reserve(_ key: String, interval: TimeInterval, now: Date) -> TimeInterval {
        let slot = max(now, nextSlot[key] ?? now)
        nextSlot[key] = slot.addingTimeInterval(interval)
        return slot.timeIntervalSince(now)
    }
}
