import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A minimal HTTP/1.1 exchange over a plain TCP socket, for `http://` downloads only (local endpoints such as
/// a lab or test server).
///
/// `URLSession` always decodes a body sent with `Content-Encoding: gzip` (libcurl's automatic decompression is
/// switched on unconditionally on Linux), so an object stored gzip-encoded would not arrive byte for byte. Over
/// HTTPS, S3 is asked to override the header instead (`response-content-encoding=identity`); over plain HTTP
/// this reads the bytes itself. One request per connection (`Connection: close`); Content-Length, chunked and
/// read-to-close bodies.
enum PlainHTTPDownload {
    static func run(_ request: HTTPRequest, to file: URL, timeout: Duration) async throws -> HTTPResponse {
        let socket = SocketBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    do {
                        continuation.resume(
                            returning: try exchange(request, to: file, timeout: timeout, socket: socket))
                    } catch {
                        continuation.resume(throwing: error)
                    }
                    socket.close()
                }
            }
        } onCancel: {
            socket.close()
        }
    }

    private static func exchange(_ request: HTTPRequest, to file: URL, timeout: Duration, socket box: SocketBox) throws
        -> HTTPResponse
    {
        let target = "http://\(request.hostHeader)"
        let fd = try connect(host: request.host, port: request.port ?? 80, timeout: timeout, target: target)
        box.set(fd)
        var head = "\(request.method) \(request.path)\(request.query.isEmpty ? "" : "?" + request.query) HTTP/1.1\r\n"
        head += "Host: \(request.hostHeader)\r\n"
        for field in request.headers where !["host", "content-length", "connection"].contains(field.name.lowercased()) {
            head += "\(field.name): \(field.value)\r\n"
        }
        if !request.body.isEmpty || request.method == "POST" || request.method == "PUT" {
            head += "Content-Length: \(request.body.count)\r\n"
        }
        head += "Connection: close\r\n\r\n"
        try write(fd, Data(head.utf8) + request.body, target: target)

        var reader = Reader(fd: fd, target: target)
        let statusLine = try reader.line()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/1."), let status = Int(parts[1]) else {
            throw AWSClientError(.invalidResponse, "\(target) answered with something other than HTTP/1.1.")
        }
        var headers = HTTPHeaders()
        while true {
            let line = try reader.line()
            if line.isEmpty { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers.add(
                String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        let success = (200..<300).contains(status)
        var sink = try Sink(file: success ? file : nil)
        defer { sink.close() }
        let noBody = request.method == "HEAD" || status == 204 || status == 304 || (100..<200).contains(status)
        if noBody {
        } else if headers["Transfer-Encoding"]?.lowercased().contains("chunked") == true {
            while true {
                let sizeLine = try reader.line()
                guard let size = Int(sizeLine.split(separator: ";").first ?? "", radix: 16) else {
                    throw AWSClientError(.invalidResponse, "\(target) sent a malformed chunk size.")
                }
                if size == 0 {
                    while try !reader.line().isEmpty {}
                    break
                }
                try reader.copy(size, to: &sink)
                _ = try reader.line()
            }
        } else if let length = headers["Content-Length"].flatMap({ Int($0) }) {
            try reader.copy(length, to: &sink)
        } else {
            try reader.copyToEnd(to: &sink)
        }
        try sink.finish()
        return HTTPResponse(statusCode: status, headers: headers, body: success ? Data() : sink.memory)
    }

    private static func connect(host: String, port: Int, timeout: Duration, target: String) throws -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, String(port), &hints, &list) == 0, let first = list else {
            throw AWSClientError(.connectionFailed, "Could not resolve \(target).")
        }
        defer { freeaddrinfo(list) }
        var seconds = timeval(
            tv_sec: Int(timeout.components.seconds), tv_usec: Int(timeout.components.attoseconds / 1_000_000_000_000))
        if seconds.tv_sec == 0 && seconds.tv_usec == 0 { seconds.tv_usec = 1000 }
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry {
            let fd = socket(info.pointee.ai_family, info.pointee.ai_socktype, info.pointee.ai_protocol)
            if fd >= 0 {
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
                if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return fd }
                Glibc.close(fd)
            }
            entry = info.pointee.ai_next
        }
        throw AWSClientError(.connectionFailed, "Could not connect to \(target).")
    }

    private static func write(_ fd: Int32, _ data: Data, target: String) throws {
        try data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let sent = send(fd, buffer.baseAddress! + offset, buffer.count - offset, Int32(MSG_NOSIGNAL))
                guard sent > 0 else { throw AWSClientError(.connectionLost, "The connection to \(target) dropped.") }
                offset += sent
            }
        }
    }

    private struct Reader {
        let fd: Int32
        let target: String
        var buffer: [UInt8] = []
        var start = 0

        init(fd: Int32, target: String) {
            self.fd = fd
            self.target = target
        }

        /// Reads more bytes; false at end of stream.
        mutating func fill() throws -> Bool {
            if start > 65_536 {
                buffer.removeFirst(start)
                start = 0
            }
            var chunk = [UInt8](repeating: 0, count: 65_536)
            let count = recv(fd, &chunk, chunk.count, 0)
            if count < 0 {
                if errno == EAGAIN || errno == EWOULDBLOCK {
                    throw AWSClientError(.timedOut, "\(target) did not answer in time.")
                }
                throw AWSClientError(.connectionLost, "The connection to \(target) dropped.")
            }
            buffer.append(contentsOf: chunk[0..<count])
            return count > 0
        }

        mutating func line() throws -> String {
            while true {
                if let end = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) {
                    var line = buffer[start..<end]
                    if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
                    start = end + 1
                    return String(decoding: line, as: UTF8.self)
                }
                guard try fill() else {
                    throw AWSClientError(.connectionLost, "The connection to \(target) closed mid-answer.")
                }
            }
        }

        mutating func copy(_ count: Int, to sink: inout Sink) throws {
            var remaining = count
            while remaining > 0 {
                if start == buffer.count {
                    guard try fill() else {
                        throw AWSClientError(
                            .connectionLost, "The connection to \(target) closed with \(remaining) bytes still to come."
                        )
                    }
                }
                let take = min(remaining, buffer.count - start)
                try sink.write(buffer[start..<(start + take)])
                start += take
                remaining -= take
            }
        }

        mutating func copyToEnd(to sink: inout Sink) throws {
            repeat {
                try sink.write(buffer[start...])
                start = buffer.count
            } while try fill()
        }
    }

    /// Where the body goes: a temporary file beside the target (moved into place when complete) or memory.
    private struct Sink {
        let file: URL?
        let partial: URL?
        let handle: FileHandle?
        var memory = Data()

        init(file: URL?) throws {
            self.file = file
            guard let file else {
                partial = nil
                handle = nil
                return
            }
            let partial = file.appendingPathExtension("partial")
            // Made afresh, never through a link planted under the partial file's name.
            unlink(partial.path)
            let fd = open(partial.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0o600)
            guard fd >= 0 else {
                throw AWSClientError(
                    .fileError, "Could not create \(partial.path): \(String(cString: strerror(errno))).")
            }
            self.partial = partial
            handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        }

        mutating func write(_ bytes: ArraySlice<UInt8>) throws {
            if let handle { try handle.write(contentsOf: bytes) } else { memory.append(contentsOf: bytes) }
        }

        func finish() throws {
            guard let file, let partial, let handle else { return }
            try handle.close()
            let manager = FileManager.default
            if manager.fileExists(atPath: file.path) { try manager.removeItem(at: file) }
            try manager.moveItem(at: partial, to: file)
        }

        func close() {
            try? handle?.close()
            if let partial { try? FileManager.default.removeItem(at: partial) }
        }
    }
}

/// The socket of one exchange, closable from a cancellation handler on another thread.
private final class SocketBox: @unchecked Sendable {
    private let lock = NSLock()
    private var fd: Int32 = -1
    private var closed = false

    func set(_ fd: Int32) {
        lock.withLock {
            if closed { Glibc.close(fd) } else { self.fd = fd }
        }
    }

    func close() {
        lock.withLock {
            closed = true
            if fd >= 0 {
                shutdown(fd, Int32(SHUT_RDWR))
                Glibc.close(fd)
                fd = -1
            }
        }
    }
}
