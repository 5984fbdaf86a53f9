from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, create_backup, default_backup_path, prune_backups


class Command(BaseCommand):
    help = (
        "Back up the database and every private file (local folder or S3 bucket) into one "
        "tar archive with a manifest of SHA-256 checksums."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            help="Archive path (default: BACKUP_DIR/pst-backup-YYYYMMDD-HHMMSS.tar).",
        )
        parser.add_argument(
            "--no-files", action="store_true", help="Database only (for a quick copy)."
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="After a successful backup keep only this many archives in BACKUP_DIR.",
        )

    def handle(self, *args, output=None, no_files=False, keep=0, verbosity=1, **options):
        path = output or default_backup_path(settings.BACKUP_DIR)
        out = self.stdout if verbosity else None
        try:
            manifest = create_backup(path, include_files=not no_files, stdout=out)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Backup failed: {exc}") from exc
        size = sum(item["size"] for item in manifest["files"])
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written to {path}: database {manifest['database']['size'] / 1e6:.1f} MB, "
                f"{len(manifest['files'])} files ({size / 1e6:.1f} MB)."
            )
        )
        if keep:
            for old in prune_backups(settings.BACKUP_DIR, keep):
                self.stdout.write(f"Deleted old backup {old}")
