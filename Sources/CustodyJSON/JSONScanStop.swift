/// Why a scan stopped before the end of a value.
package enum JSONScanStop: Error {
    /// The bytes end before the value does, and more input may follow.
    case needMore
    /// The text is not JSON: what is wrong, and the offset from the scanner's first byte.
    case invalid(String, at: Int)
}
