#!/usr/bin/env python3
"""A static file server that answers every Range request with 206 and the whole file
("bytes 0-N/N"), as some broken proxies do: the kiosk must not resume from it for ever.
Usage: range_whole.py PORT ROOT (prints its pid, then serves until killed)."""
import http.server
import os
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = os.path.join(sys.argv[2], self.path.lstrip("/").split("?")[0])
        if ".." in self.path or not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            data = f.read()
        n = len(data)
        if self.headers.get("Range"):
            self.send_response(206)
            self.send_header("Content-Range", "bytes 0-%d/%d" % (n - 1, n))
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(n))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


server = http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
print(os.getpid(), flush=True)
server.serve_forever()
