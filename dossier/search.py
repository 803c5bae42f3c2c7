"""Full-text search index for the static site, readable from ``file://`` as a classic script.

The client (``assets/js/search.js``) folds queries with the same rules as :func:`fold`; any
change here must be made there too, and the shared cases in its ``FOLD CASES`` comment
table must keep passing (``tests/test_search.py`` reads that table).
"""

from __future__ import annotations

import json
import re
import unicodedata

# Global the client reads; a classic script is the only loader that works from file://
# (fetch/XHR are blocked there), so the index is JavaScript that assigns this name.
GLOBAL_NAME = "DOSSIER_SEARCH"
# Bumped whenever the layout of the index changes, so a stale client can tell.
FORMAT_VERSION = 1

# Letters that Unicode does not decompose but French readers treat as two letters or as a
# plain letter; the ς/σ pair is listed so that folding never depends on word context.
_SPECIAL = {
    "œ": "oe",
    "æ": "ae",
    "ß": "ss",
    "ø": "o",
    "ł": "l",
    "đ": "d",
    "ð": "d",
    "þ": "th",
    "ı": "i",
    "ς": "σ",
    # Arabic: hamza-carrying alefs already lose their hamza/madda as combining marks
    # after NFKD; alef wasla has no decomposition, so it is unified by hand.
    "ٱ": "ا",
    "ى": "ي",  # alef maqsura is written for final ya in much Moroccan and Egyptian text
    "ة": "ه",  # ta marbuta is often typed as ha
}
# Arabic-Indic and Persian digits, so "٢٠٣٠" finds "2030".
_SPECIAL.update({chr(0x0660 + i): str(i) for i in range(10)})
_SPECIAL.update({chr(0x06F0 + i): str(i) for i in range(10)})

_TATWEEL = "\u0640"


class _FoldTable(dict):
    """A lazy ``str.translate`` table: each code point's fate is computed once, then cached."""

    def __missing__(self, cp: int):
        """Decide what one code point becomes: dropped (marks, tatweel), replaced, or kept."""
        ch = chr(cp)
        if ch == _TATWEEL or unicodedata.category(ch).startswith("M"):
            value = None  # accents, harakat, shadda, sukun, tatweel: invisible to search
        else:
            value = _SPECIAL.get(ch, cp)
        self[cp] = value
        return value


_TABLE = _FoldTable()

# [^\W_] is exactly [\p{L}\p{N}] in Python's Unicode tables (checked over every code point
# in the tests), which is what the JS client uses.
_WORD = re.compile(r"[^\W_]+")

# Kept short on purpose: only words too frequent to mean anything in a French dossier.
# Stored already folded, since they are compared with folded tokens.
STOP_WORDS = frozenset(
    {
        "le", "la", "les", "de", "des", "du", "et", "en", "un", "une", "pour", "par",
        "au", "aux", "sur", "dans", "est", "sont", "que", "qui", "ce", "ces", "cet",
        "cette", "se", "sa", "son", "ses", "ou", "il", "elle", "ils", "elles", "on",
        "ne", "pas", "leur", "leurs", "avec",
    }
)  # fmt: skip


def fold(text: str) -> str:
    """Fold case, accents and Arabic spelling variants so that search ignores them."""
    # NFKD first so compatibility forms (ligatures, full-width, Arabic presentation forms)
    # become plain letters; lower() after it because some of them decompose to capitals;
    # NFKD again because lower() may yield a precomposed letter (in theory, not French).
    text = unicodedata.normalize("NFKD", text).lower()
    text = unicodedata.normalize("NFKD", text)
    return text.translate(_TABLE)


def _words(folded: str) -> list[str]:
    """Split already-folded text into its words, keeping stop words and 1-letter words."""
    return _WORD.findall(folded)


def tokens(text) -> list[str]:
    """Fold text and return its searchable words, without stop words or 1-character words."""
    return [w for w in _words(fold(text)) if len(w) > 1 and w not in STOP_WORDS]


def _b36(n: int) -> str:
    """Write a non-negative integer in base 36 (the client reads it with parseInt(s, 36))."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    while True:
        n, r = divmod(n, 36)
        out = digits[r] + out
        if not n:
            return out


def _encode_postings(postings: list[tuple[int, int]]) -> str:
    """Encode (doc, count) pairs as comma-separated base-36 gaps, ``gap:count`` when count > 1."""
    # Gaps keep numbers small and base 36 keeps them short; a string is decoded only when
    # a query uses the term, so the browser's JSON.parse does not build thousands of arrays.
    parts, previous, small = [], 0, _B36
    for doc, count in postings:
        gap = doc - previous
        part = small[gap] if gap < len(small) else _b36(gap)
        if count > 1:
            part += ":" + (small[count] if count < len(small) else _b36(count))
        parts.append(part)
        previous = doc
    return ",".join(parts)


_B36 = [_b36(n) for n in range(4096)]  # most gaps and counts are small: look them up


def _plain(text: str) -> str:
    """Collapse runs of whitespace, which excerpts do not need and which cost bytes."""
    return " ".join(str(text or "").split())


def counts(title: str, section: str, text: str) -> tuple[tuple[str, int], ...]:
    """Count a page's words (the build keeps the result per page, so it is not memoised)."""
    counts: dict[str, int] = {}
    # Title and section are indexed with the body so that a page is found by its name;
    # the client adds the title boost itself, from the stored title.
    for word in tokens(title) + tokens(section) + tokens(text):
        counts[word] = counts.get(word, 0) + 1
    return tuple(counts.items())


def _json(value) -> str:
    """Compact JSON, safe inside a script element."""
    data = json.dumps(value, separators=(",", ":"), ensure_ascii=False)
    # "<" only occurs inside JSON strings, where \u003c means the same: no "</script>" or
    # "<!--" can end or confuse an inline <script>. U+2028/2029 were not valid in JS string
    # literals before ES2019, so they are escaped for old engines too.
    return data.replace("<", "\\u003c").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


class Index:
    """The search index, kept between builds: a changed page re-encodes only its own words.

    The output is the same as ``json.dumps(payload, sort_keys=True)`` of the whole index
    would give; it is assembled from cached fragments instead. The state is plain strings
    (postings stay encoded, decoded only for the words a changed page touches), so it is
    small and quick to store in the build cache.
    """

    def __init__(self):
        self._urls: list | None = None
        self._raw: list = []  # per doc number: its input (title, section, text, counts)
        self._doc_json: list = []  # per doc number: its JSON array
        self._encoded: dict = {}  # word → its postings, encoded
        self._fragment: dict = {}  # word → its '"word":"postings"' JSON member

    def update(self, docs: list[dict]) -> str:
        """Return ``search-index.js`` for ``docs``, as text (see :meth:`update_bytes`)."""
        return self.update_bytes(docs).decode("utf-8")

    def update_bytes(self, docs: list[dict]) -> bytes:
        """Return ``search-index.js`` (UTF-8) for ``docs`` (url/title/section/text dicts).

        Fragments are kept as UTF-8 bytes: as text, French and Arabic would take two bytes a
        character, and the index of a large site is tens of megabytes.

        A doc may carry ``counts``, its words already counted: pairs, or the compact string
        ``"word:n word:n"`` that the build keeps per page.
        """
        urls = [str(doc["url"]) for doc in docs]
        if urls != self._urls:  # pages came or went: numbers shift, start afresh
            self.__init__()
            self._urls = urls
            self._raw, self._doc_json = [None] * len(urls), [b""] * len(urls)
        changes: dict[str, dict[int, int]] = {}  # word → {doc: new count, 0 = gone}
        for number, doc in enumerate(docs):
            raw = (doc.get("title"), doc.get("section"), doc.get("text"), doc.get("counts"))
            old = self._raw[number]
            if old == raw:
                continue  # the same page as last time: nothing to re-encode
            title, section, text = _plain(raw[0]), _plain(raw[1]), _plain(raw[2])
            for word, _ in _words_of(old) if old else ():
                changes.setdefault(word, {})[number] = 0
            for word, count in _words_of(raw):
                changes.setdefault(word, {})[number] = count
            self._raw[number] = raw
            self._doc_json[number] = _json([urls[number], title, section, text]).encode()
        for word, updates in changes.items():
            postings = dict(_decode_postings(self._encoded.get(word, "")))
            postings.update(updates)
            kept = sorted((doc, n) for doc, n in postings.items() if n)
            if kept:
                self._encoded[word] = _encode_postings(kept)
                self._fragment[word] = f"{_json(word)}:{_json(self._encoded[word])}".encode()
            else:
                self._encoded.pop(word, None)
                self._fragment.pop(word, None)
        return b"".join([
            f'window.{GLOBAL_NAME}={{"docs":['.encode(), b",".join(self._doc_json),
            b'],"terms":{', b",".join(self._fragment[word] for word in sorted(self._fragment)),
            f'}},"v":{FORMAT_VERSION}}};\n'.encode()])


def _words_of(raw: tuple) -> tuple:
    """A doc's word counts, from its stored counts or by counting its text."""
    if raw[3]:
        return _read_counts(raw[3])
    return counts(_plain(raw[0]), _plain(raw[1]), _plain(raw[2]))


def _decode_postings(encoded: str):
    """Yield (doc, count) pairs from :func:`_encode_postings`'s output."""
    doc = 0
    for part in encoded.split(",") if encoded else ():
        gap, _, count = part.partition(":")
        doc += int(gap, 36)
        yield doc, int(count, 36) if count else 1


def _read_counts(value) -> tuple:
    """Read word counts given as pairs or as the compact ``"word:n word:n"`` string."""
    if isinstance(value, str):
        return tuple((word, int(n)) for word, _, n in
                     (item.rpartition(":") for item in value.split(" ") if item))
    return tuple(value)


def build_index(docs: list[dict]) -> str:
    """Return the source of ``search-index.js`` for pages given as url/title/section/text dicts."""
    return Index().update(docs)


def parse_index(js: str) -> dict:
    """Read back the payload of a ``search-index.js`` made by :func:`build_index`."""
    prefix = f"window.{GLOBAL_NAME}="
    if not js.startswith(prefix):
        raise ValueError("not a search index made by build_index")
    return json.loads(js[len(prefix) :].rstrip().rstrip(";"))


def index_stats(docs: list[dict], js: str) -> dict:
    """Measure the index against the text it covers, for the build's report."""
    index_bytes = len(js.encode("utf-8"))
    text_bytes = sum(len(str(d.get("text") or "").encode("utf-8")) for d in docs)
    return {
        "docs": len(docs),
        "terms": len(parse_index(js)["terms"]),
        "index_bytes": index_bytes,
        "text_bytes": text_bytes,
        # Above 1 because the index carries the text itself (for excerpts) plus the terms.
        "ratio": round(index_bytes / text_bytes, 3) if text_bytes else 0.0,
    }
