public import Foundation

/// What a sweep looks for, and when: the access keys and source addresses whose events it gathers, in a
/// bounded window. Every value is checked for its form, since each ends up inside SQL.
public struct SweepTerms: Sendable, Equatable {
    /// Access key ids (`AKIA…`, `ASIA…`), sorted, without repeats.
    public private(set) var keys: [String]
    /// Source IP addresses, sorted, without repeats.
    public private(set) var sourceIPs: [String]
    /// Account ids the events must be recorded in; empty for every account.
    public private(set) var accounts: [String]
    /// Start of the window, inclusive, in whole seconds (rounded down).
    public var from: Date
    /// End of the window, exclusive, in whole seconds (rounded up).
    public var to: Date

    /// Checks and keeps the terms.
    /// - Throws: `CollectError.invalidOptions` for a key, address or account of the wrong form, no key, or
    ///   a window that ends before it starts.
    public init(keys: [String], sourceIPs: [String] = [], accounts: [String] = [], from: Date, to: Date) throws {
        guard !keys.isEmpty else {
            throw CollectError(.invalidOptions, "A sweep needs at least one access key id (--suspect-key).")
        }
        if let bad = keys.first(where: { !Self.isAccessKeyId($0) }) {
            throw CollectError(
                .invalidOptions,
                "'\(bad)' is not an access key id: give one such as AKIAIOSFODNN7EXAMPLE (16 to 128 capital letters and digits)."
            )
        }
        if let bad = sourceIPs.first(where: { !Self.isAddress($0) }) {
            throw CollectError(.invalidOptions, "'\(bad)' is not an IPv4 or IPv6 address.")
        }
        if let bad = accounts.first(where: { !Self.isAccountId($0) }) {
            throw CollectError(.invalidOptions, "'\(bad)' is not an account id: give its 12 digits.")
        }
        guard from < to else {
            throw CollectError(.invalidOptions, "The sweep's window is empty: --since must be before --until.")
        }
        self.keys = Array(Set(keys)).sorted()
        self.sourceIPs = Array(Set(sourceIPs)).sorted()
        self.accounts = Array(Set(accounts)).sorted()
        // CloudTrail's eventTime has whole seconds: an event of the window's last second is inside an
        // end that falls within that second, so the end is rounded up and the start down.
        self.from = Date(timeIntervalSince1970: from.timeIntervalSince1970.rounded(.down))
        self.to = Date(timeIntervalSince1970: to.timeIntervalSince1970.rounded(.up))
    }

    /// The terms with `more` keys added.
    public func adding(keys more: [String]) throws -> SweepTerms {
        try SweepTerms(keys: keys + more, sourceIPs: sourceIPs, accounts: accounts, from: from, to: to)
    }

    static func isAccessKeyId(_ text: String) -> Bool {
        (16...128).contains(text.utf8.count)
            && text.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) }
    }

    static func isAccountId(_ text: String) -> Bool {
        text.utf8.count == 12 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) }
    }

    static func isAddress(_ text: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, text, &v4) == 1 || inet_pton(AF_INET6, text, &v6) == 1
    }
}
