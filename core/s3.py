"""The private S3-compatible bucket (``STORAGES`` backend ``core.s3.PrivateS3Storage``).

Imported only by deployments that configure it, so django-storages and boto3 load only
there. Connection and service errors surface as ``core.storage.StorageUnavailable``.
"""

import functools
import io

from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage

from .storage import StorageUnavailable


def _remote_errors(method):
    """Turn botocore connection and service errors into StorageUnavailable."""

    @functools.wraps(method)
    def wrapper(*args, **kwargs):
        try:
            return method(*args, **kwargs)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status == 404:
                raise FileNotFoundError(str(exc)) from exc
            raise StorageUnavailable(f"object store refused the request: {exc}") from exc
        except BotoCoreError as exc:
            raise StorageUnavailable(f"object store unreachable: {exc}") from exc

    return wrapper


class PrivateS3Storage(S3Storage):
    """A private bucket: objects are written with the ``private`` ACL and never get URLs."""

    default_acl = "private"
    querystring_auth = True
    file_overwrite = False

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("Private files have no public URL; serve them through a view.")

    _open = _remote_errors(S3Storage._open)
    _save = _remote_errors(S3Storage._save)
    delete = _remote_errors(S3Storage.delete)
    exists = _remote_errors(S3Storage.exists)
    listdir = _remote_errors(S3Storage.listdir)
    size = _remote_errors(S3Storage.size)

    def open_ranged(self, name):
        """A seekable reader that fetches byte ranges on demand (nothing spooled)."""
        key = self._normalize_name(name)
        return S3RangeReader(self.connection.meta.client, self.bucket_name, key)


class S3RangeReader(io.RawIOBase):
    """A read-only, seekable file over one S3 object: every read is one ranged GET.

    Memory and disk use stay at one chunk whatever the object's size, and a reader who
    asks for a byte range makes the server fetch only that range from the bucket.
    """

    def __init__(self, client, bucket, key):
        super().__init__()
        self._client, self._bucket, self._key = client, bucket, key
        self._position = 0
        self.size = self._call(client.head_object, Bucket=bucket, Key=key)["ContentLength"]

    @_remote_errors
    def _call(self, operation, **params):
        return operation(**params)

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self._position

    def seek(self, offset, whence=io.SEEK_SET):
        if whence == io.SEEK_SET:
            target = offset
        elif whence == io.SEEK_CUR:
            target = self._position + offset
        elif whence == io.SEEK_END:
            target = self.size + offset
        else:
            raise ValueError(f"invalid whence {whence}")
        if target < 0:
            raise ValueError("negative seek position")
        self._position = target
        return target

    def read(self, size=-1):
        if self._position >= self.size or size == 0:
            return b""
        last = self.size - 1 if size is None or size < 0 else self._position + size - 1
        last = min(last, self.size - 1)
        response = self._call(
            self._client.get_object,
            Bucket=self._bucket,
            Key=self._key,
            Range=f"bytes={self._position}-{last}",
        )
        body = response["Body"]
        try:
            data = self._read_body(body)
        finally:
            body.close()
        self._position += len(data)
        return data

    @_remote_errors
    def _read_body(self, body):
        return body.read()

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def readall(self):
        return self.read(-1)
