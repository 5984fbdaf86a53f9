"""Highlighted passages: the window of a text where most of the query's words are.

Works on the stored original text (not the stems), so the passage reads as
written; matching words are those whose stem is a query stem, or that start
with the word being typed.
"""

import re

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
    hit = [bool(stems or prefixes) and _matches(t.group(), stems, prefixes) for t in tokens]
    best_start, best_score = 0, -1
    if any(hit):
        for start in range(0, max(1, len(tokens) - window + 1)):
            chunk = tokens[start : start + window]
            found = {stem(fold(t.group())) for t, h in zip(chunk, hit[start:], strict=False) if h}
            score = len(found) * 100 + sum(hit[start : start + window])
            if score > best_score:
                best_start, best_score = start, score
        # Start a little before the first hit so the passage has context.
        first = next(i for i in range(best_start, len(tokens)) if hit[i])
        best_start = max(0, min(best_start, first - 3))
    chunk_end = min(len(tokens), best_start + window)
    begin = tokens[best_start].start()
    end = tokens[chunk_end - 1].end()
    parts = []
    position = begin
    for index in range(best_start, chunk_end):
        token = tokens[index]
        parts.append(escape(text[position : token.start()]))
        word = escape(token.group())
        parts.append(f"<mark>{word}</mark>" if hit[index] else word)
        position = token.end()
    html = "".join(parts)
    if begin > 0:
        html = "… " + html
    if end < len(text):
        html += " …"
    return mark_safe(html)  # noqa: S308 - every piece of the text is escaped above
