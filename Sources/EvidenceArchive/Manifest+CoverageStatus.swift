extension Manifest {
    /// How completely something was read: a coverage entry's calls, or a CloudTrail window
    /// (`Schemas/manifest.schema.json`). A manifest with any other status does not decode, and so does not verify.
    public enum CoverageStatus: String, Codable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
        /// Everything asked for was read.
        case complete
        /// Only part of it was read: some calls did not succeed, but not all failed alike; for a window, only
        /// `[since, until)` was read.
        case partial
        /// Nothing usable was read: every call failed.
        case failed
        /// AWS denied the reading.
        case denied

        /// The status as the manifest spells it.
        public var description: String { rawValue }
    }
}
