/// Receives each safe member's bytes from verification in the pass that hashes them, so that what
/// extraction writes is exactly what was verified: the archive is read once.
protocol MemberSink: AnyObject {
    /// A member starts.
    func begin(_ name: MemberName) throws
    /// The member's next bytes.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// The member is complete.
    func end() throws
}
