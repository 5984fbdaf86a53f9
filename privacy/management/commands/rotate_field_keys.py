from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from core.fields import ENCRYPTED_FIELDS


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field with the newest key of FIELD_ENCRYPTION_KEYS."

    def handle(self, **options):
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, ENCRYPTED_FIELDS)]
            if not fields:
                continue
            names = [f.attname for f in fields]
            done = 0
            with transaction.atomic():
                for pk, *values in model._base_manager.values_list("pk", *names).iterator():
                    # values_list decrypts; saving through update() encrypts with the newest key.
                    model._base_manager.filter(pk=pk).update(
                        **dict(zip(names, values, strict=True))
                    )
                    done += 1
            self.stdout.write(f"{model._meta.label}: {done} row(s) re-encrypted")
