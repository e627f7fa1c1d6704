import CustodyJSON

/// Snapshot members decoded from any bytes, for the fuzz targets (`Fuzz/`) and the corpus replay
/// in the tests: the tape parser and decoder, and Foundation's decoder where the tape gives up,
/// must each end in a value or an error.
package enum SnapshotTapeFuzzing {
    /// The JSON members of a snapshot of one region, as `SnapshotReading` reads them.
    static let paths =
        [SnapshotLayout.account.path()]
        + SnapshotLayout.files(regions: ["us-east-1"]).filter { $0.member is any TapeSnapshotMember }.map(\.path)

    /// What each member holds when the input is not it: an empty snapshot of us-east-1.
    static let empty: [String: [UInt8]] = Dictionary(
        uniqueKeysWithValues: paths.map { path in
            let text: String
            switch path {
            case SnapshotLayout.account.path():
                text =
                    #"{"accountId":"111122223333","enabledRegions":["us-east-1"],"collectedRegions":["us-east-1"],"callerIdentity":{"arn":"arn:aws:iam::111122223333:user/c","userId":"AIDA","account":"111122223333"}}"#
            case SnapshotLayout.identityProviders.path(): text = #"{"saml":[],"oidc":[]}"#
            default: text = "[]"
            }
            return (SnapshotLayout.prefix + path, Array(text.utf8))
        })

    /// Decodes `bytes` as the member its first byte picks (the rest of the snapshot empty), alone,
    /// and as the later of two snapshots whose earlier one has the same member with one byte changed.
    package static func decode(_ bytes: [UInt8]) {
        guard let first = bytes.first else { return }
        let member = SnapshotLayout.prefix + paths[Int(first) % paths.count]
        let text = Array(bytes.dropFirst())
        if let tape = JSONTape.parse(text) {
            _ = try? AccountInfo(tape: tape, node: 0)
            _ = try? IdentityProviders(tape: tape, node: 0)
            _ = try? TapeDecoder.decode([IAMUser].self, tape, 0)
            _ = try? TapeDecoder.decode([IAMRole].self, tape, 0)
        }
        var members = empty
        members[member] = text
        _ = try? SnapshotReading.snapshot(from: members)
        var earlier = members
        if !text.isEmpty {
            var changed = text
            changed[changed.count / 2] ^= 0x01
            earlier[member] = changed
        }
        _ = SnapshotReading.snapshots(before: earlier, after: members)
    }
}
