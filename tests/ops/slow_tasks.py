"""A slow background job for the worker-killed test (imported by the worker processes)."""

import os
import time
from pathlib import Path

from django_tasks import task


@task()
def slow_job(folder, seconds):
    """Write ``started-<pid>``, wait, then write ``done-<pid>``: a finish is visible once."""
    Path(folder, f"started-{os.getpid()}").write_text("")
    time.sleep(seconds)
    Path(folder, f"done-{os.getpid()}").write_text("")
    return os.getpid()
