import ArgumentParser
import Foundation

/// The `custody` command: evidence collection and a sealed forensics archive for AWS accounts.
@main
struct Custody: AsyncParsableCommand {
    static let version = "0.1.0"

    static let configuration = CommandConfiguration(
        commandName: "custody",
        abstract: "Collect AWS evidence, seal it into signed hash-chained archives, and verify it.",
        discussion: """
            Evidence lives in a case folder with one chain of archives per account:
            CASE/ACCOUNT_ID/000001-20261129T001200Z.tar, each signed and naming the one before it.

            Exit codes, the same for every command:
              0  success: nothing wrong was found
              1  something was found: an archive that does not verify, findings (hunt), persistence of
                 the incident still present (diff), a target not ready (preflight), nothing sealed
                 (collect, import-cloudtrail)
              2  the command could not run: usage, unreadable input, no credentials
              3  incomplete: sealed with gaps, some calls or files failed and the manifest's coverage
                 names them (collect, import-cloudtrail); nothing known to remain of the incident, but
                 the later snapshot cannot tell about part of it (diff)
              4  sealed, with incomplete CloudTrail records kept as they were (import-cloudtrail)

            Every command that prints a result takes --json (or --output json); Docs/commands.md names
            the schema of each.
            """,
        version: version,
        subcommands: [
            Keygen.self, Seal.self, Verify.self, Show.self, Extract.self, Preflight.self, CollectCommand.self,
            ImportCloudTrail.self, DiffCommand.self, HuntCommand.self, ReportCommand.self, DemoCommand.self,
            VersionCommand.self, SweepCommand.self,
        ]
    )

    /// Runs the command with Custody's exit codes: usage errors and failures to run exit 2.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            exitWithCustodyCode(error)
        }
    }

    private static func exitWithCustodyCode(_ error: any Error) -> Never {
        if exitCode(for: error) == .success { exit(withError: error) }  // --help, --version
        let ending = ending(for: error)
        if !ending.message.isEmpty { Console.error(ending.message) }
        Foundation.exit(ending.status)
    }

    /// The one place an error becomes what custody prints on stderr and its exit status. An
    /// `ExitCode` prints nothing and exits with its own status; a usage error prints the parser's
    /// message and usage; any other error, a library's or a `CommandFailure`, prints its
    /// description. All but `ExitCode` exit 2.
    static func ending(for error: any Error) -> (message: String, status: Int32) {
        if let code = error as? ExitCode { return ("", code.rawValue) }
        if exitCode(for: error) == .validationFailure { return (fullMessage(for: error), 2) }
        return (String(describing: error), 2)
    }
}
