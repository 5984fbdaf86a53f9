"""Backups: the database (Django's portable JSON dump) plus every private file, in one tar.

The archive holds ``database.json.gz``, ``files/<storage name>`` for each stored file and
``manifest.json`` (written last) with the SHA-256 and size of every member, the database
vendor and the applied migrations. ``restore`` checks every checksum before it changes
anything, refuses a database that already has users, writes the files, loads the data in
one transaction and rebuilds the search index (its tables are not models).

The JSON dump works from SQLite to PostgreSQL and back; ``pg_dump`` remains the faster
choice for a very large PostgreSQL (docs/deploy.md).
"""

import hashlib
import io
import json
import tarfile
import tempfile
from pathlib import Path

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from accounts.models import User
from catalog.models import Publication
from catalog.search import index_pages, index_publications

FORMAT = "pst-backup/1"
DATABASE_MEMBER = "database.json.gz"
MANIFEST_MEMBER = "manifest.json"
FILES_PREFIX = "files/"
# Rebuilt by `migrate` or transient: never copied.
EXCLUDED_MODELS = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "django_tasks_database.DBTaskResult",
]
SKIPPED_FOLDERS = ("healthz/",)
CHUNK = 1024 * 1024


class BackupError(Exception):
    pass


def _walk(storage, folder=""):
    try:
        directories, files = storage.listdir(folder)
    except FileNotFoundError:  # a local storage nothing was ever saved to
        return
    for name in sorted(files):
        path = f"{folder}{name}"
        if not path.startswith(SKIPPED_FOLDERS):
            yield path
    for directory in sorted(directories):
        yield from _walk(storage, f"{folder}{directory}/")


class _HashingReader(io.RawIOBase):
    def __init__(self, handle):
        self.handle, self.digest, self.count = handle, hashlib.sha256(), 0

    def readable(self):
        return True

    def read(self, size=-1):
        data = self.handle.read(size)
        self.digest.update(data)
        self.count += len(data)
        return data


def _progress(stdout, done, total, nbytes, name):
    if stdout is not None:
        stdout.write(f"  [{done}/{total}] {nbytes / 1e6:8.1f} MB  {name}")


def _sha256_file(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def create_backup(output, *, storage=None, include_files=True, stdout=None):
    """Write a backup archive to ``output``; return the manifest."""
    storage = storage or default_storage
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(output.name + ".partial")
    manifest = {
        "format": FORMAT,
        "created_at": timezone.now().isoformat(),
        "database": {"vendor": connection.vendor},
        "migrations": sorted(
            f"{app}.{name}" for app, name in MigrationRecorder(connection).applied_migrations()
        ),
        "files": [],
    }
    with tempfile.TemporaryDirectory() as folder, tarfile.open(partial, "w") as archive:
        dump = Path(folder) / DATABASE_MEMBER
        if stdout is not None:
            stdout.write("Dumping the database...")
        # One repeatable-read snapshot would need pg_dump; dumpdata reads table by table.
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED_MODELS,
            output=str(dump),
            verbosity=0,
        )
        manifest["database"].update(
            file=DATABASE_MEMBER, size=dump.stat().st_size, sha256=_sha256_file(dump)
        )
        archive.add(dump, arcname=DATABASE_MEMBER)
        names = list(_walk(storage)) if include_files else []
        total_bytes = 0
        for index, name in enumerate(names, start=1):
            size = storage.size(name)
            info = tarfile.TarInfo(FILES_PREFIX + name)
            info.size = size
            info.mtime = int(timezone.now().timestamp())
            with storage.open(name, "rb") as handle:
                reader = _HashingReader(handle)
                archive.addfile(info, reader)
            if reader.count != size:
                raise BackupError(f"{name}: read {reader.count} bytes, expected {size}")
            manifest["files"].append(
                {"name": name, "size": size, "sha256": reader.digest.hexdigest()}
            )
            total_bytes += size
            _progress(stdout, index, len(names), total_bytes, name)
        data = json.dumps(manifest, indent=2, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST_MEMBER)
        info.size = len(data)
        info.mtime = int(timezone.now().timestamp())
        archive.addfile(info, io.BytesIO(data))
    partial.replace(output)
    return manifest


def read_manifest(archive):
    try:
        member = archive.getmember(MANIFEST_MEMBER)
    except KeyError:
        raise BackupError("the archive has no manifest.json: not a complete backup") from None
    manifest = json.load(archive.extractfile(member))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def _member_sha256(archive, name):
    try:
        handle = archive.extractfile(archive.getmember(name))
    except KeyError:
        raise BackupError(f"{name} is listed in the manifest but missing") from None
    digest = hashlib.sha256()
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
    return digest.hexdigest()


def verify_backup(path, *, stdout=None):
    """Check every member against the manifest; return the manifest."""
    with tarfile.open(path, "r") as archive:
        manifest = read_manifest(archive)
        database = manifest["database"]
        if _member_sha256(archive, database["file"]) != database["sha256"]:
            raise BackupError("database dump: checksum mismatch")
        for index, entry in enumerate(manifest["files"], start=1):
            if _member_sha256(archive, FILES_PREFIX + entry["name"]) != entry["sha256"]:
                raise BackupError(f"{entry['name']}: checksum mismatch")
            if stdout is not None and (index % 50 == 0 or index == len(manifest["files"])):
                stdout.write(f"  verified {index}/{len(manifest['files'])} files")
    return manifest


def restore_backup(path, *, storage=None, stdout=None):
    """Restore into an empty, migrated database and storage; return the manifest."""
    storage = storage or default_storage
    if stdout is not None:
        stdout.write("Checking checksums...")
    manifest = verify_backup(path, stdout=stdout)
    if User.objects.exists():
        raise BackupError(
            "the database already has users: restore only into a new, empty database "
            "(create it, run `manage.py migrate`, then `manage.py restore`)"
        )
    applied = {f"{a}.{n}" for a, n in MigrationRecorder(connection).applied_migrations()}
    missing = sorted(set(manifest["migrations"]) - applied)
    if missing:
        raise BackupError(
            "the backup comes from a newer version (migrations not applied here: "
            f"{', '.join(missing[:5])}); run `manage.py migrate` with that version first"
        )
    with tarfile.open(path, "r") as archive:
        files = manifest["files"]
        total_bytes = 0
        for index, entry in enumerate(files, start=1):
            name = entry["name"]
            if storage.exists(name):
                storage.delete(name)
            handle = archive.extractfile(archive.getmember(FILES_PREFIX + name))
            stored = storage.save(name, File(handle, name=name))
            if stored != name:
                raise BackupError(f"{name}: the storage saved it as {stored}")
            total_bytes += entry["size"]
            _progress(stdout, index, len(files), total_bytes, name)
        with tempfile.TemporaryDirectory() as folder:
            dump = Path(folder) / DATABASE_MEMBER
            with (
                archive.extractfile(archive.getmember(DATABASE_MEMBER)) as source,
                open(dump, "wb") as target,
            ):
                for chunk in iter(lambda: source.read(CHUNK), b""):
                    target.write(chunk)
            if stdout is not None:
                stdout.write("Loading the database...")
            with transaction.atomic():
                call_command("loaddata", str(dump), verbosity=0)
    if stdout is not None:
        stdout.write("Rebuilding the search index...")
    _rebuild_search_index()
    return manifest


def _rebuild_search_index():
    publications = Publication.objects.all()
    index_publications(publications.iterator(chunk_size=200))
    for publication in publications.only("pk").iterator(chunk_size=200):
        pages = list(publication.pages.all())
        if pages:
            index_pages(publication.pk, pages)


def default_backup_path(folder):
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return Path(folder) / f"pst-backup-{stamp}.tar"


def prune_backups(folder, keep):
    """Delete all but the ``keep`` newest archives in ``folder``; return the deleted paths."""
    archives = sorted(Path(folder).glob("pst-backup-*.tar"))
    doomed = archives[:-keep] if keep else []
    for path in doomed:
        path.unlink()
    return doomed


__all__ = [
    "BackupError",
    "create_backup",
    "default_backup_path",
    "prune_backups",
    "restore_backup",
    "verify_backup",
]
