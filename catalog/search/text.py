"""Text for the search index and for queries: the same normalisation on both databases.

Words are lower-cased, stripped of accents and stemmed with Sastrawi (Indonesian),
so "kependudukan" and "penduduk" both become "duduk" and "pertanian" becomes
"tani". Every query is reduced to plain alphanumeric tokens before it reaches a
database, so no quote, operator or FTS syntax a user types can raise an error.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

MAX_QUERY_CHARS = 200
MAX_TERMS = 12
WORD_RE = re.compile(r"\w+", re.UNICODE)
# Query words like 1102001.3324, 2088-1234 or 978-602-438-123-4: catalogue numbers, ISSN, ISBN.
NUMBER_RE = re.compile(r"^\d[\dxX]*(?:[.\-/]\d[\dxX]*)+$|^\d{4,}[xX]?$")
# Words that only join others; dropped from queries (never from the index).
STOP_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "atau",
        "oleh",
        "the",
        "of",
        "and",
        "in",
        "for",
        "to",
        "a",
        "an",
    ]
)

_stemmer = StemmerFactory().create_stemmer()


def fold(text):
    """Lower case without accents (é → e); other scripts are kept as they are."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text.lower())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def words(text):
    return WORD_RE.findall(fold(text or "").replace("_", " "))


@lru_cache(maxsize=200_000)
def stem(word):
    """The Sastrawi stem of one folded word; digits and non-Latin words stay as they are."""
    if not word.isascii() or not word.isalpha() or len(word) <= 3:
        return word
    return _stemmer.stem(word) or word


def index_text(*texts, raw=False):
    """The indexed form of some text: stems in order; with ``raw`` the unstemmed words follow.

    Raw words make prefix search work while a word is being typed ("kepend" finds
    "kependudukan", whose stem is "duduk").
    """
    stems = []
    extra = []
    for text in texts:
        for word in words(text):
            stemmed = stem(word)
            stems.append(stemmed)
            if raw and stemmed != word:
                extra.append(word)
    return " ".join(stems + extra)


def number_text(*numbers):
    """Catalogue, publication, ISSN and ISBN numbers as tokens (split at . - /)."""
    return " ".join(" ".join(words(n)) for n in numbers if n)


def normalize_number(value):
    """1102001.3324 / 2088 1234 / 2088-1234 → comparable form: digits and X only."""
    return re.sub(r"[^0-9X]", "", (value or "").upper())


@dataclass(frozen=True)
class Term:
    """One query word: ``parts`` are the stems (several for a number: a phrase)."""

    parts: tuple
    prefix: str = ""  # the folded unstemmed word for prefix matching, when it is being typed

    @property
    def is_phrase(self):
        return len(self.parts) > 1


@dataclass
class Query:
    text: str
    terms: list = field(default_factory=list)
    number: str = ""  # the normalised number when the whole query is one number

    def __bool__(self):
        return bool(self.terms)

    @property
    def stems(self):
        return {part for term in self.terms for part in term.parts}

    @property
    def prefixes(self):
        return {term.prefix for term in self.terms if term.prefix}


def parse_query(text, *, prefix=True):
    """Turn what a user typed into terms. The last word is a prefix unless followed by a space."""
    text = (text or "")[:MAX_QUERY_CHARS]
    raw_words = text.split()
    query = Query(text=text.strip())
    if len(raw_words) == 1 and NUMBER_RE.match(raw_words[0]):
        query.number = normalize_number(raw_words[0])
    typing = prefix and text and not text[-1].isspace()
    candidates = []
    for position, raw in enumerate(raw_words):
        last = position == len(raw_words) - 1
        if NUMBER_RE.match(raw):
            parts = tuple(words(raw))
            if parts:
                candidates.append(Term(parts=parts))
            continue
        tokens = words(raw)
        for index, token in enumerate(tokens):
            is_last_token = last and index == len(tokens) - 1
            term = Term(
                parts=(stem(token),),
                prefix=token if typing and is_last_token and token.isalnum() else "",
            )
            candidates.append(term)
    meaningful = [t for t in candidates if t.is_phrase or t.parts[0] not in STOP_WORDS or t.prefix]
    terms = meaningful or candidates
    seen = set()
    for term in terms:
        if term not in seen:
            seen.add(term)
            query.terms.append(term)
        if len(query.terms) == MAX_TERMS:
            break
    return query
