public import Foundation

/// The schemas in `Schemas/`, checked with python's jsonschema (Draft 2020-12), every schema of the
/// folder registered so that one may refer to another.
public enum JSONSchemas {
    static let script = """
        import glob, json, os, sys, jsonschema, referencing
        root = sys.argv[1]
        schemas = {os.path.basename(p): json.load(open(p)) for p in glob.glob(root + "/*.schema.json")}
        registry = referencing.Registry().with_resources(
            [(s["$id"], referencing.Resource.from_contents(s)) for s in schemas.values()])
        errors = sorted(jsonschema.Draft202012Validator(schemas[sys.argv[2]], registry=registry)
                        .iter_errors(json.load(open(sys.argv[3]))), key=str)
        for error in errors[:5]:
            print(f"{'/'.join(map(str, error.absolute_path)) or '(top)'}: {error.message}")
        sys.exit(1 if errors else 0)
        """

    /// What is wrong with `document` under `schema` (a file name in `Schemas/`); nil when it is valid.
    /// - Throws: when python3 cannot be run.
    public static func problems(_ document: Data, against schema: String) throws -> String? {
        let folder = try TemporaryFolder()
        let path = try folder.write("document.json", document)
        guard let python = ExternalTool.python3 else { return "python3 is not installed" }
        let run = try python.run(["-c", script, LabServer.repositoryRoot + "/Schemas", schema, path])
        return run.status == 0 ? nil : run.text + run.error
    }
}
