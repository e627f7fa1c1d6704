import CustodyTestSupport
import Foundation
import Testing

@testable import Report

/// The real validators the finding exports are checked against.
enum FindingExportValidators {
    /// What a validator said.
    struct Verdict {
        /// Whether the file is valid.
        var valid: Bool
        /// Why not, or the number of findings when it is.
        var message: String
    }

    // MARK: ASFF

    /// Validates a `BatchImportFindings` request with botocore's own `ParamValidator` on the
    /// `securityhub` service model (required members, types, unknown members), then checks what the
    /// validator leaves to the service: the model's enums and patterns, and Security Hub's documented
    /// limits (title 256, description 1,024, recommendation 512, product fields 50 pairs of 128/2,048,
    /// resource ids 512, RFC 3339 times, the account's default product ARN, distinct ids).
    static let asffScript = #"""
        import json, re, sys
        import botocore.session
        from botocore.validate import ParamValidator

        model = botocore.session.get_session().get_service_model("securityhub")
        shape = model.operation_model("BatchImportFindings").input_shape
        document = json.load(open(sys.argv[1]))
        errors = []
        report = ParamValidator().validate(document, shape)
        if report.has_errors():
            errors.append(report.generate_report())

        def units(text):
            return max(len(text), len(text.encode("utf-16-le", "surrogatepass")) // 2)

        def walk(value, shape, path):
            kind = shape.type_name
            if kind == "structure" and isinstance(value, dict):
                for key, member in value.items():
                    if key in shape.members:
                        walk(member, shape.members[key], path + "." + key)
            elif kind == "list" and isinstance(value, list):
                for index, member in enumerate(value):
                    walk(member, shape.member, "%s[%d]" % (path, index))
            elif kind == "map" and isinstance(value, dict):
                for key, member in value.items():
                    walk(key, shape.key, path + " key " + repr(key))
                    walk(member, shape.value, "%s[%r]" % (path, key))
            elif kind == "string" and isinstance(value, str):
                if shape.enum and value not in shape.enum:
                    errors.append("%s: %r is none of %s" % (path, value, shape.enum))
                pattern = shape.metadata.get("pattern")
                if pattern and not re.search(pattern, value):
                    errors.append("%s: %r does not match %s" % (path, value[:80], pattern))

        walk(document, shape, "")

        time = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$")
        def limit(path, text, most):
            if units(text) > most:
                errors.append("%s is %d characters, more than %d" % (path, units(text), most))
        findings = document.get("Findings", []) if isinstance(document, dict) else []
        for index, finding in enumerate(findings):
            at = "Findings[%d]." % index
            for key, most in (("Id", 512), ("GeneratorId", 512), ("Title", 256), ("Description", 1024)):
                if key in finding: limit(at + key, finding[key], most)
            text = finding.get("Remediation", {}).get("Recommendation", {}).get("Text")
            if text is not None: limit(at + "Remediation.Recommendation.Text", text, 512)
            fields = finding.get("ProductFields", {})
            if len(fields) > 50: errors.append(at + "ProductFields has more than 50 pairs")
            for key, value in fields.items():
                limit(at + "ProductFields key", key, 128)
                limit(at + "ProductFields[%r]" % key, value, 2048)
            if len(finding.get("Resources", [])) > 32: errors.append(at + "Resources has more than 32")
            for resource in finding.get("Resources", []):
                limit(at + "Resources[].Id", resource.get("Id", ""), 512)
                for key, value in resource.get("Details", {}).get("Other", {}).items():
                    limit(at + "Resources[].Details.Other[%r]" % key, value, 1024)
            if len(finding.get("Types", [])) > 50: errors.append(at + "Types has more than 50")
            if len(finding.get("ThreatIntelIndicators", [])) > 5: errors.append(at + "more than 5 indicators")
            for key in ("CreatedAt", "UpdatedAt", "FirstObservedAt", "LastObservedAt"):
                if key in finding and not time.match(finding[key]):
                    errors.append(at + key + " is no RFC 3339 time: %r" % finding[key])
            if finding.get("CreatedAt", "") > finding.get("UpdatedAt", ""):
                errors.append(at + "UpdatedAt is before CreatedAt")
            account = finding.get("AwsAccountId", "")
            if not re.fullmatch(r"\d{12}", account):
                errors.append(at + "AwsAccountId %r is no account id" % account)
            arn = r"arn:aws(-cn|-us-gov)?:securityhub:[a-z]{2}(-[a-z]+)+-\d+:%s:product/%s/default" % (account, account)
            if not re.fullmatch(arn, finding.get("ProductArn", "")):
                errors.append(at + "ProductArn %r is not the account's default product" % finding.get("ProductArn"))
        if len(set(f.get("Id") for f in findings)) != len(findings):
            errors.append("two findings share an Id")
        if errors:
            print("\n".join(errors), file=sys.stderr)
            sys.exit(1)
        print(len(findings))
        """#

    /// Runs `asffScript` on `bytes`.
    static func validateASFF(_ bytes: [UInt8]) throws -> Verdict {
        let folder = try TemporaryFolder()
        let path = try folder.write("findings.asff.json", bytes)
        let run = try #require(ExternalTool.python3).run(["-c", asffScript, path])
        return Verdict(valid: run.status == 0, message: run.status == 0 ? run.text : run.error)
    }

    // MARK: OCSF

    /// The OCSF schema version `findings.ocsf.json` follows.
    static let ocsfVersion = OCSFDocument.schemaVersion

    /// Validates the records with the JSON Schema that `ocsf-json-schema` generates from OCSF's own
    /// compiled schema (bundled, so it works offline) for class 2004 with the `cloud` profile:
    /// every object closed (no member OCSF does not define), required members, enums, the ip and
    /// other type patterns, and the `at_least_one` constraints.
    static let ocsfScript = #"""
        import json, sys
        import jsonschema
        from ocsf_json_schema import OcsfJsonSchemaEmbedded, get_ocsf_schema

        ocsf = OcsfJsonSchemaEmbedded(get_ocsf_schema(version=sys.argv[2]))
        schema = ocsf.get_class_schema(ocsf.lookup_class_name_from_uid(2004), profiles=["cloud"])
        validator = jsonschema.Draft202012Validator(schema)
        records = json.load(open(sys.argv[1]))
        errors = []
        if not isinstance(records, list):
            errors.append("the file is not an array of records")
            records = []
        for index, record in enumerate(records):
            for error in sorted(validator.iter_errors(record), key=lambda e: list(map(str, e.absolute_path))):
                path = "/".join(map(str, error.absolute_path))
                errors.append("record %d %s: %s" % (index, path, error.message[:300]))
            expected = {"class_uid": 2004, "category_uid": 2, "activity_id": 1, "type_uid": 200401, "status_id": 1}
            for key, value in expected.items():
                if record.get(key) != value:
                    errors.append("record %d: %s is %r, not %r" % (index, key, record.get(key), value))
            if record.get("metadata", {}).get("version") != sys.argv[2]:
                errors.append("record %d: metadata.version is not %s" % (index, sys.argv[2]))
        if errors:
            print("\n".join(errors), file=sys.stderr)
            sys.exit(1)
        print(len(records))
        """#

    /// The pinned validator packages, from PyPI.
    static let ocsfPackages = ["ocsf-json-schema==1.2.0", "jsonschema==4.26.0"]

    /// The Python of a venv under `.build-python/` (ignored by git) holding `ocsfPackages`,
    /// installed on first use; `nil`, said on stderr, when they cannot be installed (PyPI unreachable).
    static let ocsfPython: ExternalTool? = {
        guard let system = ExternalTool.python3 else {
            FileHandle.standardError.write(Data("OCSF validation skipped: no python3 on PATH.\n".utf8))
            return nil
        }
        let venv = ImportedCloudTrailTests.repositoryRoot + "/.build-python/ocsf-venv"
        let python = ExternalTool(path: venv + "/bin/python")
        let check =
            "import importlib.metadata as m; "
            + ocsfPackages.map { package -> String in
                let parts = package.components(separatedBy: "==")
                return "assert m.version('\(parts[0])') == '\(parts[1])'"
            }.joined(separator: "; ")
        if (try? python.run(["-c", check]).status) == 0 { return python }
        do {
            if !FileManager.default.isExecutableFile(atPath: python.path) {
                let made = try system.run(["-m", "venv", venv])
                guard made.status == 0 else { throw Failure(message: "python3 -m venv failed: \(made.error)") }
            }
            let install = try python.run(
                ["-m", "pip", "install", "-q", "--disable-pip-version-check"] + ocsfPackages)
            guard install.status == 0, try python.run(["-c", check]).status == 0 else {
                throw Failure(message: "pip install \(ocsfPackages.joined(separator: " ")) failed: \(install.error)")
            }
            return python
        } catch {
            FileHandle.standardError.write(
                Data(
                    "OCSF validation skipped: cannot install the validator into \(venv) (is PyPI reachable?): \(error)\n"
                        .utf8))
            return nil
        }
    }()

    /// Whether the OCSF validator could be installed.
    static var ocsfAvailable: Bool { ocsfPython != nil }

    /// Runs `ocsfScript` on `bytes`.
    static func validateOCSF(_ bytes: [UInt8]) throws -> Verdict {
        let folder = try TemporaryFolder()
        let path = try folder.write("findings.ocsf.json", bytes)
        let run = try #require(ocsfPython).run(["-c", ocsfScript, path, ocsfVersion])
        return Verdict(valid: run.status == 0, message: run.status == 0 ? run.text : run.error)
    }

    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}
