/// Where a collection reports what it is doing; the command decides how to show it.
public struct ProgressSink: Sendable {
    /// One thing that happened.
    public enum Event: Sendable {
        /// A phase of an account's collection started.
        case phase(account: String, String)
        /// An API call finished (successfully or not).
        case call(account: String)
        /// Something failed or was refused; the run goes on.
        case problem(account: String, String)
        /// CloudTrail events were read.
        case events(account: String, region: String, count: Int)
    }

    let account: String
    let handler: @Sendable (Event) -> Void

    /// A sink passing events for `account` to `handler`.
    public init(account: String, handler: @escaping @Sendable (Event) -> Void) {
        self.account = account
        self.handler = handler
    }

    /// A sink that drops everything.
    public static let silent = ProgressSink(account: "", handler: { _ in })

    func phase(_ text: String) { handler(.phase(account: account, text)) }
    func callCompleted() { handler(.call(account: account)) }
    func problem(_ text: String) { handler(.problem(account: account, text)) }
    func events(_ region: String, _ count: Int) { handler(.events(account: account, region: region, count: count)) }

    /// The same handler for another account.
    func forAccount(_ account: String) -> ProgressSink { ProgressSink(account: account, handler: handler) }
}
