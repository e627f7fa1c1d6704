import CustodyTestSupport
import Foundation

/// The real tools the renderers are checked against.
enum Tools {
    /// `cmark-gfm`, GitHub's Markdown parser (Debian package `cmark-gfm`).
    static let cmark = ExternalTool("cmark-gfm")
    /// Chromium from Debian's packages.
    static let chromium: ExternalTool? = {
        for path in ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        where FileManager.default.isExecutableFile(atPath: path) {
            return ExternalTool(path: path)
        }
        return ExternalTool("chromium")
    }()

    /// GitHub's rendering of `markdown` (tables, autolinks, strikethrough, tag filter), as HTML.
    static func gfm(_ markdown: [UInt8]) throws -> String {
        let folder = try TemporaryFolder()
        let path = try folder.write("report.md", markdown)
        let run = try cmark!.run(["-e", "table", "-e", "autolink", "-e", "strikethrough", "-e", "tagfilter", path])
        guard run.status == 0 else { throw ToolFailure(message: "cmark-gfm failed: \(run.error)") }
        return run.text
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }
}

/// What a headless Chromium saw when it opened a page.
struct BrowserVisit: Decodable {
    /// Every URL the page requested (the page itself included).
    var requests: [String]
    /// Console errors, exceptions and error log entries.
    var errors: [String]
    /// Distinct colours in the screenshot (1 means blank).
    var colours: Int
    /// The screenshot's size.
    var width: Int
    var height: Int
    /// `table` elements, and those with a header row of `th` cells.
    var tables: Int
    var tablesWithHeaders: Int
    /// `script`, `img`, `iframe`, `object` and `embed` elements, and attributes named `on…`.
    var activeElements: Int
    var eventAttributes: Int
    /// The page's text (`document.body.innerText`).
    var text: String
    /// The text of every `td` and `code` element, whitespace kept.
    var cells: [String]
    /// The page width at 390 CSS pixels (a phone): not wider than the screen when tables scroll inside their boxes.
    var phoneScrollWidth: Int
    /// The print style's rules are there.
    var printRules: Int

    /// Opens `html` in headless Chromium through the DevTools protocol over a pipe (Python's
    /// standard library only), and reports what it saw.
    static func open(_ html: String) throws -> BrowserVisit {
        let folder = try TemporaryFolder()
        let script = try folder.write("visit.py", Array(Self.script.utf8))
        let run = try ExternalTool.python3!.run([script, Tools.chromium!.path, html, folder.file("profile")])
        guard run.status == 0 else {
            throw Tools.ToolFailure(message: "the browser run failed (\(run.status)): \(run.error.suffix(2000))")
        }
        return try JSONDecoder().decode(BrowserVisit.self, from: run.output)
    }

    static let script = #"""
        import base64, json, os, select, subprocess, sys, time, zlib

        chromium, page, profile = sys.argv[1], os.path.abspath(sys.argv[2]), sys.argv[3]
        url = "file://" + page
        proc = to_chrome_w = from_chrome_r = None

        def launch():
            """Starts Chromium with the DevTools protocol on fds 3 and 4 of the child."""
            global proc, to_chrome_w, from_chrome_r
            to_chrome_r, to_chrome_w = os.pipe()
            from_chrome_r, from_chrome_w = os.pipe()
            # Park the child's ends at 100 and 101, then put them at fds 3 and 4 where --remote-debugging-pipe wants them.
            os.dup2(to_chrome_r, 100); os.dup2(from_chrome_w, 101)
            def child():
                os.dup2(100, 3); os.dup2(101, 4)
            proc = subprocess.Popen(
                [chromium, "--headless=new", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--user-data-dir=" + profile,
                 "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--hide-scrollbars", "--window-size=1024,768", "about:blank"],
                preexec_fn=child, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            for fd in (to_chrome_r, from_chrome_w, 100, 101):
                os.close(fd)

        def stop():
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill(); proc.wait()
            for fd in (to_chrome_w, from_chrome_r):
                try: os.close(fd)
                except OSError: pass

        buffer, next_id, events = b"", 0, []

        def send(method, params=None, session=None):
            global next_id
            next_id += 1
            message = {"id": next_id, "method": method, "params": params or {}}
            if session: message["sessionId"] = session
            os.write(to_chrome_w, json.dumps(message).encode() + b"\0")
            return next_id

        def read_one(deadline):
            global buffer
            while b"\0" not in buffer:
                left = deadline - time.time()
                if left <= 0: raise TimeoutError("no answer from chromium")
                ready, _, _ = select.select([from_chrome_r], [], [], left)
                if ready:
                    chunk = os.read(from_chrome_r, 1 << 20)
                    if not chunk: raise EOFError("chromium closed the pipe")
                    buffer += chunk
            message, buffer = buffer.split(b"\0", 1)
            return json.loads(message)

        def call(method, params=None, session=None, timeout=30):
            wanted = send(method, params, session)
            deadline = time.time() + timeout
            while True:
                message = read_one(deadline)
                if message.get("id") == wanted:
                    if "error" in message: raise RuntimeError(method + ": " + json.dumps(message["error"]))
                    return message.get("result", {})
                events.append(message)

        def wait_for(method, timeout=30):
            for i, message in enumerate(events):
                if message.get("method") == method: return events.pop(i)
            deadline = time.time() + timeout
            while True:
                message = read_one(deadline)
                if message.get("method") == method: return message
                events.append(message)

        def drain(seconds):
            deadline = time.time() + seconds
            try:
                while True: events.append(read_one(deadline))
            except TimeoutError:
                pass

        def colours(png):
            assert png[:8] == b"\x89PNG\r\n\x1a\n"
            pos, idat, width, height, kind = 8, b"", 0, 0, 0
            while pos < len(png):
                length = int.from_bytes(png[pos:pos + 4], "big"); tag = png[pos + 4:pos + 8]; data = png[pos + 8:pos + 8 + length]
                if tag == b"IHDR":
                    width, height, depth, kind = int.from_bytes(data[0:4], "big"), int.from_bytes(data[4:8], "big"), data[8], data[9]
                    assert depth == 8 and kind in (2, 6), (depth, kind)
                elif tag == b"IDAT":
                    idat += data
                pos += 12 + length
            bpp = 4 if kind == 6 else 3
            raw, stride = zlib.decompress(idat), width * bpp
            previous, seen = bytearray(stride), set()
            for y in range(height):
                start = y * (stride + 1); f = raw[start]; line = bytearray(raw[start + 1:start + 1 + stride])
                if f == 1:
                    for i in range(bpp, stride): line[i] = (line[i] + line[i - bpp]) & 255
                elif f == 2:
                    for i in range(stride): line[i] = (line[i] + previous[i]) & 255
                elif f == 3:
                    for i in range(stride): line[i] = (line[i] + ((line[i - bpp] if i >= bpp else 0) + previous[i]) // 2) & 255
                elif f == 4:
                    for i in range(stride):
                        a = line[i - bpp] if i >= bpp else 0; b = previous[i]; c = previous[i - bpp] if i >= bpp else 0
                        p = a + b - c; pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                if y % 4 == 0:
                    for x in range(0, stride, bpp * 2): seen.add(bytes(line[x:x + 3]))
                previous = line
            return len(seen), width, height

        # A loaded machine can take long to start a browser: wait for its first answer generously, and start it
        # afresh (with a fresh profile) if it never gives one.
        for attempt in range(3):
            launch()
            buffer, next_id, events = b"", 0, []
            try:
                target = call("Target.createTarget", {"url": "about:blank"}, timeout=120)["targetId"]
                break
            except (TimeoutError, EOFError, BrokenPipeError):
                proc.kill(); stop()
                profile = profile + "-again"
                if attempt == 2: raise
        try:
            session = call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for domain in ("Page", "Network", "Runtime", "Log"):
                call(domain + ".enable", session=session)
            call("Page.navigate", {"url": url}, session=session)
            wait_for("Page.loadEventFired")
            drain(0.5)
            shot = base64.b64decode(call("Page.captureScreenshot", {"format": "png"}, session=session)["data"])
            count, width, height = colours(shot)
            probe = """(() => {
              const tables = [...document.querySelectorAll('table')];
              const withHeaders = tables.filter(t => t.tHead && t.tHead.rows.length > 0 && t.tHead.rows[0].cells.length > 0
                && [...t.tHead.rows[0].cells].every(c => c.tagName === 'TH' && c.textContent.trim() !== ''));
              let attributes = 0;
              for (const e of document.querySelectorAll('*')) for (const a of e.attributes) if (a.name.toLowerCase().startsWith('on')) attributes++;
              let print = 0;
              for (const s of document.styleSheets) for (const r of s.cssRules) if (r.media && [...r.media].includes('print')) print++;
              return JSON.stringify({tables: tables.length, tablesWithHeaders: withHeaders.length,
                activeElements: document.querySelectorAll('script, img, iframe, object, embed').length,
                eventAttributes: attributes, text: document.body.innerText, printRules: print,
                cells: [...document.querySelectorAll('td, code')].map(e => e.textContent)});
            })()"""
            dom = json.loads(call("Runtime.evaluate", {"expression": probe, "returnByValue": True}, session=session)["result"]["value"])
            call("Emulation.setDeviceMetricsOverride", {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}, session=session)
            drain(0.3)
            phone = call("Runtime.evaluate", {"expression": "document.documentElement.scrollWidth", "returnByValue": True}, session=session)["result"]["value"]
            drain(0.2)
            requests = [m["params"]["request"]["url"] for m in events if m.get("method") == "Network.requestWillBeSent"]
            errors = [json.dumps(m["params"]) for m in events
                      if (m.get("method") == "Runtime.consoleAPICalled" and m["params"].get("type") in ("error", "assert"))
                      or m.get("method") == "Runtime.exceptionThrown"
                      or (m.get("method") == "Log.entryAdded" and m["params"]["entry"].get("level") == "error")
                      or m.get("method") == "Network.loadingFailed"]
            dom.update({"requests": requests, "errors": errors, "colours": count, "width": width, "height": height, "phoneScrollWidth": phone})
            print(json.dumps(dom))
            try:
                call("Browser.close", timeout=5)
            except Exception:
                pass
        finally:
            stop()
        """#
}
