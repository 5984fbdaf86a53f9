"""Rebuild the search's word maps (catalog.search.maps) from the full-text index."""

import time

from django.core.management.base import BaseCommand

from ...search import refresh_maps


class Command(BaseCommand):
    help = (
        "Rebuild the word maps that make common words fast to search (after an upgrade, or "
        "to map the words that became common since the last import). Safe to run any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-needed",
            action="store_true",
            help="only when a bulk write made them stale, or none exist for a large catalogue",
        )
        parser.add_argument(
            "--min-docs", type=int, help="map words found in at least this many publications"
        )

    def handle(self, if_needed, min_docs, **options):
        start = time.perf_counter()
        count = refresh_maps(force=not if_needed, min_docs=min_docs)
        if count is None:
            self.stdout.write("word maps are up to date")
        else:
            self.stdout.write(f"{count} word maps built in {time.perf_counter() - start:.1f} s")
