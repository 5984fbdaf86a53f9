"""An OCRmyPDF plugin that reports progress on stderr, one line per step (see catalog.ocr).

OCRmyPDF runs in a child process; this module is loaded there with ``--plugin`` and
imports nothing of Django. The parent reads the ``pst-ocr-progress <done> <total>``
lines of the "OCR" step and shows them to the officer.
"""

import sys

from ocrmypdf import hookimpl

MARKER = "pst-ocr-progress"


class StepProgress:
    def __init__(self, *, total=None, desc=None, unit=None, disable=False, **kwargs):
        self.total = total
        self.desc = desc
        self.done = 0.0

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        return False

    def update(self, n=1, *, completed=None):
        self.done = completed if completed is not None else self.done + n
        if self.desc == "OCR" and self.total:
            print(f"{MARKER} {self.done:g} {self.total:g}", file=sys.stderr, flush=True)


@hookimpl
def get_progressbar_class():
    return StepProgress
