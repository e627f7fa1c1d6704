/// How long temporary credentials stay usable: they outlive disabling the key that made them.
public struct ExposureWindow: Codable, Hashable, Sendable {
    /// When they were issued (the event's time, ISO 8601).
    public var issuedAt: String
    /// When they expire (ISO 8601), from the response or the requested duration.
    public var expiresAt: String?
    /// How long that is, in seconds.
    public var durationSeconds: Int?
    /// The temporary access key id (`ASIA…`).
    public var accessKeyId: String?

    /// Makes a window.
    public init(issuedAt: String, expiresAt: String? = nil, durationSeconds: Int? = nil, accessKeyId: String? = nil) {
        self.issuedAt = issuedAt
        self.expiresAt = expiresAt
        self.durationSeconds = durationSeconds
        self.accessKeyId = accessKeyId
    }
}
