import Foundation
import FuzzEntries
import Testing

/// Every input of `Tests/FuzzCorpus/<target>/` (the seeds, and each input a fuzzer ever crashed
/// on) goes through its target again, as `Scripts/fuzz` feeds it: none may crash.
@Suite struct FuzzCorpusTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("FuzzCorpus")

    static func inputs(_ target: FuzzTarget) -> [URL] {
        let folder = corpus.appendingPathComponent(target.rawValue)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { folder.appendingPathComponent($0) }
    }

    @Test(arguments: FuzzTarget.allCases)
    func everyInputOfTheCorpusRunsThroughItsTarget(_ target: FuzzTarget) throws {
        let inputs = Self.inputs(target)
        #expect(inputs.count >= 3, "the corpus of \(target.rawValue) has seeds")
        for input in inputs {
            target.run(Array(try Data(contentsOf: input)))
        }
    }

    @Test func eachTargetHasAFuzzerAndACorpus() {
        let root = Self.corpus.deletingLastPathComponent().deletingLastPathComponent()
        for target in FuzzTarget.allCases {
            #expect(
                FileManager.default.fileExists(
                    atPath: root.appendingPathComponent("Fuzz/\(target.rawValue)/main.swift").path))
        }
    }
}
