import CustodyErrors
import Testing

/// What every error gets from conforming: a description that says what went wrong and then what to
/// do, and equality by code alone.
@Suite struct CustodyErrorTests {
    /// An error of the shape every module's error has, with nothing of its own.
    struct SampleError: CustodyError {
        struct Code: Hashable, Sendable, CustomStringConvertible {
            let name: String
            static let locked = Code(name: "locked")
            static let missing = Code(name: "missing")
            var description: String { name }
        }

        let code: Code
        let message: String
        let remedy: String?
        let underlying: (any Error)?
        let fileID: String
        let line: Int

        init(
            _ code: Code, _ message: String, remedy: String? = nil, underlying: (any Error)? = nil,
            fileID: String = #fileID, line: Int = #line
        ) {
            self.code = code
            self.message = message
            self.remedy = remedy
            self.underlying = underlying
            self.fileID = fileID
            self.line = line
        }
    }

    @Test func descriptionSaysWhatWentWrongThenWhatToDo() {
        let error = SampleError(
            .locked, "Another custody holds the lock of 111122223333.", remedy: "Wait for it to finish, then run again."
        )
        #expect(
            error.description
                == "Another custody holds the lock of 111122223333. Wait for it to finish, then run again.")
        #expect("\(error)" == error.description)
        #expect(error.explanation == error.description)
    }

    @Test func descriptionIsTheMessageWhenItAlreadySaysWhatToDo() {
        let error = SampleError(.missing, "case/ does not exist; give the folder custody collect wrote.")
        #expect(error.description == "case/ does not exist; give the folder custody collect wrote.")
    }

    @Test func descriptionLeavesTheUnderlyingErrorToTheMessage() {
        let cause = SampleError(.missing, "The inner file is gone.")
        let error = SampleError(.locked, "The outer step failed.", remedy: "Try again.", underlying: cause)
        #expect(error.description == "The outer step failed. Try again.")
        #expect((error.underlying as? SampleError)?.code == .missing)
    }

    @Test func errorsWithTheSameCodeAreEqualWhateverTheirMessages() {
        #expect(SampleError(.locked, "One sentence.") == SampleError(.locked, "Another.", remedy: "Do this."))
        #expect(SampleError(.locked, "Same sentence.") != SampleError(.missing, "Same sentence."))
        #expect(throws: SampleError(.locked, "")) { throw SampleError(.locked, "Held by process 4242.") }
    }

    @Test func recordsWhereItWasRaised() {
        let error = SampleError(.missing, "Gone.")
        #expect(error.fileID == #fileID)
        #expect(error.line == #line - 2)
    }
}
