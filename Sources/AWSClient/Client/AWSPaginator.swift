/// The pages of a paginated operation as an `AsyncSequence`: each page is fetched when iteration reaches it,
/// with the token the previous page returned, until a page returns none.
///
/// A service that hands back a token it already gave ends iteration with an error rather than looping.
public struct AWSPaginator<Output: Sendable>: AsyncSequence, Sendable {
    /// One page: the parsed answer and its raw bytes.
    public typealias Element = AWSResponse<Output>

    /// Fetches the page for a token (nil for the first) and returns it with the next token.
    public typealias Fetch = @Sendable (_ token: String?) async throws -> (page: AWSResponse<Output>, next: String?)

    private let fetch: Fetch

    /// A paginator over `fetch`.
    public init(fetch: @escaping Fetch) {
        self.fetch = fetch
    }

    /// Starts iteration at the first page.
    public func makeAsyncIterator() -> Iterator { Iterator(fetch: fetch) }

    /// Iterates pages.
    public struct Iterator: AsyncIteratorProtocol {
        private let fetch: Fetch
        private var token: String?
        private var finished = false
        private var seen: Set<String> = []

        init(fetch: @escaping Fetch) {
            self.fetch = fetch
        }

        /// The next page, or nil after the last.
        public mutating func next() async throws -> AWSResponse<Output>? {
            guard !finished else { return nil }
            let (page, nextToken) = try await fetch(token)
            if let nextToken, !nextToken.isEmpty {
                guard seen.insert(nextToken).inserted else {
                    finished = true
                    throw AWSClientError(
                        .invalidResponse,
                        "\(page.raw.service) \(page.raw.action) returned a pagination token it had already returned; "
                            + "stopped to avoid an endless loop.")
                }
                token = nextToken
            } else {
                finished = true
            }
            return page
        }
    }

    /// Every page, in order.
    public func allPages() async throws -> [AWSResponse<Output>] {
        var pages: [AWSResponse<Output>] = []
        for try await page in self { pages.append(page) }
        return pages
    }

    /// The items of every page, in order.
    public func allItems<Item>(_ items: @Sendable (Output) -> [Item]) async throws -> [Item] {
        var all: [Item] = []
        for try await page in self { all += items(page.output) }
        return all
    }
}
