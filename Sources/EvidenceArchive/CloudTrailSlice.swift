import CustodyCrypto

/// What verification keeps of an archive's CloudTrail S3 slice as it streams past, for
/// `CloudTrailDigestValidator`: digests, their metadata and the public keys in full (small, and
/// capped in total), and of every other file only the SHA-256 of its uncompressed bytes, computed
/// through a gzip reader while the member is read. Memory stays bounded whatever the log files weigh.
struct CloudTrailSlice {
    /// How much of the slice is held in memory.
    struct Limits: Sendable {
        /// The largest digest, metadata or key file kept (CloudTrail's are kilobytes).
        var member = 16 << 20
        /// The most kept in all; beyond it digests are not checked, and that is a problem.
        var total = 256 << 20
    }

    /// Digests, their metadata and `public-keys.json`, by name.
    var kept: [MemberName: [UInt8]] = [:]
    /// Bytes held in `kept`.
    private(set) var keptBytes = 0
    /// Every other file of the slice: what its uncompressed bytes hash to.
    var logs: [MemberName: CloudTrailDigestValidator.LogHash] = [:]

    /// Whether `name` is kept whole: a digest, a digest's metadata, or the public keys.
    static func keeps(_ name: MemberName) -> Bool {
        name == MemberName(CloudTrailDigestValidator.publicKeysMember) || CloudTrailDigestValidator.isDigest(name)
            || CloudTrailDigestValidator.isDigestMetadata(name)
    }

    /// Keeps `bytes` as `name`, unless that would pass `limit`; `false` then.
    mutating func keep(_ bytes: [UInt8], as name: MemberName, limit: Int) -> Bool {
        guard keptBytes + bytes.count <= limit else { return false }
        kept[name] = bytes
        keptBytes += bytes.count
        return true
    }

    /// The SHA-256 of what `input` yields once decompressed: what a digest's `hashValue` is of.
    ///
    /// Reads until the gzip data ends or proves damaged; whatever the member holds beyond is the
    /// caller's to read. An error `input` throws is thrown, not taken for damaged gzip.
    static func uncompressedHash(
        of name: String, limit: Int = CloudTrailDigestValidator.uncompressedLimit,
        input: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws -> CloudTrailDigestValidator.LogHash {
        var inputError: (any Error)?
        let hash = uncompressedHashOrDamage(of: name, limit: limit) { buffer in
            do {
                return try input(buffer)
            } catch {
                inputError = error
                throw error
            }
        }
        if let inputError { throw inputError }
        return hash
    }

    private static func uncompressedHashOrDamage(
        of name: String, limit: Int, input: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
    ) -> CloudTrailDigestValidator.LogHash {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        do {
            let reader = try Gzip.Reader(name: name, input: input)
            var hasher = SHA256()
            var total = 0
            while true {
                let count = try reader.read(into: buffer)
                if count == 0 { return .sha256(hasher.finalize().hex) }
                total += count
                if total > limit { return .tooLarge }
                hasher.update(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        } catch {
            return .notGzip
        }
    }
}
