/// One entry's header, as read from an untrusted tar.
struct TarEntry: Sendable {
    enum Kind: String, Sendable {
        case regular, directory, symbolicLink, hardLink, characterDevice, blockDevice, fifo, socket, other
    }

    /// The name (pax `path` applied), as text.
    var path: String
    var kind: Kind
    var size: Int64
    /// The link target, for links.
    var linkTarget: String?
}
