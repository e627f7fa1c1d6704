import Foundation

extension LabServer {
    /// Signs in to the lab's IAM Identity Center as `aws sso login` would and leaves what it leaves in `home`:
    /// the token in `.aws/sso/cache/<SHA-1>.json` and, in `.aws/config`, profile `profile` for `role` in
    /// `account` (with an `[sso-session lab]`, or the legacy form) pointed at the lab with `endpoint_url`.
    /// `expiresIn` seconds of 0 or less make a token that has already expired. Runs `custodylab.ssologin`.
    /// - Returns: the cache file's path.
    @discardableResult
    public func signInWithSSO(
        home: String, profile: String, account: String, role: String, legacy: Bool = false, expiresIn: Int? = nil
    ) throws -> String {
        guard let python = ExternalTool.python3 else { throw LabError(message: "python3 is not installed") }
        var arguments = [
            "-m", "custodylab.ssologin", "--endpoint", endpoint, "--home", home, "--profile", profile, "--account",
            account, "--role", role,
        ]
        if legacy { arguments.append("--legacy") }
        if let expiresIn { arguments += ["--expires-in", String(expiresIn)] }
        let result = try python.run(arguments, environment: ["PYTHONPATH": Self.repositoryRoot + "/Scripts"])
        guard result.status == 0,
            let paths = try? JSONSerialization.jsonObject(with: result.output) as? [String: String],
            let cache = paths["cache"]
        else {
            throw LabError(message: "the SSO sign-in failed: \(result.error)")
        }
        return cache
    }
}
