"""Bulk import of an existing collection: a CSV manifest, or saved BPS Web API responses.

Each row is imported in its own savepoint: a bad row leaves nothing behind and is
reported with its line; the good rows are kept. Rows are matched to existing
records by catalogue number and year (one BPS catalogue number covers every edition
of a series), else by BPS pub_id, else by title and year, so running it again
updates or skips instead of duplicating.
"""

import csv
import datetime
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from .choices import EventAction, Language, Visibility
from .errors import CatalogError
from .models import Publication, PublicationEvent, Subject
from .pdf import inspect_pdf
from .search import index_publications, refresh_maps
from .services import save_publication

CSV_COLUMNS = [
    "file", "title", "year", "catalog_number", "publication_number", "issn", "isbn", "subject",
    "abstract", "release_date", "language", "hardcopy_call_number", "hardcopy_copies",
]  # fmt: skip
CHUNK = 250
COMPARED = [
    "title", "year", "catalog_number", "publication_number", "issn", "isbn", "abstract",
    "release_date", "scheduled_date", "revision_date", "language", "hardcopy_call_number",
    "hardcopy_copies", "bps_pub_id", "file_size",
]  # fmt: skip


class RowError(CatalogError):
    pass


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    skipped: int = 0
    failures: list = field(default_factory=list)  # (line, reason)

    @property
    def failed(self):
        return len(self.failures)


@dataclass
class Row:
    line: int
    values: dict
    subjects: list = field(default_factory=list)
    file: Path | None = None
    related_bps_ids: list = field(default_factory=list)


def _date(value, line_label):
    value = (value or "").strip()
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError as exc:
        raise RowError(
            _("%(field)s is not a date (YYYY-MM-DD): %(value)s")
            % {"field": line_label, "value": value[:40]}
        ) from exc


def _int(value, label, *, minimum=0, maximum=None, default=None):
    value = (value or "").strip()
    if not value:
        if default is None:
            raise RowError(_("%(field)s is required.") % {"field": label})
        return default
    try:
        number = int(value)
    except ValueError as exc:
        raise RowError(
            _("%(field)s is not a whole number: %(value)s") % {"field": label, "value": value[:40]}
        ) from exc
    if number < minimum or (maximum is not None and number > maximum):
        raise RowError(
            _("%(field)s is out of range: %(value)s") % {"field": label, "value": number}
        )
    return number


LANGUAGES = {
    "id": Language.INDONESIAN,
    "ind": Language.INDONESIAN,
    "indonesia": Language.INDONESIAN,
    "en": Language.ENGLISH,
    "eng": Language.ENGLISH,
    "english": Language.ENGLISH,
    "inggris": Language.ENGLISH,
    "id_en": Language.BILINGUAL,
    "id-en": Language.BILINGUAL,
}


def _subjects(text, cache):
    found = []
    for name in [s.strip() for s in (text or "").split(";") if s.strip()]:
        key = name.casefold()
        if key not in cache:
            raise RowError(_("Unknown subject: %(name)s") % {"name": name[:60]})
        found.append(cache[key])
    return found


def read_csv(path, subject_cache):
    """Yield Row objects, or (line, RowError) for rows that cannot be read."""
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = {"title", "year"} - set(reader.fieldnames or [])
        if missing:
            raise CatalogError(
                _("The manifest has no column %(columns)s.")
                % {"columns": ", ".join(sorted(missing))}
            )
        for record in reader:
            line = reader.line_num
            try:
                yield _csv_row(line, record, Path(path).parent, subject_cache)
            except RowError as exc:
                yield line, exc


def _csv_row(line, record, base, subject_cache):
    get = lambda name: (record.get(name) or "").strip()  # noqa: E731
    title = get("title")
    if not title:
        raise RowError(_("title is required."))
    year = _int(get("year"), "year", minimum=1900, maximum=2100)
    language = LANGUAGES.get(get("language").lower(), Language.INDONESIAN)
    values = {
        "title": title[:500],
        "year": year,
        "catalog_number": get("catalog_number")[:40],
        "publication_number": get("publication_number")[:40],
        "issn": get("issn")[:20],
        "isbn": get("isbn")[:20],
        "abstract": get("abstract"),
        "release_date": _date(get("release_date"), "release_date"),
        "language": language,
        "hardcopy_call_number": get("hardcopy_call_number")[:60],
        "hardcopy_copies": _int(
            get("hardcopy_copies"), "hardcopy_copies", maximum=32767, default=0
        ),
    }
    row = Row(line=line, values=values, subjects=_subjects(get("subject"), subject_cache))
    if get("file"):
        path = (base / get("file")).resolve()
        if not path.is_file():
            raise RowError(_("File not found: %(file)s") % {"file": get("file")[:200]})
        row.file = path
    return row


SIZE_RE = re.compile(r"^\s*([\d.,]+)\s*([KMG]?B)\s*$", re.IGNORECASE)
ISBN_RE = re.compile(r"^(97[89])?[\d\- ]{9,}[\dX]$")


def _size(text):
    match = SIZE_RE.match(text or "")
    if not match:
        return None
    number = float(match.group(1).replace(",", "."))
    return int(number * {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}[match.group(2).upper()])


def read_bps_json(path):
    """Rows from a saved BPS Web API response: ``list`` or ``view`` of model ``publication``."""
    try:
        with open(path, encoding="utf-8") as handle:
            document = json.load(handle)
    except (OSError, ValueError) as exc:
        raise CatalogError(_("The file is not valid JSON: %(error)s") % {"error": exc}) from exc
    if not isinstance(document, dict) or document.get("status") != "OK":
        raise CatalogError(_("The file is not a successful BPS Web API response."))
    data = document.get("data")
    if isinstance(data, list) and len(data) == 2 and isinstance(data[1], list):
        items = data[1]
    elif isinstance(data, dict):
        items = [data]
    else:
        raise CatalogError(_("The BPS Web API response holds no publications."))
    for index, item in enumerate(items, start=1):
        try:
            yield _bps_row(index, item)
        except RowError as exc:
            yield index, exc


def _bps_row(index, item):
    if not isinstance(item, dict):
        raise RowError(_("Not a publication record."))
    title = html.unescape(strip_tags(str(item.get("title") or ""))).strip()
    if not title:
        raise RowError(_("title is required."))
    release = _date(item.get("rl_date"), "rl_date")
    scheduled = _date(item.get("sch_date"), "sch_date")
    year_source = release or scheduled
    if year_source is None:
        raise RowError(_("The record has no release or scheduled date to take the year from."))
    issn = str(item.get("issn") or "").strip()
    isbn = ""
    if issn in {"-", "0"}:
        issn = ""
    elif re.sub(r"[^0-9X]", "", issn.upper()).__len__() in (10, 13) and ISBN_RE.match(issn):
        issn, isbn = "", issn
    abstract = html.unescape(strip_tags(str(item.get("abstract") or ""))).strip()
    values = {
        "title": title[:500],
        "year": year_source.year,
        "catalog_number": str(item.get("kat_no") or "").strip()[:40],
        "publication_number": str(item.get("pub_no") or "").strip()[:40],
        "issn": issn[:20],
        "isbn": isbn[:20],
        "abstract": abstract,
        "release_date": release,
        "scheduled_date": scheduled,
        "revision_date": _date(item.get("updt_date"), "updt_date"),
        "bps_pub_id": str(item.get("pub_id") or "").strip()[:40],
        "file_size": _size(str(item.get("size") or "")),
    }
    related = [str(r.get("pub_id")) for r in item.get("related") or [] if isinstance(r, dict)]
    return Row(line=index, values=values, related_bps_ids=related)


class Importer:
    def __init__(self, office, *, by=None, visibility=Visibility.PUBLISHED, progress=None):
        self.office = office
        self.by = by
        self.visibility = visibility
        self.progress = progress or (lambda done, total: None)
        self.report = ImportReport()
        self.subject_cache = {s.title.casefold(): s for s in Subject.objects.all()}

    def run(self, path):
        path = Path(path)
        if path.suffix.lower() == ".json":
            rows = list(read_bps_json(path))
        else:
            rows = list(read_csv(path, self.subject_cache))
        total = len(rows)
        related = []
        seen = set()
        for start in range(0, total, CHUNK):
            chunk = rows[start : start + CHUNK]
            with transaction.atomic():
                saved = []
                fast, slow = self._split(chunk, seen)
                try:
                    with transaction.atomic():
                        saved += self._bulk_create(fast)
                except IntegrityError:
                    slow = sorted(fast + slow, key=lambda r: r.line)
                for row in slow:
                    if isinstance(row, tuple):
                        self.report.failures.append((row[0], str(row[1])))
                        continue
                    try:
                        with transaction.atomic():
                            publication = self._import(row)
                    except CatalogError as exc:
                        self.report.failures.append((row.line, str(exc)))
                        continue
                    saved.append(publication)
                    if row.related_bps_ids:
                        related.append((publication, row.related_bps_ids))
                index_publications(saved)
            self.progress(min(start + CHUNK, total), total)
        self.report.failures.sort()
        self._link_related(related)
        # Bulk writes leave the search's word maps stale: rebuild them (search.maps).
        refresh_maps()
        return self.report

    @staticmethod
    def _keys(values):
        keys = []
        if values.get("catalog_number"):
            return [("c", values["catalog_number"], values["year"])]
        if values.get("bps_pub_id"):
            keys.append(("b", values["bps_pub_id"]))
        keys.append(("t", values["title"], values["year"]))
        return keys

    def _split(self, chunk, seen):
        """New hardcopy-only rows go in bulk; files, updates and repeats one by one."""
        rows = [row for row in chunk if not isinstance(row, tuple)]
        existing = set()
        mine = Publication.objects.filter(office=self.office)
        numbers = {r.values["catalog_number"] for r in rows if r.values.get("catalog_number")}
        if numbers:
            existing |= {
                ("c", n, y)
                for n, y in mine.filter(catalog_number__in=numbers).values_list(
                    "catalog_number", "year"
                )
            }
        bps_ids = {r.values["bps_pub_id"] for r in rows if r.values.get("bps_pub_id")}
        if bps_ids:
            existing |= {
                ("b", b)
                for b in mine.filter(bps_pub_id__in=bps_ids).values_list("bps_pub_id", flat=True)
            }
        titles = {r.values["title"] for r in rows if not r.values.get("catalog_number")}
        if titles:
            existing |= {
                ("t", t, y)
                for t, y in mine.filter(catalog_number="", title__in=titles).values_list(
                    "title", "year"
                )
            }
        fast, slow = [], []
        for row in chunk:
            if isinstance(row, tuple):
                slow.append(row)
                continue
            keys = self._keys(row.values)
            known = any(key in existing or key in seen for key in keys)
            if row.file is None and not row.related_bps_ids and not known:
                fast.append(row)
            else:
                slow.append(row)
            seen.update(keys)
        return fast, slow

    def _bulk_create(self, rows):
        if not rows:
            return []
        publications = Publication.objects.bulk_create(
            [Publication(office=self.office, visibility=self.visibility, **r.values) for r in rows]
        )
        if any(p.pk is None for p in publications):  # databases without RETURNING
            raise IntegrityError("bulk insert returned no ids")
        through = Publication.subjects.through
        through.objects.bulk_create(
            [
                through(publication_id=p.pk, subject_id=subject.pk)
                for p, row in zip(publications, rows, strict=True)
                for subject in row.subjects
            ]
        )
        events = [
            PublicationEvent(publication=p, action=EventAction.IMPORTED, actor=self.by)
            for p in publications
        ]
        if self.visibility == Visibility.PUBLISHED:
            events += [
                PublicationEvent(publication=p, action=EventAction.PUBLISHED, actor=self.by)
                for p in publications
            ]
        PublicationEvent.objects.bulk_create(events)
        self.report.created += len(publications)
        return publications

    def _existing(self, values):
        candidates = Publication.objects.filter(office=self.office)
        if values.get("catalog_number"):
            return candidates.filter(
                catalog_number=values["catalog_number"], year=values["year"]
            ).first()
        if values.get("bps_pub_id"):
            found = candidates.filter(bps_pub_id=values["bps_pub_id"]).first()
            if found:
                return found
        return candidates.filter(
            catalog_number="", title=values["title"], year=values["year"]
        ).first()

    def _import(self, row):
        publication = self._existing(row.values)
        upload = None
        if row.file is not None:
            handle = open(row.file, "rb")  # noqa: SIM115 - closed below
            upload = File(handle, name=row.file.name)
        try:
            info = inspect_pdf(upload) if upload else None
            if publication is None:
                publication = Publication(
                    office=self.office, visibility=self.visibility, **row.values
                )
                save_publication(
                    publication,
                    by=self.by,
                    subjects=row.subjects,
                    pdf=upload,
                    source=EventAction.IMPORTED,
                    index=False,
                )
                self.report.created += 1
                return publication
            changed = [
                f for f in COMPARED if f in row.values and getattr(publication, f) != row.values[f]
            ]
            same_file = info is None or (
                bool(publication.original_pdf) and publication.file_size == info.size
            )
            same_subjects = not row.subjects or {s.pk for s in row.subjects} == set(
                publication.subjects.values_list("pk", flat=True)
            )
            if not changed and same_file and same_subjects:
                self.report.skipped += 1
                return publication
            for name in changed:
                setattr(publication, name, row.values[name])
            save_publication(
                publication,
                by=self.by,
                subjects=row.subjects or None,
                pdf=None if same_file else upload,
                source=EventAction.IMPORTED,
                index=False,
            )
            self.report.updated += 1
            return publication
        finally:
            if upload is not None:
                upload.close()

    def _link_related(self, related):
        if not related:
            return
        wanted = {pub_id for _p, ids in related for pub_id in ids}
        by_bps = dict(
            Publication.objects.filter(office=self.office, bps_pub_id__in=wanted).values_list(
                "bps_pub_id", "pk"
            )
        )
        for publication, ids in related:
            targets = [by_bps[i] for i in ids if i in by_bps and by_bps[i] != publication.pk]
            if targets:
                publication.related.add(*targets)
