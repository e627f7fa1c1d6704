#if canImport(Glibc)
    import Glibc
#endif

/// Runs libFuzzer over one target from the fuzz executable's own `main`. SwiftPM gives every
/// executable a `main`, which would hide libFuzzer's, so the program calls libFuzzer's driver
/// (`LLVMFuzzerRunDriver`, linked in by `-sanitize=fuzzer`) itself, with its arguments.
public enum FuzzDriver {
    /// The target the driver's callback feeds; set once, before the driver starts.
    nonisolated(unsafe) fileprivate static var target = FuzzTarget.jsonScanner

    private typealias Callback = @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    private typealias Driver =
        @convention(c) (
            UnsafeMutablePointer<CInt>, UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
            Callback
        ) -> CInt

    /// Hands the command line to libFuzzer and exits with its status.
    public static func run(_ target: FuzzTarget) -> Never {
        guard let symbol = dlsym(nil, "LLVMFuzzerRunDriver") else {
            let message = "fuzz-\(target.rawValue): libFuzzer is not linked in; build and run it with Scripts/fuzz.\n"
            _ = message.withCString { write(2, $0, strlen($0)) }
            exit(2)
        }
        Self.target = target
        let driver = unsafeBitCast(symbol, to: Driver.self)
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(driver(&argc, &argv, fuzzOneInput))
    }
}

/// One input for the current target. Also under libFuzzer's own name, which its `main` (linked
/// in whole, though never run) refers to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    FuzzDriver.target.run(data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? [])
    return 0
}
