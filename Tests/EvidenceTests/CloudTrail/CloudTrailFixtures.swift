import CustodyTestSupport
import Evidence
import Foundation

/// The third-party CloudTrail files under `Resources/cloudtrail` (see `Resources/FIXTURES.md`).
enum CloudTrailFixtures {
    /// The folder holding them.
    static let folder = Bundle.module.bundleURL.appendingPathComponent("Resources/cloudtrail").path

    /// Every file that holds CloudTrail, by path relative to `folder`, sorted.
    static let files: [String] = {
        let enumerator = FileManager.default.enumerator(atPath: folder)!
        var found: [String] = []
        while let path = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(atPath: folder + "/" + path, isDirectory: &isDirectory)
            if !exists || isDirectory.boolValue || !isCloudTrail(path) { continue }
            found.append(path)
        }
        return found.sorted()
    }()

    /// Licences, notes and the one JSON file that is not CloudTrail are left out.
    static func isCloudTrail(_ path: String) -> Bool {
        let name = (path as NSString).lastPathComponent
        return !name.hasPrefix("LICENSE") && !name.hasSuffix(".rst") && name != "eventName_counts.json"
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: folder + "/" + path)))
    }

    /// What Python's `json` module finds in each file: the record count, and every record as
    /// JSON text (taken out of LookupEvents events and `log` envelopes), one line per record.
    static let python: [String: (count: Int, records: [String])]? = {
        guard let python = ExternalTool.python3 else { return nil }
        let script = """
            import json, sys
            out = {}
            for path in sys.argv[2:]:
                text = open(sys.argv[1] + "/" + path, encoding="utf-8").read()
                try:
                    value = json.loads(text)
                    if isinstance(value, dict) and "Records" in value:
                        records = value["Records"]
                    elif isinstance(value, dict) and "Events" in value:
                        records = [json.loads(e["CloudTrailEvent"]) for e in value["Events"]]
                    elif isinstance(value, list):
                        records = value
                    else:
                        records = [value]
                except ValueError:
                    records = [json.loads(line) for line in text.splitlines() if line.strip()]
                records = [r["log"] if "log" in r and "eventName" not in r else r for r in records]
                out[path] = [len(records), [json.dumps(r, ensure_ascii=False) for r in records]]
            print(json.dumps(out))
            """
        guard let run = try? python.run(["-c", script, folder] + files), run.status == 0,
            let object = try? JSONSerialization.jsonObject(with: run.output) as? [String: [Any]]
        else { return nil }
        return object.mapValues { ($0[0] as! Int, $0[1] as! [String]) }
    }()
}

/// A source that yields its bytes a few at a time, to cross every chunk boundary.
struct TricklingSource: CloudTrailByteSource {
    let bytes: [UInt8]
    let sizes: [Int]
    var offset = 0
    var step = 0

    init(_ bytes: [UInt8], sizes: [Int] = [1, 7, 3, 64, 2, 4096, 5]) {
        self.bytes = bytes
        self.sizes = sizes
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) -> Int {
        let count = min(buffer.count, sizes[step % sizes.count], bytes.count - offset)
        step += 1
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: count) }
        offset += count
        return count
    }
}

/// A source that fails after some bytes, as a damaged disk or gzip stream would.
struct FailingSource: CloudTrailByteSource {
    struct Failure: Error, CustomStringConvertible {
        var description: String { "the disk is on fire" }
    }

    var bytes: CloudTrailBytes
    var remaining: Int

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard remaining > 0 else { throw Failure() }
        let count = bytes.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, remaining)]))
        remaining -= count
        return count
    }
}

extension CloudTrailReader {
    /// Every record of `bytes`, and the reader for its issues and shape.
    static func readAll(_ bytes: [UInt8], file: String = "test.json", maximumRecordSize: Int = 16 << 20)
        -> (records: [CloudTrailRecord], reader: CloudTrailReader)
    {
        let reader = CloudTrailReader(source: CloudTrailBytes(bytes), file: file, maximumRecordSize: maximumRecordSize)
        return (Array(reader), reader)
    }

    /// Every record of `text`.
    static func readAll(_ text: String, file: String = "test.json", maximumRecordSize: Int = 16 << 20)
        -> (records: [CloudTrailRecord], reader: CloudTrailReader)
    {
        readAll(Array(text.utf8), file: file, maximumRecordSize: maximumRecordSize)
    }
}
