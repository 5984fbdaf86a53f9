from django.core.management.base import BaseCommand

from catalog.models import Publication
from delivery.services import DeliveryError, ensure_prepared


class Command(BaseCommand):
    help = "Prepare the watermark-ready copy of every publication with a softcopy (once each)."

    def handle(self, **options):
        publications = Publication.objects.with_softcopy().select_related("office")
        total = publications.count()
        failed = 0
        for number, publication in enumerate(publications.iterator(), start=1):
            try:
                ensure_prepared(publication)
            except DeliveryError:
                failed += 1
            self.stdout.write(f"\r[{number}/{total}] {publication.title[:60]:<60}", ending="")
        self.stdout.write(f"\nPrepared {total - failed} of {total}; {failed} failed (see the log).")
