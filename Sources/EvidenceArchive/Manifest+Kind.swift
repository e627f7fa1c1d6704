extension Manifest {
    /// What an archive holds, as its manifest's `kind` says (`Schemas/manifest.schema.json`).
    ///
    /// Custody writes the four kinds below. A kind it does not know, written by a later version, is read as it is
    /// spelled and never rejected: verifying an archive does not depend on its kind, so such an archive still
    /// verifies, `custody show` says the kind is unknown to it, and a command that needs a particular kind (diff
    /// needs a snapshot) names the kind it found.
    public struct Kind: RawRepresentable, Codable, Hashable, Sendable, CustomStringConvertible {
        /// The kind as the manifest spells it, such as `evidence`.
        public let rawValue: String

        /// The kind spelled `rawValue`, as read from a manifest; archives are sealed with the kinds below.
        public init(rawValue: String) {
            self.rawValue = rawValue
        }

        /// Files sealed by `custody seal`.
        public static let files = Kind(rawValue: "files")
        /// A live collection: the account's snapshot, its CloudTrail and the raw answers.
        public static let evidence = Kind(rawValue: "evidence")
        /// CloudTrail imported from files a responder already had (`custody import-cloudtrail`).
        public static let cloudTrail = Kind(rawValue: "cloudtrail")
        /// A report, naming the evidence archives it was made from.
        public static let report = Kind(rawValue: "report")

        /// The kinds this version writes.
        public static let known: [Kind] = [.files, .evidence, .cloudTrail, .report]

        /// Whether this version writes archives of this kind.
        public var isKnown: Bool { Self.known.contains(self) }

        /// The kind as the manifest spells it.
        public var description: String { rawValue }
    }
}
