"""Highlighted passages: the window of a text where most of the query's words are.

Works on the stored original text (not the stems), so the passage reads as
written; matching words are those whose stem is a query stem, or that start
with the word being typed.
"""

import re
from html import escape as html_escape

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .text import fold, stem

TOKEN_RE = re.compile(r"\w+", re.UNICODE)
WINDOW = 28  # words


def _matches(word, stems, prefixes):
    folded = fold(word)
    return (
        stem(folded) in stems
        or folded in stems
        or any(folded.startswith(p) for p in prefixes if len(p) >= 2)
    )


def snippet(text, query, *, window=WINDOW):
    """HTML (escaped, with <mark>) of the best passage of ``text``; the start when no match."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    tokens = list(TOKEN_RE.finditer(text))
    if not tokens:
        return escape(text[:240])
    stems = query.stems if query else set()
    prefixes = query.prefixes if query else set()
    starts = tuple(p for p in prefixes if len(p) >= 2)
    hits = []  # (token index, stem) of matching words
    if stems or starts:
        for index, token in enumerate(tokens):
            folded = fold(token.group())
            stemmed = stem(folded)
            if stemmed in stems or folded in stems or (starts and folded.startswith(starts)):
                hits.append((index, stemmed))
    hit_positions = {index for index, _stem in hits}
    best_start = 0
    if hits:
        best_score = -1
        for position, (first, _stem) in enumerate(hits):
            inside = [h for h in hits[position:] if h[0] < first + window]
            score = len({s for _i, s in inside}) * 100 + len(inside)
            if score > best_score:
                best_start, best_score = first, score
        # Start a little before the first hit so the passage has context.
        best_start = max(0, best_start - 3)
    chunk_end = min(len(tokens), best_start + window)
    begin = tokens[best_start].start()
    end = tokens[chunk_end - 1].end()
    # Escape the stretches between marked words at once (escaping word by word cost most of
    # a results page's time).
    parts = []
    position = begin
    for index in sorted(i for i in hit_positions if best_start <= i < chunk_end):
        token = tokens[index]
        parts.append(html_escape(text[position : token.start()]))
        parts.append(f"<mark>{html_escape(token.group())}</mark>")
        position = token.end()
    parts.append(html_escape(text[position:end]))
    html = "".join(parts)
    if begin > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308 - every piece of the text is escaped above
