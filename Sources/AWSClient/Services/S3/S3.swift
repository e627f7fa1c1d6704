public import Foundation

/// S3 operations ([API reference](https://docs.aws.amazon.com/AmazonS3/latest/API/)) in the client's region,
/// over REST-XML with S3's SigV4 variant. Buckets are addressed by virtual host on AWS and by path on a custom
/// endpoint (or as `AWSConfiguration.s3PathStyle` says).
public struct S3: Sendable {
    /// The client calls go through.
    public let client: AWS

    /// S3 calls through `client`.
    public init(client: AWS) {
        self.client = client
    }

    /// The objects under a prefix: `ListObjectsV2`, paginated. Keys are requested URL-encoded (so any byte
    /// survives XML) and decoded before they are returned.
    public func listObjectsV2(
        bucket: String, prefix: String? = nil, delimiter: String? = nil, startAfter: String? = nil,
        maxKeys: Int? = nil
    ) -> AWSPaginator<ListObjectsV2Output> {
        AWSPaginator { [client] token in
            var call = OperationCall(service: .s3, action: "ListObjectsV2")
            call.method = "GET"
            call.bucket = bucket
            call.query = [("list-type", "2"), ("encoding-type", "url")]
            if let prefix { call.query.append(("prefix", prefix)) }
            if let delimiter { call.query.append(("delimiter", delimiter)) }
            if let startAfter { call.query.append(("start-after", startAfter)) }
            if let maxKeys { call.query.append(("max-keys", String(maxKeys))) }
            if let token { call.query.append(("continuation-token", token)) }
            call.parameters = .object(
                parameters(
                    ("Bucket", .string(bucket)), ("Prefix", prefix.json), ("Delimiter", delimiter.json),
                    ("StartAfter", startAfter.json), ("MaxKeys", maxKeys.json), ("ContinuationToken", token.json)))
            var page: AWSResponse<ListObjectsV2Output> = try await client.restCall(call)
            page = AWSResponse(output: Self.decodingKeys(page.output), raw: page.raw)
            return (page, page.output.isTruncated == true ? page.output.nextContinuationToken : nil)
        }
    }

    /// An object's metadata without its body: `HeadObject`.
    public func headObject(bucket: String, key: String, versionId: String? = nil) async throws
        -> AWSResponse<ObjectMetadata>
    {
        let (raw, _) = try await client.perform(objectCall("HeadObject", "HEAD", bucket, key, versionId))
        return AWSResponse(output: ObjectMetadata(headers: raw.headers), raw: raw)
    }

    /// Streams an object to `file`, byte for byte as stored (no transparent decompression), and returns its
    /// metadata: `GetObject`. The file appears only when the whole body has arrived and its size matches
    /// `Content-Length`. Over HTTPS the request asks S3 to report `Content-Encoding: identity` so that nothing
    /// decodes the body on the way; use ``headObject(bucket:key:versionId:)`` for the stored encoding.
    public func getObject(bucket: String, key: String, versionId: String? = nil, to file: URL) async throws
        -> AWSResponse<ObjectMetadata>
    {
        var call = objectCall("GetObject", "GET", bucket, key, versionId)
        if try client.endpoints.resolve(.s3, region: client.region).scheme == "https" {
            // URLSession decodes any Content-Encoding it knows; have S3 label the body as stored bytes instead.
            call.query.append(("response-content-encoding", "identity"))
        }
        let (raw, _) = try await client.perform(call, downloadTo: file)
        let metadata = ObjectMetadata(headers: raw.headers)
        if let expected = metadata.contentLength {
            let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? -1
            guard size == expected else {
                try? FileManager.default.removeItem(at: file)
                throw AWSClientError(
                    .connectionLost,
                    "s3://\(bucket)/\(key) arrived with \(size) bytes where Content-Length said \(expected); removed.")
            }
        }
        return AWSResponse(output: metadata, raw: raw)
    }

    /// An object's body in memory, byte for byte as stored, for small objects such as CloudTrail digest files:
    /// `GetObject` through a temporary file.
    public func getObjectData(bucket: String, key: String, versionId: String? = nil) async throws
        -> AWSResponse<Data>
    {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("custody-s3-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        let answer = try await getObject(bucket: bucket, key: key, versionId: versionId, to: file)
        let data: Data
        do {
            data = try Data(contentsOf: file)
        } catch {
            throw AWSClientError(.fileError, "Could not read the downloaded s3://\(bucket)/\(key) back.")
        }
        return AWSResponse(output: data, raw: answer.raw)
    }

    private func objectCall(_ action: String, _ method: String, _ bucket: String, _ key: String, _ versionId: String?)
        -> OperationCall
    {
        var call = OperationCall(service: .s3, action: action)
        call.method = method
        call.bucket = bucket
        call.path = "/" + URIEncoding.encode(key, keepSlash: true)
        if let versionId { call.query.append(("versionId", versionId)) }
        // Ask for the stored bytes: no transparent decompression of objects stored with Content-Encoding.
        call.headers.add("Accept-Encoding", "identity")
        call.parameters = .object(
            parameters(("Bucket", .string(bucket)), ("Key", .string(key)), ("VersionId", versionId.json)))
        return call
    }

    static func decodingKeys(_ output: ListObjectsV2Output) -> ListObjectsV2Output {
        guard output.encodingType == "url" else { return output }
        var decoded = output
        func plain(_ text: String?) -> String? { text.map { URIEncoding.decode($0, plusAsSpace: true) } }
        decoded.prefix = plain(output.prefix)
        decoded.delimiter = plain(output.delimiter)
        decoded.startAfter = plain(output.startAfter)
        decoded.contents = output.contents.map { object in
            var object = object
            object.key = plain(object.key)
            return object
        }
        decoded.commonPrefixes = output.commonPrefixes.map { common in
            var common = common
            common.prefix = plain(common.prefix)
            return common
        }
        return decoded
    }
}

extension S3 {
    /// What `HeadObject` and `GetObject` say about an object, from the answer's headers.
    public struct ObjectMetadata: Codable, Hashable, Sendable {
        /// The body's size in bytes.
        public var contentLength: Int?
        /// The media type.
        public var contentType: String?
        /// The content encoding the object was stored with, such as `gzip`.
        public var contentEncoding: String?
        /// The entity tag.
        public var eTag: String?
        /// When the object was last written.
        public var lastModified: Date?
        /// The version id, on versioned buckets.
        public var versionId: String?
        /// The server-side encryption, such as `AES256` or `aws:kms`.
        public var serverSideEncryption: String?
        /// The storage class when not STANDARD.
        public var storageClass: String?
        /// User metadata (`x-amz-meta-*` headers), keys lowercased without the prefix; CloudTrail digest files
        /// carry their signature here.
        public var metadata: [String: String]

        /// Reads the metadata from an answer's headers.
        public init(headers: HTTPHeaders) {
            contentLength = headers["Content-Length"].flatMap { Int($0) }
            contentType = headers["Content-Type"]
            contentEncoding = headers["Content-Encoding"]
            eTag = headers["ETag"]
            lastModified = headers["Last-Modified"].flatMap(Timestamps.httpDate)
            versionId = headers["x-amz-version-id"]
            serverSideEncryption = headers["x-amz-server-side-encryption"]
            storageClass = headers["x-amz-storage-class"]
            var metadata: [String: String] = [:]
            for field in headers where field.name.lowercased().hasPrefix("x-amz-meta-") {
                metadata[String(field.name.lowercased().dropFirst("x-amz-meta-".count))] = field.value
            }
            self.metadata = metadata
        }
    }
}
