import CustodyTestSupport
import EvidenceArchive
import Foundation
import Testing

/// gzip through libarchive, checked against the `gzip` tool in both directions.
@Suite struct GzipTests {
    static let gzip = ExternalTool("gzip")

    /// Sample inputs: empty, tiny, text, and more than one libarchive block of mixed bytes.
    static let samples: [(String, [UInt8])] = [
        ("empty", []),
        ("one byte", [0x41]),
        ("a line", Array("{\"Records\":[]}\n".utf8)),
        ("3 MiB", (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }),
    ]

    @Test(arguments: samples.map(\.0))
    func roundTrips(sample: String) throws {
        let bytes = try #require(Self.samples.first { $0.0 == sample }).1
        let compressed = try Gzip.compress(bytes)
        #expect(Gzip.hasMagic(compressed))
        #expect(try Gzip.decompress(compressed) == bytes)
    }

    @Test func writesTheSameBytesEveryTimeWithNoNameAndNoTime() throws {
        let bytes = Array(String(repeating: "same input ", count: 1000).utf8)
        let first = try Gzip.compress(bytes)
        #expect(try Gzip.compress(bytes) == first)
        #expect(first[3] == 0, "no FNAME or other header flags")
        #expect(first[4..<8].allSatisfy { $0 == 0 }, "MTIME is zero")
    }

    @Test(arguments: samples.map(\.0))
    func gzipReadsWhatTheWriterWrites(sample: String) throws {
        let bytes = try #require(Self.samples.first { $0.0 == sample }).1
        let run = try Self.gzip!.run(["-dc"], input: Data(try Gzip.compress(bytes)))
        #expect(run.status == 0, "\(run.error)")
        #expect(Array(run.output) == bytes)
    }

    @Test(arguments: samples.map(\.0))
    func readsWhatGzipWrites(sample: String) throws {
        let bytes = try #require(Self.samples.first { $0.0 == sample }).1
        let run = try Self.gzip!.run(["-c", "-9"], input: Data(bytes))
        #expect(try Gzip.decompress(Array(run.output)) == bytes)
    }

    @Test func writesAFileThatStreamsBack() throws {
        let folder = try TemporaryFolder()
        let path = folder.file("events.jsonl.gz")
        let writer = try Gzip.Writer(path: path)
        var expected: [UInt8] = []
        for index in 0..<5000 {
            let line = Array("{\"EventId\":\"\(index)\"}\n".utf8)
            expected += line
            try writer.write(line)
        }
        try writer.finish()
        let reader = try Gzip.Reader(path: path)
        var read: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
            if count == 0 { break }
            read += buffer.prefix(count)
        }
        #expect(read == expected)
        #expect(reader.decompressedCount == Int64(expected.count))
        #expect(reader.compressedCount == Int64(try Data(contentsOf: URL(fileURLWithPath: path)).count))
    }

    @Test func readsSeveralMembersOneAfterAnother() throws {
        let one = Array("first member\n".utf8)
        let two = Array(String(repeating: "second member\n", count: 500).utf8)
        let joined = try Gzip.compress(one) + Gzip.compress(two) + Gzip.compress([])
        #expect(try Gzip.decompress(joined) == one + two)
    }

    /// The reader's CRC-32 takes sixteen bytes per step; the writer's is zlib's. Every length
    /// around those steps, and every alignment of the data, must agree.
    @Test func agreesWithZlibsCRCAtEveryLengthAndOffset() throws {
        let bytes = (0..<4200).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 11) }
        for (start, length) in (0..<16).map({ ($0, 0) }) + (0..<70).map({ (3, $0) }) + [
            (5, 1000), (0, 4099), (1, 4199),
        ] {
            let data = Array(bytes[start..<(start + length)])
            let writer = try Gzip.Writer()
            try writer.write(data)
            try writer.finish()
            let reader = try Gzip.Reader(bytes: writer.output)
            var out: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 37)
            while true {
                let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                if count == 0 { break }
                out += buffer[0..<count]
            }
            #expect(out == data, "\(length) bytes from \(start)")
        }
    }

    @Test func reportsACorruptedCRCInsteadOfReturningWrongData() throws {
        var compressed = try Gzip.compress(Array(String(repeating: "evidence ", count: 200).utf8))
        compressed[compressed.count - 6] ^= 0x01
        #expect(throws: ArchiveError(.readFailed, "")) { try Gzip.decompress(compressed) }
        do {
            _ = try Gzip.decompress(compressed)
        } catch {
            #expect("\(error)".contains("CRC-32"))
        }
    }

    @Test func reportsAChangedByteInsideTheData() throws {
        let text = (0..<20000).map { "line \($0) of the log\n" }.joined()
        var compressed = try Gzip.compress(Array(text.utf8))
        compressed[compressed.count / 2] ^= 0x10
        #expect(throws: ArchiveError(.readFailed, "")) { try Gzip.decompress(compressed) }
    }

    @Test func reportsDataCutShort() throws {
        let text = (0..<200_000).map { "record \($0 &* 7919)\n" }.joined()
        let compressed = try Gzip.compress(Array(text.utf8))
        for length in [compressed.count - 4, compressed.count / 2, 12] {
            #expect(throws: ArchiveError.self) { try Gzip.decompress(Array(compressed.prefix(length))) }
        }
    }

    @Test func refusesDataThatIsNotGzip() throws {
        #expect(throws: ArchiveError(.readFailed, "")) { try Gzip.decompress(Array("{\"Records\":[]}".utf8)) }
        #expect(throws: ArchiveError.self) { try Gzip.decompress([]) }
        do {
            _ = try Gzip.decompress(Array("plain".utf8))
        } catch {
            #expect("\(error)".contains("not gzip"))
        }
    }
}
