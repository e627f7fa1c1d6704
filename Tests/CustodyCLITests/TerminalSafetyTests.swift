import CustodyTestSupport
import Foundation
import Testing

/// Nothing read from evidence can drive the terminal: control characters and bidirectional
/// overrides in member names are printed as `\u` escapes by every command that shows them.
@Suite
struct TerminalSafetyTests {
    /// A member name that would clear the screen, print a fake success line and reverse the rest.
    static let hostileName = "files/evil\u{1B}[2J\u{1B}[1;1HOK: 1 archive(s) verified\r\u{202E}txt.exe\u{9B}31m"

    /// A tar (not a valid Custody archive) with the hostile member, made by Python's tarfile.
    static func hostileArchive(in folder: TemporaryFolder) throws -> String {
        let path = folder.file("000001-20260921T142640Z.tar")
        let script = """
            import io, sys, tarfile
            with tarfile.open(sys.argv[1], "w", format=tarfile.PAX_FORMAT) as tar:
                for name, data in [("custody.json", b'{"format":"custody-archive","version":2}\\n'), (sys.argv[2], b"x")]:
                    info = tarfile.TarInfo(name)
                    info.size = len(data)
                    tar.addfile(info, io.BytesIO(data))
            """
        let run = try ExternalTool.python3!.run(["-c", script, path, hostileName])
        #expect(run.status == 0, "\(run.error)")
        return path
    }

    static func expectSafe(_ output: String, _ command: String) {
        let unsafe = output.unicodeScalars.filter {
            ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || (0x7F...0x9F).contains($0.value) || $0 == "\u{202E}"
        }
        #expect(unsafe.isEmpty, "\(command) printed \(unsafe.map { String($0.value, radix: 16) })")
    }

    @Test(arguments: [["verify"], ["verify", "--json"], ["show"], ["show", "--json"], ["extract", "--to"]])
    func hostileMemberNamesArePrintedEscaped(command: [String]) throws {
        let folder = try TemporaryFolder()
        let archive = try Self.hostileArchive(in: folder)
        var arguments = command + [archive]
        if command.first == "extract" { arguments = ["extract", archive, "--to", folder.file("out")] }
        let run = try CustodyBinary.run(arguments)
        #expect(run.status != 0 || command.first == "show", "\(run.text)")
        Self.expectSafe(run.text, command.joined(separator: " "))
        Self.expectSafe(run.error, command.joined(separator: " "))
        if command == ["show"] || command == ["verify"] {
            #expect(run.text.contains("evil\\u001b[2J"), "\(run.text)")
        }
    }
}
