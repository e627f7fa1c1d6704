import CustodyJSON
import Diff
import Dispatch
import Evidence
import Foundation
import EvidenceReading

/// The CloudTrail reader, and the rules over what it read.
enum CloudTrailFuzzing {
    /// A source handing out its bytes some at a time, so every refill and buffer growth of the
    /// reader is taken.
    struct Trickle: CloudTrailByteSource {
        let bytes: [UInt8]
        let step: Int
        var offset = 0

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            let count = Swift.min(step, buffer.count, bytes.count - offset)
            guard count > 0 else { return 0 }
            buffer.copyBytes(from: bytes[offset..<(offset + count)])
            offset += count
            return count
        }
    }

    /// Reads `bytes` whole and trickled, and looks into every record.
    static func read(_ bytes: [UInt8]) {
        let whole = CloudTrailReader(source: CloudTrailBytes(bytes), file: "fuzz", maximumRecordSize: 64 << 10)
        look(into: whole)
        // Each refill scans the record from its start again: small steps cost quadratic time.
        let step = 100 + (bytes.first.map(Int.init) ?? 0) * 4
        let trickled = CloudTrailReader(
            source: Trickle(bytes: bytes, step: step), file: "fuzz", maximumRecordSize: 1024, maximumIssues: 4)
        look(into: trickled)
    }

    private static func look(into reader: CloudTrailReader) {
        for record in reader {
            _ = record.eventTimeSeconds
            _ = record.missingEssentials
            _ = record.readOnly
            _ = record.eventVersion
            _ = try? record.event()
            _ = try? record.event(members: ["requestParameters", "responseElements", "userIdentity"])
            if let lookup = try? LookupEventsRecord(record: record) { _ = try? CanonicalJSON.encode(lookup) }
        }
        _ = reader.shape
        for issue in reader.issues { _ = "\(issue)" }
    }

    /// Where `hunt` writes its input: one file per process, rewritten for each input.
    private static let file = NSTemporaryDirectory() + "custody-fuzz-\(ProcessInfo.processInfo.processIdentifier).jsonl"

    /// The rules over the records, as `custody hunt` runs them, rendered as text and JSON.
    static func hunt(_ bytes: [UInt8]) {
        guard FileManager.default.createFile(atPath: file, contents: Data(bytes)) else { return }
        let log = waiting { await EventLog.read(files: [file], account: "111122223333") }
        for index in 0..<log.count {
            _ = log.reference(at: index)
            _ = log.target(at: index)
            _ = log.principalId(at: index)
        }
        _ = log.incomplete.note
        let report = DiffEngine.hunt(events: log, suspectKeys: ["AKIAIOSFODNN7EXAMPLE"])
        var text = ""
        report.render(into: &text)
        _ = try? CanonicalJSON.encode(report)
    }

    /// The result of async `work`, waited for on this thread (the fuzzer calls in synchronously).
    private static func waiting<T: Sendable>(_ work: @escaping @Sendable () async -> T) -> T {
        let box = Box<T>()
        let done = DispatchSemaphore(value: 0)
        Task {
            box.value = await work()
            done.signal()
        }
        done.wait()
        return box.value!
    }
}

/// A value handed from the task that made it to the thread that waited for it.
private final class Box<T>: @unchecked Sendable {
    var value: T?
}
