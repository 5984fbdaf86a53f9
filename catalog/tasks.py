"""Background jobs of the catalogue (run by ``manage.py db_worker``).

The PDF job lives beside the code it runs (``services.process_publication_file``); this
module names it under its first path, which jobs already queued carry.
"""

from .services import process_publication_file

__all__ = ["process_publication_file"]
