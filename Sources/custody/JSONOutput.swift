import ArgumentParser
import CustodyJSON

/// `--json`, and `--output json|text` as the AWS CLI spells it: how a command prints its result.
/// Every command that prints a result takes it; its discussion names the schema of the JSON.
struct JSONOutput: ParsableArguments {
    @Flag(
        name: .long, help: "Print the result as one JSON document on stdout (its schema is named in the description).")
    var json = false

    @Option(
        name: .long,
        help: ArgumentHelp(
            "json or text: --output json is --json, as the AWS CLI spells it.", valueName: "FORMAT",
            visibility: .hidden))
    var output: String?

    func validate() throws {
        guard let output else { return }
        guard ["json", "text"].contains(output.lowercased()) else {
            throw ValidationError("--output '\(output)' is not one of json, text.")
        }
        if json && output.lowercased() == "text" {
            throw ValidationError("--json and --output text disagree; give one of them.")
        }
    }

    /// Whether the result is printed as JSON.
    var isJSON: Bool { json || output?.lowercased() == "json" }

    /// Prints `value` as canonical JSON (sorted keys), one document and a newline.
    static func print(_ value: some Encodable) throws {
        Console.print(
            String(decoding: try CanonicalJSON.encode(value), as: UTF8.self).trimmingCharacters(in: .newlines))
    }
}
