import CustodyTestSupport
import Foundation
import Testing

/// `Scripts/install` into a temporary PREFIX: a release binary that runs where no Swift toolchain is,
/// its man page and its completions. Its release build takes minutes (Scripts/test makes it once
/// before the tests, in `.build-install`); where none was made, the suite is skipped rather than
/// spending them inside the test run.
@Suite(
    .serialized,
    .enabled(
        if: InstallScript.releaseBuilt,
        "needs the release build in .build-install: run Scripts/install once (or Scripts/test, which does)"))
struct InstallTests {
    static let script = ExternalTool(path: DemoCommandTests.repositoryRoot + "/Scripts/install")
    static let installed = InstallScript.installed

    @Test func installedBinaryRunsWithoutTheToolchainAndVerifiesTheCommittedReport() throws {
        let folder = try TemporaryFolder()
        // The script prints PREFIX with its symbolic links resolved.
        let prefix = URL(fileURLWithPath: folder.path).resolvingSymlinksInPath().path + "/prefix"
        let install = try Self.script.run([prefix])
        #expect(install.status == 0, "\(install.text)\(install.error)")
        for file in Self.installed {
            #expect(install.text.contains(prefix + "/" + file), "\(install.text)")
            let size = (try? FileManager.default.attributesOfItem(atPath: prefix + "/" + file))?[.size] as? Int
            #expect((size ?? 0) > 0, "\(file) is missing or empty")
        }
        let custody = prefix + "/bin/custody"

        let toolchain = try #require(Toolchain.find())
        #expect(toolchain.runtimeLibraries.contains("libswiftCore.so"), "\(toolchain.runtimeFolder)")
        let clean = toolchain.environmentWithout(home: folder.path)
        let swiftFound = try ExternalTool(path: "/usr/bin/env").run(clean + ["sh", "-c", "command -v swift"])
        #expect(swiftFound.status != 0, "the clean PATH still finds swift at \(swiftFound.text)")

        // What the dynamic loader would load, in that environment: no library of the toolchain's.
        let ldd = try ExternalTool(path: "/usr/bin/env").run(clean + ["ldd", custody])
        #expect(ldd.status == 0, "\(ldd.error)")
        let loaded = ldd.text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
        #expect(loaded.contains { $0.hasPrefix("libarchive.so") }, "\(ldd.text)")
        for line in loaded {
            let name = String(line.prefix { !$0.isWhitespace })
            #expect(!toolchain.runtimeLibraries.contains(name), "links the toolchain's \(name)")
            #expect(!line.contains(toolchain.root), "loads from the toolchain: \(line)")
            #expect(!line.contains("not found"), "\(line)")
        }

        let version = try ExternalTool(path: "/usr/bin/env").run(clean + [custody, "--version"])
        let built = try CustodyBinary.run(["--version"])
        #expect(version.status == 0, "\(version.error)")
        #expect(version.text == built.text)

        let fingerprint = try #require(try DemoCommandTests.trainingFingerprint())
        let verify = try ExternalTool(path: "/usr/bin/env").run(
            clean + [
                custody, "verify", DemoCommandTests.committed + "/report/report.tar",
                DemoCommandTests.committed + "/case", "--trust-fingerprint", fingerprint,
            ])
        #expect(verify.status == 0, "\(verify.text)\(verify.error)")
        #expect(verify.text.contains("were checked in case folder"), "\(verify.text)")

        try Self.checkManualAndCompletions(prefix: prefix)
    }

    /// `man` finds the page under PREFIX and groff reads it without a warning; bash parses its
    /// completion script, and zsh's and fish's are written for custody.
    static func checkManualAndCompletions(prefix: String) throws {
        let page = prefix + "/share/man/man1/custody.1"
        if let man = ExternalTool("man") {
            let found = try man.run(["-M", prefix + "/share/man", "-w", "custody"])
            #expect(found.text.trimmingCharacters(in: .whitespacesAndNewlines) == page, "\(found.error)")
        }
        if let groff = ExternalTool("groff") {
            // -P-cbou: plain text, without bold, underlining or terminal escapes.
            let rendered = try groff.run(["-mandoc", "-Tutf8", "-P-cbou", "-ww", page])
            #expect(rendered.status == 0 && rendered.error.isEmpty, "\(rendered.error)")
            for command in ["collect", "seal", "verify", "report"] {
                let listed = ["\n     \(command) ", "\n     \(command)\n"].contains { rendered.text.contains($0) }
                #expect(listed, "the rendered page lists no \(command)")
            }
        }
        let bash = try ExternalTool(path: "/bin/bash").run([
            "-n", prefix + "/share/bash-completion/completions/custody",
        ])
        #expect(bash.status == 0, "\(bash.error)")
        let zsh = try String(contentsOfFile: prefix + "/share/zsh/site-functions/_custody", encoding: .utf8)
        #expect(zsh.hasPrefix("#compdef custody"))
        let fish = try String(contentsOfFile: prefix + "/share/fish/vendor_completions.d/custody.fish", encoding: .utf8)
        #expect(fish.contains("complete -c 'custody'"))
    }

    @Test func destdirStagesThePrefixInsideItAndWritesNothingAtThePrefix() throws {
        let folder = try TemporaryFolder()
        let prefix = folder.file("usr")
        let stage = folder.file("stage")
        let install = try Self.script.run([prefix], environment: ["DESTDIR": stage])
        #expect(install.status == 0, "\(install.text)\(install.error)")
        for file in Self.installed {
            #expect(FileManager.default.fileExists(atPath: stage + prefix + "/" + file), "\(file)")
        }
        #expect(!FileManager.default.fileExists(atPath: prefix))
    }
}

/// What `Scripts/install` needs and writes.
enum InstallScript {
    /// Whether `.build-install` holds the release build, so that running the script only installs.
    static var releaseBuilt: Bool {
        FileManager.default.isExecutableFile(
            atPath: DemoCommandTests.repositoryRoot + "/.build-install/release/custody")
    }

    /// The files the script installs under PREFIX, each non-empty.
    static let installed = [
        "bin/custody", "share/man/man1/custody.1", "share/bash-completion/completions/custody",
        "share/zsh/site-functions/_custody", "share/fish/vendor_completions.d/custody.fish",
    ]
}

/// The Swift toolchain that built the tests: where it is, and the runtime libraries it provides.
struct Toolchain {
    /// The toolchain's `usr` folder, the parent of the `bin` that holds `swift`.
    var root: String
    /// The folder of the runtime's shared libraries (`lib/swift/linux`).
    var runtimeFolder: String { root + "/lib/swift/linux" }
    /// The names of the shared libraries there (libswiftCore.so, libFoundation.so, libdispatch.so…).
    var runtimeLibraries: Set<String>

    /// The toolchain whose `swift` is on PATH, or `nil`.
    static func find() -> Toolchain? {
        guard let swift = ExternalTool("swift") else { return nil }
        let bin = URL(fileURLWithPath: swift.path).resolvingSymlinksInPath().deletingLastPathComponent()
        var toolchain = Toolchain(root: bin.deletingLastPathComponent().path, runtimeLibraries: [])
        let names = (try? FileManager.default.contentsOfDirectory(atPath: toolchain.runtimeFolder)) ?? []
        toolchain.runtimeLibraries = Set(names.filter { $0.hasSuffix(".so") })
        return toolchain
    }

    /// `env` arguments for a shell without the toolchain: nothing of this process's environment but a
    /// PATH without the toolchain's folders and `home` as HOME, so no LD_LIBRARY_PATH either.
    func environmentWithout(home: String) -> [String] {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":")
            .filter { !URL(fileURLWithPath: String($0)).resolvingSymlinksInPath().path.hasPrefix(root) }
        return ["-i", "PATH=" + path.joined(separator: ":"), "HOME=" + home]
    }
}
