import CustodyJSON

/// Finds the caller's members that every rule reads in a record's `userIdentity` object, down to
/// `sessionContext.sessionIssuer`, in one pass of the `JSONScanner` over its bytes, without
/// building the JSON tree. (The reader notes where the top-level members lie while checking the
/// record.)
///
/// Members are read as the tree parser reads them: a name written with escapes is its decoded
/// text, and a repeated member counts at its last occurrence — a later `sessionContext` replaces
/// everything an earlier one gave, a later `arn` that is no string leaves no `arn`. Text that
/// is not JSON ends the scan early with what was found so far; the reader has already checked
/// each record's syntax.
package struct EventScanner {
    /// Where a string value lies: the bytes between its quotes.
    package struct Span {
        package var start: Int
        package var end: Int
        package var escaped: Bool
    }

    /// The members found.
    package struct Fields {
        package var identityType, principalId, arn, accountId, accessKeyId, userName, invokedBy: Span?
        package var sessionCreationDate: Span?
        package var mfaAuthenticated: Bool?
        package var issuerType, issuerArn, issuerUserName, issuerAccountId: Span?

        /// Forgets what a `sessionContext` gave, when another one comes.
        mutating func forgetSessionContext() {
            forgetAttributes()
            forgetIssuer()
        }

        /// Forgets what `sessionContext.attributes` gave.
        mutating func forgetAttributes() {
            sessionCreationDate = nil
            mfaAuthenticated = nil
        }

        /// Forgets what `sessionContext.sessionIssuer` gave.
        mutating func forgetIssuer() {
            issuerType = nil
            issuerArn = nil
            issuerUserName = nil
            issuerAccountId = nil
        }
    }

    /// Scans a `userIdentity` object (its bytes, braces included).
    package static func scanIdentity(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields {
        var scanner = JSONScanner(bytes)
        var fields = Fields()
        scanner.skipWhitespace()
        try? object(&scanner, level: .identity, depth: 0, into: &fields)
        return fields
    }

    /// The decoded bytes of an escaped string's content, as every reader decodes them (`JSONEscape`).
    package static func unescape(_ content: UnsafeBufferPointer<UInt8>) -> [UInt8] { JSONEscape.decode(content) }

    /// Which object is being read.
    private enum Level {
        case identity, sessionContext, attributes, issuer
    }

    /// Reads the object at the scanner (inside a container at nesting level `depth`), storing the
    /// wanted members; skips any other value.
    private static func object(_ scanner: inout JSONScanner, level: Level, depth: Int, into fields: inout Fields)
        throws(JSONScanStop)
    {
        guard scanner.index < scanner.count, scanner.bytes[scanner.index] == UInt8(ascii: "{") else {
            return try scanner.skipValue(depth: depth)
        }
        try scanner.forEachMember(depth: depth + 1) { scanner, key throws(JSONScanStop) in
            try member(&scanner, key, level: level, depth: depth + 1, into: &fields)
        }
    }

    /// Reads one member's value, of an object at nesting level `depth`.
    private static func member(
        _ scanner: inout JSONScanner, _ key: JSONStringToken, level: Level, depth: Int, into fields: inout Fields
    ) throws(JSONScanStop) {
        let names = scanner
        func named(_ literal: StaticString) -> Bool { names.token(key, equals: literal) }
        func isString() -> Bool { scanner.index < scanner.count && scanner.bytes[scanner.index] == UInt8(ascii: "\"") }
        func take(_ keyPath: WritableKeyPath<Fields, Span?>) throws(JSONScanStop) {
            guard isString() else {
                fields[keyPath: keyPath] = nil
                return try scanner.skipValue(depth: depth)
            }
            let token = try scanner.scanString()
            fields[keyPath: keyPath] = Span(start: token.start, end: token.end, escaped: token.hasEscapes)
        }
        switch level {
        case .identity:
            if named("type") { return try take(\.identityType) }
            if named("arn") { return try take(\.arn) }
            if named("principalId") { return try take(\.principalId) }
            if named("accountId") { return try take(\.accountId) }
            if named("accessKeyId") { return try take(\.accessKeyId) }
            if named("userName") { return try take(\.userName) }
            if named("invokedBy") { return try take(\.invokedBy) }
            if named("sessionContext") {
                fields.forgetSessionContext()
                return try object(&scanner, level: .sessionContext, depth: depth, into: &fields)
            }
        case .sessionContext:
            if named("attributes") {
                fields.forgetAttributes()
                return try object(&scanner, level: .attributes, depth: depth, into: &fields)
            }
            if named("sessionIssuer") {
                fields.forgetIssuer()
                return try object(&scanner, level: .issuer, depth: depth, into: &fields)
            }
        case .attributes:
            if named("creationDate") { return try take(\.sessionCreationDate) }
            if named("mfaAuthenticated") {
                fields.mfaAuthenticated = try boolean(&scanner, depth: depth)
                return
            }
        case .issuer:
            if named("type") { return try take(\.issuerType) }
            if named("arn") { return try take(\.issuerArn) }
            if named("userName") { return try take(\.issuerUserName) }
            if named("accountId") { return try take(\.issuerAccountId) }
        }
        try scanner.skipValue(depth: depth)
    }

    /// Reads `true`, `false`, `"true"` or `"false"`; nil for any other value, which is skipped.
    private static func boolean(_ scanner: inout JSONScanner, depth: Int) throws(JSONScanStop) -> Bool? {
        guard scanner.index < scanner.count else { throw scanner.ranOut("a value") }
        switch scanner.bytes[scanner.index] {
        case UInt8(ascii: "\""):
            let token = try scanner.scanString()
            if scanner.token(token, equals: "true") { return true }
            if scanner.token(token, equals: "false") { return false }
            return nil
        case UInt8(ascii: "t"):
            try scanner.skipLiteral("true")
            return true
        case UInt8(ascii: "f"):
            try scanner.skipLiteral("false")
            return false
        default:
            try scanner.skipValue(depth: depth)
            return nil
        }
    }
}
