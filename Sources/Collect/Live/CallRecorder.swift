import AWSClient
import Foundation

/// Makes the calls of one account's collection: every response is stored raw, every outcome
/// counted in the coverage, and a refused or failed call yields `nil` instead of ending the run.
struct CallRecorder: Sendable {
    let store: RawResponseStore
    let coverage: CoverageLedger
    let progress: ProgressSink

    /// Runs one call; `nil` when AWS refused or it failed after retries.
    /// - Parameter absentCodes: error codes that mean "there is none" (such as `NoSuchEntity` for
    ///   a user without a login profile): counted as success, answered with `nil`.
    func call<Output: Sendable>(
        _ source: String, _ region: String?, _ item: String, absentCodes: Set<String> = [],
        _ body: () async throws -> AWSResponse<Output>
    ) async -> Output? {
        do {
            let response = try await body()
            try await store.record(response.raw, region: region ?? "global")
            await coverage.succeeded(source, region, item)
            progress.callCompleted()
            return response.output
        } catch {
            await handle(error, source, region, item, absentCodes: absentCodes)
            return nil
        }
    }

    /// Runs every page of a paginated call; the pages fetched before a failure are kept.
    func pages<Output: Sendable>(
        _ source: String, _ region: String?, _ item: String, _ paginator: AWSPaginator<Output>
    ) async -> [Output] {
        await responses(source, region, item, paginator).map(\.output)
    }

    /// Like `pages`, keeping each page's raw response too.
    func responses<Output: Sendable>(
        _ source: String, _ region: String?, _ item: String, _ paginator: AWSPaginator<Output>
    ) async -> [AWSResponse<Output>] {
        await pagedResponses(source, region, item, paginator).responses
    }

    /// Every page of a paginated call and, when not every page came, why: the pages fetched before a
    /// failure are kept, and the failure is in the coverage as well.
    func pagedResponses<Output: Sendable>(
        _ source: String, _ region: String?, _ item: String, _ paginator: AWSPaginator<Output>
    ) async -> (responses: [AWSResponse<Output>], stopped: Stop?) {
        var outputs: [AWSResponse<Output>] = []
        do {
            for try await page in paginator {
                try await store.record(page.raw, region: region ?? "global")
                outputs.append(page)
                progress.callCompleted()
            }
            await coverage.succeeded(source, region, item)
            return (outputs, nil)
        } catch {
            let stop = await handle(error, source, region, item, absentCodes: [], partial: !outputs.isEmpty)
            return (outputs, stop)
        }
    }

    /// Why a paginated call stopped before its last page.
    struct Stop: Sendable {
        /// Whether AWS denied it.
        var denied: Bool
        /// The error, as the coverage records it.
        var error: String
    }

    @discardableResult
    private func handle(
        _ error: any Error, _ source: String, _ region: String?, _ item: String, absentCodes: Set<String>,
        partial: Bool = false
    ) async -> Stop? {
        if let service = error as? AWSServiceError {
            try? await store.record(service, region: region ?? "global")
            progress.callCompleted()
            if absentCodes.contains(service.code) {
                await coverage.succeeded(source, region, item)
                return nil
            }
            let text = "\(service.code): \(service.message)"
            if service.isAccessDenied && !partial {
                await coverage.denied(source, region, item, text)
            } else {
                await coverage.failed(source, region, item, partial ? "stopped after some pages: \(text)" : text)
            }
            progress.problem("\(source)\(region.map { " " + $0 } ?? "") \(item): \(text)")
            return Stop(denied: service.isAccessDenied, error: text)
        } else {
            let text = Task.isCancelled ? "interrupted" : FailureText.describe(error)
            await coverage.failed(source, region, item, partial ? "stopped after some pages: \(text)" : text)
            progress.problem("\(source)\(region.map { " " + $0 } ?? "") \(item): \(text)")
            return Stop(denied: false, error: text)
        }
    }
}
