import Foundation

/// The wall clock, or a fixed time when `SOURCE_DATE_EPOCH` is set, so sealing can be
/// reproduced byte for byte (the variable reproducible builds use for the same purpose).
enum ReproducibleClock {
    static func now() throws -> Date {
        guard let value = ProcessInfo.processInfo.environment["SOURCE_DATE_EPOCH"] else { return Date() }
        guard let seconds = Int(value), seconds >= 0 else {
            throw CommandFailure("SOURCE_DATE_EPOCH is '\(value)'; it must be whole seconds since 1970, or unset.")
        }
        return Date(timeIntervalSince1970: TimeInterval(seconds))
    }
}
