"""Real servers for the channel tests, started on 127.0.0.1 by the tests themselves.

- ``Dovecot``: Debian's Dovecot (``dovecot-imapd``) with a throw-away configuration in a
  temporary folder and a free unprivileged port. Any user name logs in with the one test
  password, so each test uses its own mailbox. As root (CI) the login and internal
  processes run as Dovecot's own ``dovenull``/``dovecot`` users and mail belongs to
  ``dovecot``; as another user everything runs as that user.
- ``SmtpSink``: aiosmtpd's controller with a handler that keeps every message.
- ``GraphServer``: a local HTTP server speaking the documented shapes of Meta's Graph API
  for WhatsApp Cloud API (``/{phone-number-id}/messages``: text, template, read; media
  ``/{media-id}`` then the media URL with the Bearer token) and Instagram messaging
  (``/{ig-id}/messages``), including error envelopes and the rate-limit answer. A test
  queues failures with ``fail_next``.
"""

import email
import email.policy
import grp
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from aiosmtpd.controller import Controller

PASSWORD = "imap-test-password"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port}")


class Dovecot:
    CONFIG = """
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_failure_delay = 0
first_valid_uid = 0
default_internal_user = {internal_user}
default_internal_group = {internal_group}
default_login_user = {login_user}
protocols = imap
listen = 127.0.0.1
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  chroot =
}}
"""

    def __init__(self):
        self.binary = shutil.which("dovecot") or "/usr/sbin/dovecot"
        if not Path(self.binary).exists():
            raise RuntimeError(
                "Dovecot not found: run `make system-deps` (apt-get install dovecot-imapd)"
            )
        # Unix socket paths must stay short: a short folder directly under /tmp.
        self.root = Path(tempfile.mkdtemp(prefix="dv", dir="/tmp"))
        self.port = free_port()
        self.process = None

    def start(self):
        if os.geteuid() == 0:
            mail_user = pwd.getpwnam("dovecot")
            internal_user, internal_group, login_user = "dovecot", "dovecot", "dovenull"
        else:
            mail_user = pwd.getpwuid(os.geteuid())
            internal_user = login_user = mail_user.pw_name
            internal_group = grp.getgrgid(mail_user.pw_gid).gr_name
        self.root.chmod(0o755)  # the mail user must reach its folders
        for sub in ("mail", "home"):
            (self.root / sub).mkdir()
            os.chown(self.root / sub, mail_user.pw_uid, mail_user.pw_gid)
        config = self.root / "dovecot.conf"
        config.write_text(
            self.CONFIG.format(
                root=self.root,
                port=self.port,
                password=PASSWORD,
                uid=mail_user.pw_uid,
                gid=mail_user.pw_gid,
                internal_user=internal_user,
                internal_group=internal_group,
                login_user=login_user,
            )
        )
        self.process = subprocess.Popen(  # noqa: S603 - our own binary and config
            [self.binary, "-F", "-c", str(config)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            wait_for_port(self.port)
        except RuntimeError:
            self.stop()
            raise
        return self

    def log(self):
        path = self.root / "dovecot.log"
        return path.read_text() if path.exists() else ""

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


class _Keeper:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            {
                "mail_from": envelope.mail_from,
                "rcpt_tos": list(envelope.rcpt_tos),
                "message": email.message_from_bytes(envelope.content, policy=email.policy.default),
            }
        )
        return "250 Message accepted for delivery"


class SmtpSink:
    def __init__(self):
        self.handler = _Keeper()
        self.port = free_port()
        # hostname must be given: the default binds ::1 and 127.0.0.1 gets "refused".
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)

    @property
    def messages(self):
        return self.handler.messages

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


class GraphServer:
    """Meta's Graph API as documented, for WhatsApp and Instagram sends and media."""

    TOKEN = "test-access-token"

    def __init__(self):
        self.requests = []
        self.failures = deque()
        self.media = {}
        self.counter = 0
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _reply(self, status, body, headers=None):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header(
                    "Content-Type",
                    "application/json" if not isinstance(body, bytes) else "image/png",
                )
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _authorised(self):
                return self.headers.get("Authorization") == f"Bearer {server.TOKEN}"

            def do_GET(self):  # noqa: N802
                server.requests.append(("GET", self.path, None, dict(self.headers)))
                parts = self.path.strip("/").split("/")
                if parts[0] == "cdn":  # Instagram attachment URLs (no token needed)
                    payload = server.media.get(parts[-1])
                    return self._reply(200, payload) if payload else self._reply(404, {})
                if not self._authorised():
                    return self._reply(401, _error(190, "Invalid OAuth access token."))
                if parts[0] == "download":
                    payload = server.media.get(parts[-1])
                    return self._reply(200, payload) if payload else self._reply(404, {})
                media_id = parts[-1]
                if media_id not in server.media:
                    return self._reply(400, _error(100, "Invalid parameter"))
                port = self.server.server_address[1]
                return self._reply(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "url": f"http://127.0.0.1:{port}/download/{media_id}",
                        "mime_type": "image/png",
                        "sha256": "x",
                        "file_size": len(server.media[media_id]),
                        "id": media_id,
                    },
                )

            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                server.requests.append(("POST", self.path, body, dict(self.headers)))
                if not self._authorised():
                    return self._reply(401, _error(190, "Invalid OAuth access token."))
                with server.lock:
                    failure = server.failures.popleft() if server.failures else None
                if failure is not None:
                    status, code, headers = failure
                    return self._reply(status, _error(code, f"error {code}"), headers)
                if body.get("status") == "read":
                    return self._reply(200, {"success": True})
                with server.lock:
                    server.counter += 1
                    number = server.counter
                if "recipient" in body:  # Instagram
                    return self._reply(
                        200,
                        {"recipient_id": body["recipient"]["id"], "message_id": f"mid.{number}"},
                    )
                if body.get("messaging_product") != "whatsapp" or not body.get("to"):
                    return self._reply(400, _error(100, "Invalid parameter"))
                return self._reply(
                    200,
                    {
                        "messaging_product": "whatsapp",
                        "contacts": [{"input": body["to"], "wa_id": body["to"]}],
                        "messages": [{"id": f"wamid.TEST{number}", "message_status": "accepted"}],
                    },
                )

        self.port = free_port()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}/v23.0"

    def cdn_url(self, name):
        return f"http://127.0.0.1:{self.port}/cdn/{name}"

    def fail_next(self, status, code, headers=None):
        """The next POST is answered with Meta's error envelope (e.g. 429 / 130429)."""
        self.failures.append((status, code, headers or {}))

    def posts(self):
        return [(path, body) for method, path, body, _h in self.requests if method == "POST"]

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def _error(code, message):
    return {
        "error": {
            "message": message,
            "type": "OAuthException",
            "code": code,
            "error_data": {"messaging_product": "whatsapp", "details": message},
            "fbtrace_id": "AbCdEf",
        }
    }
