import CustodyTestSupport
import Foundation

/// The built `custody` executable, next to the test bundle.
enum CustodyBinary {
    static let tool: ExternalTool = {
        let bundle = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath().deletingLastPathComponent()
        return ExternalTool(path: bundle.appendingPathComponent("custody").path)
    }()

    /// Runs `custody` with a fixed clock unless `environment` says otherwise.
    static func run(_ arguments: [String], environment: [String: String] = ["SOURCE_DATE_EPOCH": "1790000000"]) throws
        -> ExternalTool.Result
    {
        try tool.run(arguments, environment: environment)
    }
}
