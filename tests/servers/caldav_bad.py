#!/usr/bin/env python3
"""A CalDAV server that answers badly, for the booking tests' hostile matrix.

Usage: caldav_bad.py PORT (prints its pid, then serves until killed). The calendar, the first
path segment after /kiosk/, picks the misbehaviour of REPORT and PUT:
  garbage   207 that is not XML            laughs   207 with nested entities (a billion laughs)
  huge      207 of 20 MiB                  deep     207 nested 100,000 elements deep
  slow      headers, then a byte a second  many     207 with 20,000 events at one time
  badics    calendar data that is not iCalendar, an unknown zone, a 1 MB line, 5,000 open events
  badutf8   a 207 that is not UTF-8
  notdav    200 with an HTML page          moved    302 to file:///etc/passwd
  down      503 for everything             late     PUT 201 whose body never ends
"""
import http.server
import os
import sys
import time

HEAD = b'<?xml version="1.0" encoding="utf-8"?>\n'
MS_OPEN = b'<d:multistatus xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
MS_CLOSE = b"</d:multistatus>"


def event(uid, start):
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//bad//bad//EN\r\nBEGIN:VEVENT\r\nUID:%s\r\n"
            "DTSTAMP:20250101T000000Z\r\nDTSTART:%s\r\nDTEND:%s\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
            % (uid, start, start)).encode()


def response(href, data):
    return (b"<d:response><d:href>" + href + b"</d:href><d:propstat><d:prop><c:calendar-data>" + data
            + b"</c:calendar-data></d:prop><d:status>HTTP/1.1 200 OK</d:status></d:propstat></d:response>")


def report_body(kind, start):
    if kind == "garbage":
        return b"this is <not xml &&& at all"
    if kind == "laughs":
        ents = b'<!ENTITY l0 "lol">'
        for i in range(1, 10):
            ents += b'<!ENTITY l%d "%s">' % (i, b"".join(b"&l%d;" % (i - 1) for _ in range(10)))
        return (HEAD + b"<!DOCTYPE d:multistatus [" + ents + b"]>" + MS_OPEN
                + response(b"/kiosk/x/a.ics", b"&l9;") + MS_CLOSE)
    if kind == "huge":
        one = response(b"/kiosk/huge/a.ics", event("x@bad", start).replace(b"&", b""))
        return HEAD + MS_OPEN + one * (20 * 1024 * 1024 // len(one) + 1) + MS_CLOSE
    if kind == "deep":
        return HEAD + MS_OPEN + b"<d:response>" * 100000 + b"</d:response>" * 100000 + MS_CLOSE
    if kind == "many":
        return HEAD + MS_OPEN + b"".join(
            response(b"/kiosk/many/%d.ics" % i, event("m%d@bad" % i, start)) for i in range(20000)) + MS_CLOSE
    if kind == "badutf8":
        return HEAD + MS_OPEN + response(b"/kiosk/badutf8/\xff.ics", b"SUMMARY:\xff\xfe\xc0\xaf") + MS_CLOSE
    if kind == "badics":
        junk = [b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:99999999T999999Z\r\nEND:VEVENT\r\n",
                b"BEGIN:VEVENT\r\nDTSTART;TZID=Mars/Olympus:" + start.encode() + b"\r\nEND:VEVENT\r\n",
                b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nX-LONG:" + b"A" * (1 << 20) + b"\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                b"END:VCALENDAR\r\nBEGIN:VEVENT\r\n" * 1000,
                b"BEGIN:VCALENDAR\r\n" + b"BEGIN:VEVENT\r\n" * 5000]
        return HEAD + MS_OPEN + b"".join(response(b"/kiosk/badics/%d.ics" % i, j) for i, j in enumerate(junk)) + MS_CLOSE
    return HEAD + MS_OPEN + MS_CLOSE


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def kind(self):
        parts = self.path.split("/")
        return parts[2] if len(parts) > 2 else ""

    def send(self, code, body, ctype="application/xml; charset=utf-8"):
        self.send_response(code)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def trickle(self, code):
        self.send_response(code)
        self.send_header("Content-Type", "application/xml")
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            for _ in range(600):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(1)
        except OSError:
            pass

    def common(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        kind = self.kind()
        if kind == "down":
            self.send(503, b"")
            return None, None
        if kind == "moved":
            self.send_response(302)
            self.send_header("Location", "file:///etc/passwd")
            self.send_header("Content-Length", "0")
            self.end_headers()
            return None, None
        if kind == "slow":
            self.trickle(207)
            return None, None
        return kind, body

    def do_REPORT(self):
        kind, body = self.common()
        if kind is None:
            return
        if kind == "notdav":
            self.send(200, b"<html><body>Welcome</body></html>", "text/html")
            return
        start = "20250101T090000Z"
        marker = b'start="'
        at = body.find(marker)
        if at >= 0:
            start = body[at + len(marker):at + len(marker) + 16].decode()
        self.send(207, report_body(kind, start))

    def do_PUT(self):
        kind, _ = self.common()
        if kind is None:
            return
        if kind == "late":
            self.trickle(201)
            return
        if kind in ("garbage", "notdav"):
            self.send(200, b"<<<not what a PUT answers", "text/plain")
            return
        self.send(201, b"")

    def do_DELETE(self):
        kind, _ = self.common()
        if kind is not None:
            self.send(204, b"")

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
server.daemon_threads = True
print(os.getpid(), flush=True)
server.serve_forever()
