import ArgumentParser
import EvidenceArchive

/// `--account ID`, repeatable or comma-separated, as every command names accounts; `--accounts`
/// is its older spelling, still accepted.
struct AccountList: ParsableArguments {
    @Option(
        name: .customLong("account"),
        help: ArgumentHelp(
            "An account to reach by assuming --role-name in it (repeatable, or comma-separated).", valueName: "ID"))
    var account: [String] = []

    @Option(
        name: .customLong("accounts"),
        help: ArgumentHelp("The older spelling of --account.", valueName: "IDS", visibility: .hidden))
    var accounts: [String] = []

    /// Whether any account was named.
    var isGiven: Bool { !account.isEmpty || !accounts.isEmpty }

    /// The ids named, in order, each once.
    var ids: [String] {
        var seen = Set<String>()
        return (account + accounts).flatMap { $0.split(separator: ",") }
            .map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty && seen.insert($0).inserted }
    }

    func validate() throws {
        if let bad = ids.first(where: { !ArchiveLayout.isAccountId($0) }) {
            throw ValidationError("--account '\(bad)' is not an AWS account id: give its 12 digits.")
        }
        if isGiven && ids.isEmpty { throw ValidationError("--account names no account.") }
    }
}
