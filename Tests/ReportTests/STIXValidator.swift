import CustodyTestSupport
import Foundation
import Testing

/// OASIS's STIX 2 validator (`stix2-validator` from PyPI, pinned), installed on first use into a
/// virtual environment under the checkout's `.build-stix2/` (ignored by git). `nil` when python3,
/// venv, pip or PyPI cannot be had: the tests that need it are then skipped and say why.
enum STIXValidator {
    /// 3.3.x wheels ship without the STIX JSON schemas, so every object fails; 3.2.0 has them.
    static let version = "3.2.0"
    static let folder = ImportedCloudTrailTests.repositoryRoot + "/.build-stix2/venv-\(version)"

    static let tool: ExternalTool? = {
        let validator = ExternalTool(path: folder + "/bin/stix2_validator")
        if FileManager.default.isExecutableFile(atPath: validator.path) { return validator }
        guard let python = ExternalTool.python3,
            (try? python.run(["-m", "venv", folder]))?.status == 0,
            (try? ExternalTool(path: folder + "/bin/python").run([
                "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "stix2-validator==\(version)",
            ]))?.status == 0,
            FileManager.default.isExecutableFile(atPath: validator.path)
        else { return nil }
        return validator
    }()

    static let unavailable: Comment =
        "stix2-validator \(version) could not be installed (python3 -m venv and pip install from PyPI); skipped"
}
