"""Background jobs of the catalogue (run by ``manage.py db_worker``).

The PDF job lives beside the code it runs (``services.process_publication_file``); this
module names it under its first path, which jobs already queued carry. The text
recognition job lives in ``ocr.py`` (``recognise_publication_text``).
"""

from .ocr import recognise_publication_text
from .services import process_publication_file

__all__ = ["process_publication_file", "recognise_publication_text"]
