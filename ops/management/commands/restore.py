from django.core.management.base import BaseCommand, CommandError

from ops.backup import BackupError, restore_backup, verify_backup


class Command(BaseCommand):
    help = (
        "Restore a backup archive into a new, empty (migrated) database and an empty "
        "storage. Every checksum is checked before anything is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="A pst-backup-*.tar archive made by `backup`.")
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="Only check the archive against its manifest; change nothing.",
        )

    def handle(self, *args, archive, verify_only=False, verbosity=1, **options):
        out = self.stdout if verbosity else None
        try:
            if verify_only:
                manifest = verify_backup(archive, stdout=out)
                self.stdout.write(
                    self.style.SUCCESS(
                        f"{archive} is complete: database and {len(manifest['files'])} files "
                        "match their checksums."
                    )
                )
                return
            manifest = restore_backup(archive, stdout=out)
        except (BackupError, OSError) as exc:
            raise CommandError(f"Restore failed: {exc}") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created_at']}: database and "
                f"{len(manifest['files'])} files."
            )
        )
