from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """Local storage for uploads that are never served by URL.

    Originals (PDFs, scans) leave the server only through views that check
    permission and stamp the copy; asking this storage for a URL is a bug.
    """

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; serve them through a view.")
