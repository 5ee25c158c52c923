"""A fake SMTP server on a free local port, run by the test that needs it: it takes messages and
records them, or (``stall=True``) accepts connections and never answers, like a mail server
that is overloaded, until the test lets go."""

import socketserver
import threading
from dataclasses import dataclass, field


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: str


class _Session(socketserver.StreamRequestHandler):
    server: "_Server"

    def handle(self):
        fake = self.server.fake
        with fake.lock:
            fake.connections += 1
        if fake.stall:
            fake.release.wait()
            return
        self._reply("220 fake.test ESMTP")
        sender, recipients = "", []
        while line := self.rfile.readline():
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self._reply("250 fake.test")
            elif verb == "MAIL":
                sender, recipients = command.split(":", 1)[1].strip(" <>"), []
                self._reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.split(":", 1)[1].strip(" <>"))
                self._reply("250 OK")
            elif verb == "DATA":
                self._reply("354 End data with <CR><LF>.<CR><LF>")
                fake.add(Received(sender, recipients, self._data()))
                self._reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self._reply("250 OK")
            elif verb == "QUIT":
                self._reply("221 Bye")
                return
            else:
                self._reply("502 Not implemented")

    def _reply(self, text: str) -> None:
        self.wfile.write(f"{text}\r\n".encode())

    def _data(self) -> str:
        lines = []
        while (line := self.rfile.readline()) not in (b".\r\n", b""):
            lines.append(line.decode("utf-8", "replace"))
        return "".join(lines)


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True
    fake: "FakeSMTPServer"


@dataclass
class FakeSMTPServer:
    stall: bool = False
    connections: int = 0
    messages: list[Received] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, received: Received) -> None:
        with self.lock:
            self.messages.append(received)

    def __enter__(self) -> "FakeSMTPServer":
        self._server = _Server(("127.0.0.1", 0), _Session)
        self._server.fake = self
        self.port = self._server.server_address[1]
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.release.set()  # a stalled session ends, and the client sees the connection close
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()
