"""Private file storage: local files by default, an S3-compatible bucket in production.

Nothing uploaded is ever served by a public URL: originals (PDFs, scans), covers and
prepared copies leave the server only through views that check permission (and stamp
the copy). Remote-storage failures surface as ``StorageUnavailable`` so views can show a
clear message instead of a stack trace. The S3 storage is ``core.s3.PrivateS3Storage``,
imported (with boto3) only by deployments whose ``STORAGES`` name it.
"""

from django.core.files.storage import FileSystemStorage, default_storage


class StorageUnavailable(OSError):
    """The object store cannot be reached (or refused the request)."""


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage for uploads that are never served by URL.

    Originals (PDFs, scans) leave the server only through views that check
    permission and stamp the copy; asking this storage for a URL is a bug.
    """

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; serve them through a view.")


def open_stream(name, storage=None):
    """Open a stored file for streaming: ranged reads from S3, a plain file locally."""
    storage = storage or default_storage
    opener = getattr(storage, "open_ranged", None)
    if opener is not None:
        return opener(name)
    return storage.open(name, "rb")
