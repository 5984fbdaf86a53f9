"""What the benchmarks share: the app's settings for a throw-away run, and timing.

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # the project
    from bench.common import bench_environment, timed

A benchmark sets the environment before ``django.setup()``: a throw-away encryption
key and secret, no e-mail leaves (locmem), jobs run at once, no rate limits or lockouts,
quiet logs.
"""

import base64
import os
import statistics
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

SETTINGS = {
    "SECRET_KEY": "bench-secret-key-that-is-long-enough-for-the-settings-check-0123456789",
    "DEBUG": "false",
    "ALLOWED_HOSTS": "testserver",
    "SECURE_SSL_REDIRECT": "false",
    "TASKS_BACKEND": "immediate",
    "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    "DISABLE_RATE_LIMITS": "true",
    "AXES_ENABLED": "false",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "config.settings",
}


def bench_environment(*, database_url=None, work=None, prefix="bench-", **extra):
    """Set the app's environment for a run; returns the run's work folder.

    Without ``database_url``, a fresh SQLite file in the work folder (a new temporary
    folder unless ``work`` is given). Every run gets its own encryption key.
    """
    work = work or tempfile.mkdtemp(prefix=prefix)
    os.makedirs(f"{work}/static", exist_ok=True)
    os.environ.update(
        {
            **SETTINGS,
            "DATABASE_URL": database_url or f"sqlite:///{work}/bench.sqlite3",
            "VAR_DIR": str(work),
            "FIELD_ENCRYPTION_KEYS": base64.urlsafe_b64encode(os.urandom(32)).decode(),
            **extra,
        }
    )
    return work


def timed(label, function, count=50, width=42):
    """Run ``function`` ``count`` times and print its p50 and p95 in milliseconds."""
    durations = []
    for _ in range(count):
        start = time.perf_counter()
        function()
        durations.append((time.perf_counter() - start) * 1000)
    durations.sort()
    p95 = durations[max(int(len(durations) * 0.95) - 1, 0)]
    print(f"{label:<{width}} p50 {statistics.median(durations):8.1f} ms   p95 {p95:8.1f} ms")
