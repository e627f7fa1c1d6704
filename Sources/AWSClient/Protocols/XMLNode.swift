import CustodyJSON
import Foundation

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// An XML element reduced to what AWS responses use: a name, child elements and text.
struct XMLNode: Hashable, Sendable {
    /// The element's local name, without namespace prefix.
    var name: String
    /// The child elements, in order.
    var children: [XMLNode] = []
    /// The element's own text, concatenated.
    var text: String = ""

    /// The first child named `name`.
    func child(_ name: String) -> XMLNode? { children.first { $0.name == name } }

    /// The text of the first child named `name`.
    func childText(_ name: String) -> String? { child(name)?.text }

    /// The first element named `name` at any depth, this one included.
    func find(_ name: String) -> XMLNode? {
        if self.name == name { return self }
        for child in children {
            if let found = child.find(name) { return found }
        }
        return nil
    }

    /// Parses an XML document into its root element.
    /// - Throws: `AWSClientError.Code.invalidResponse` when the bytes are not well-formed XML.
    static func parse(_ data: Data) throws -> XMLNode {
        let builder = TreeBuilder()
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        parser.delegate = builder
        guard parser.parse(), let root = builder.root else {
            let reason = parser.parserError.map { " (\($0.localizedDescription))" } ?? ""
            throw AWSClientError(.invalidResponse, "The answer is not well-formed XML\(reason).")
        }
        return root
    }

    /// A JSON form of the element for generic calls: text-only elements become strings, elements whose children
    /// are all `member` or `item` become arrays, repeated names become arrays, the rest objects.
    var jsonValue: JSONValue {
        if children.isEmpty { return .string(text) }
        let names = Set(children.map(\.name))
        if names == ["member"] || names == ["item"] {
            return .array(children.map(\.jsonValue))
        }
        var object: [String: JSONValue] = [:]
        for name in children.map(\.name) where object[name] == nil {
            let matching = children.filter { $0.name == name }
            object[name] = matching.count == 1 ? matching[0].jsonValue : .array(matching.map(\.jsonValue))
        }
        return .object(object)
    }
}

private final class TreeBuilder: NSObject, XMLParserDelegate {
    var stack: [XMLNode] = []
    var root: XMLNode?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName qName: String?,
        attributes attributeDict: [String: String] = [:]
    ) {
        let local = elementName.split(separator: ":").last.map(String.init) ?? elementName
        stack.append(XMLNode(name: local))
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }

    func parser(
        _ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?
    ) {
        guard var node = stack.popLast() else { return }
        if !node.children.isEmpty && node.text.allSatisfy(\.isWhitespace) { node.text = "" }
        if stack.isEmpty {
            root = node
        } else {
            stack[stack.count - 1].children.append(node)
        }
    }
}
