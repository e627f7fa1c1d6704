import CustodyTestSupport
import Foundation
import Testing

@testable import AWSClient

/// `credential_process` helpers that talk too much, or print secrets where an error would quote them.
@Suite struct ProcessCredentialProviderTests {
    let folder: TemporaryFolder

    init() throws {
        folder = try TemporaryFolder()
    }

    func helper(_ name: String, _ body: String) throws -> String {
        let script = try folder.write(name, "#!/bin/sh\n" + body + "\n")
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script)
        _ = try folder.write("config", "[profile p]\ncredential_process = \(script)\n")
        return script
    }

    func resolve() async throws -> ResolvedCredentials {
        try await CredentialChainTests.client(folder, profile: "p").credentials()
    }

    // The limit catches a helper that is never read to the end, which hangs for ever; it is
    // generous because the rest of the suite, run in parallel, can hold every worker for minutes.
    @Test(.timeLimit(.minutes(5)))
    func helperWritingMuchToStderrBeforeItsAnswerIsReadToTheEnd() async throws {
        // 200 KiB of diagnostics fill the stderr pipe long before the answer on stdout is written.
        _ = try helper(
            "chatty.sh",
            """
            head -c 204800 /dev/zero | tr '\\0' 'x' >&2
            printf '{"Version": 1, "AccessKeyId": "AKIACHATTY", "SecretAccessKey": "chatty-SECRET"}'
            """)
        let resolved = try await resolve()
        #expect(resolved.credentials.accessKeyId == "AKIACHATTY")
        #expect(resolved.credentials.secretAccessKey == "chatty-SECRET")
    }

    // The limit catches a helper that is never read to the end, which hangs for ever; it is
    // generous because the rest of the suite, run in parallel, can hold every worker for minutes.
    @Test(.timeLimit(.minutes(5)))
    func helperWritingMuchToStdoutAndStderrTogetherIsReadToTheEnd() async throws {
        _ = try helper(
            "both.sh",
            """
            printf '{"Version": 1, "AccessKeyId": "AKIABOTH", "SecretAccessKey": "both-SECRET", "Pad": "'
            head -c 204800 /dev/zero | tr '\\0' 'y' >&2
            head -c 204800 /dev/zero | tr '\\0' 'z'
            head -c 204800 /dev/zero | tr '\\0' 'y' >&2
            printf '"}'
            """)
        #expect(try await resolve().credentials.accessKeyId == "AKIABOTH")
    }

    @Test(arguments: [
        #"printf '{"Version": 2, "AccessKeyId": "AKIAX", "SecretAccessKey": "printed-SECRET"}'"#,
        #"printf '{"Version": 1, "SecretAccessKey": "printed-SECRET"'"#,
        #"printf '{"Version": 1, "AccessKeyId": "AKIAX", "SecretAccessKey": "printed-SECRET"}'; exit 4"#,
        #"printf 'printed-SECRET\n'; printf 'login needed\n' >&2; exit 5"#,
    ])
    func errorsNeverQuoteWhatTheHelperPrintedOnStdout(_ body: String) async throws {
        _ = try helper("leaky.sh", body)
        let error = await #expect(throws: AWSClientError(.credentialProviderFailed, "")) { try await resolve() }
        #expect(error?.message.contains("printed-SECRET") == false, "\(error?.message ?? "")")
        #expect(error.map { "\($0)" }?.contains("printed-SECRET") == false)
    }
}
