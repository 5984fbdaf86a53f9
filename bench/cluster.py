"""Start several app servers (gunicorn) and background workers against one database and one
Redis, on loopback, for the multi-server test and `make bench-scale`.

Each server is a separate gunicorn master on its own port; a client picks servers in turn
and, like a load balancer, retries a request on the next server when a connection is refused.
"""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PYTHON = str(ROOT / ".venv" / "bin" / "python")
GUNICORN = str(ROOT / ".venv" / "bin" / "gunicorn")
CSRF = "c" * 32  # an unmasked CSRF secret: sent as both the cookie and the form field


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def database_url(settings_dict):
    """A postgres:// URL for a Django database settings dict."""
    user = settings_dict.get("USER") or "postgres"
    password = settings_dict.get("PASSWORD") or ""
    auth = f"{user}:{password}@" if password else f"{user}@"
    host = settings_dict.get("HOST") or "127.0.0.1"
    port = settings_dict.get("PORT") or 5432
    return f"postgres://{auth}{host}:{port}/{settings_dict['NAME']}"


def base_env(*, database, cache, private_root, static_root, mail_dir, extra=None):
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            # The caller's key: sessions it creates (force_login) must be valid on the servers.
            "SECRET_KEY": os.environ.get(
                "SECRET_KEY", "cluster-test-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz"
            ),
            # The caller's keys too: the servers read what the caller's process encrypted.
            "FIELD_ENCRYPTION_KEYS": os.environ.get(
                "FIELD_ENCRYPTION_KEYS", "QmVuY2gta2V5LW5vdC1mb3ItcHJvZHVjdGlvbi0wMTI="
            ),
            "DEBUG": "false",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "false",
            "SECURE_HSTS_SECONDS": "0",
            "SECURE_HSTS_PRELOAD": "false",
            "DATABASE_URL": database,
            "DB_CONN_MAX_AGE": os.environ.get("DB_CONN_MAX_AGE", "60"),
            "DB_POOL": os.environ.get("DB_POOL", "0"),
            "CACHE_URL": cache,
            "TASKS_BACKEND": "database",
            "PRIVATE_STORAGE_ROOT": str(private_root),
            "STATIC_ROOT": str(static_root),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(mail_dir),
            "DISABLE_RATE_LIMITS": "true",
            "AXES_ENABLED": "false",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra or {})
    return env


def collectstatic(env):
    subprocess.run(
        [PYTHON, "manage.py", "collectstatic", "--no-input", "-v0"],
        cwd=ROOT,
        env=env,
        check=True,
    )


class Cluster:
    """``servers`` gunicorn masters and ``workers`` db_worker processes."""

    def __init__(self, env, *, servers=2, workers=2, web_workers=2, threads=8, log_dir=None):
        self.env = env
        self.ports = [free_port() for _ in range(servers)]
        self.worker_count = workers
        self.web_workers, self.threads = web_workers, threads
        self.log_dir = Path(log_dir) if log_dir else None
        self.servers, self.workers = {}, []
        self._files = []

    def _log(self, name):
        if self.log_dir is None:
            return subprocess.DEVNULL
        handle = open(self.log_dir / f"{name}.log", "ab")  # noqa: SIM115 - closed in stop()
        self._files.append(handle)
        return handle

    def start_server(self, port):
        process = subprocess.Popen(
            [
                GUNICORN,
                "config.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(self.web_workers),
                "--worker-class",
                "gthread",
                "--threads",
                str(self.threads),
                "--graceful-timeout",
                "30",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log(f"server-{port}"),
            stderr=subprocess.STDOUT,
        )
        self.servers[port] = process
        return process

    def start_worker(self, index):
        process = subprocess.Popen(
            [
                PYTHON,
                "manage.py",
                "db_worker",
                "--interval",
                "0.2",
                "--no-startup-delay",
                "--worker-id",
                f"worker-{index}-{os.getpid()}",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=self._log(f"worker-{index}"),
            stderr=subprocess.STDOUT,
        )
        self.workers.append(process)
        return process

    def start(self, *, timeout=180):
        for port in self.ports:
            self.start_server(port)
        for index in range(self.worker_count):
            self.start_worker(index)
        deadline = time.monotonic() + timeout
        for port in self.ports:
            while True:
                try:
                    status, _headers, _body = request(port, "GET", "/healthz")
                    if status in (200, 503):
                        break
                except OSError:
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"server on port {port} did not start")
                time.sleep(0.2)
        return self

    def stop_server(self, port, sig=signal.SIGTERM):
        process = self.servers[port]
        if process.poll() is None:
            process.send_signal(sig)
        return process

    def stop(self):
        for process in [*self.servers.values(), *self.workers]:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in [*self.servers.values(), *self.workers]:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        for handle in self._files:
            handle.close()
        self._files = []

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def request(port, method, path, *, headers=None, body=None, form=None, timeout=60, stream=None):
    """One HTTP request; returns ``(status, headers, body)``. ``stream`` counts body bytes
    instead of keeping them (returns the count as the body)."""
    headers = dict(headers or {})
    if form is not None:
        body = urlencode(form)
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        if stream:
            count = 0
            while chunk := response.read(256 * 1024):
                count += len(chunk)
            data = count
        else:
            data = response.read()
        return response.status, dict(response.getheaders()), data
    finally:
        connection.close()


def session_headers(session_key, **extra):
    return {"Cookie": f"sessionid={session_key}; csrftoken={CSRF}", **extra}


class Balancer:
    """Round-robin over ports; a refused or reset connection is retried on the next port."""

    def __init__(self, ports):
        self.ports = list(ports)
        self.turn = 0
        self.retries = 0

    def send(self, method, path, **kwargs):
        last_error = None
        for attempt in range(len(self.ports) * 2):
            port = self.ports[(self.turn + attempt) % len(self.ports)]
            try:
                result = request(port, method, path, **kwargs)
            except (
                ConnectionRefusedError,
                ConnectionResetError,
                http.client.RemoteDisconnected,
            ) as exc:
                last_error = exc
                self.retries += 1
                continue
            self.turn += 1
            return port, *result
        raise last_error


if __name__ == "__main__":  # pragma: no cover
    sys.exit("import this module (bench/scale.py, tests/ops/test_multiserver.py)")
