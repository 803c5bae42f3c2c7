"""French typography, applied once by the build to every page's text.

Editors type plain text (straight quotes, ordinary spaces); readers get the French rules:
a narrow no-break space (U+202F) before ``; ! ?`` and inside ``« »``, a no-break space
(U+00A0) before ``:``, between a number and its unit and inside dates, U+202F between groups
of thousands, a curly apostrophe and French quotes. Markdown gets markdown-it's typographer
first (quotes, apostrophes, dashes); this pass adds what it lacks and covers fact text and
templates alike. It only touches text: never tags or attributes, code, ``<pre>``, scripts,
styles, URLs, or an element in another language (``lang="ar"``, ``lang="en"``).
"""

from __future__ import annotations

import html as html_lib
import re

NNBSP, NBSP = "\u202f", "\u00a0"
QUOTES = ["«" + NNBSP, NNBSP + "»", "“", "”"]  # markdown-it's ``quotes`` option, French style

SKIP = frozenset({"code", "pre", "kbd", "samp", "var", "textarea", "svg", "math"})
RAW = frozenset({"script", "style"})  # their content is not HTML: jump to their end
VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                  "source", "track", "wbr"})
# After these, a straight quote opens rather than closes: the text starts afresh.
BLOCK = frozenset({"p", "li", "div", "h1", "h2", "h3", "h4", "h5", "h6", "td", "th", "br",
                   "dt", "dd", "ul", "ol", "table", "tr", "section", "article", "header",
                   "footer", "nav", "figure", "figcaption", "blockquote", "title", "main",
                   "aside", "body", "caption", "sup"})

TAG = re.compile(r"<!--.*?-->|<(/?)([A-Za-z][^\s/>]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
LANG = re.compile(r"""\blang\s*=\s*["']?([A-Za-z-]+)""")
URL = re.compile(r"(?:[a-z][a-z0-9+.-]*://|www\.)\S+|\S+@\S+\.\w+", re.I)

MONTHS = ("janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre"
          "|décembre")
UNITS = ("MW|GW|kW|MWh|GWh|TWh|W|m²|m2|km²|km|m|ha|t|kg|Mt|%|‰|€|\\$|M\\$|Md\\$|Mds?|DH|MAD"
         "|dirhams?|dollars?|euros?|millions?|milliards?|hab\\.|habitants|To|Go|Po|Tb/s|Gb/s"
         "|PFLOPS|pétaflops|ans|mois|jours|heures|h|min")
SPACE = "[ \t\u00a0\u202f]"

RULES = [
    # A curly apostrophe inside a word: l'État, aujourd'hui.
    (re.compile(r"(?<=\w)'(?=\w)"), "\u2019"),
    # … and before a quote it elides into: lors d'« Assises ».
    (re.compile(r"(?<=\w)'(?=[«\"])"), "\u2019"),
    # French quotes typed by editors: « mot » with narrow no-break spaces inside.
    (re.compile(f"«{SPACE}*"), "«" + NNBSP),
    (re.compile(f"{SPACE}*»"), NNBSP + "»"),
    # ; ! ? get a narrow no-break space, : a no-break space (typed spaces replaced).
    (re.compile(f"{SPACE}+(?=[;!?])"), NNBSP),
    (re.compile(r"(?<=[\w»)\]])(?=[;!?](?:\s|$))"), NNBSP),
    (re.compile(f"{SPACE}+(?=:)"), NBSP),
    # Groups of thousands: 2 000, 36 828 330.
    (re.compile(r"(?<=\d)[ \u00a0](?=\d{3}(?!\d))"), NNBSP),
    # A number and its unit: 500 MW, 2 000 m², 30 %.
    (re.compile(rf"(?<=\d) (?=(?:{UNITS})(?![\w²]))"), NBSP),
    # Dates: 12 janvier 2026, 1er juillet, juillet 2025.
    (re.compile(rf"\b(\d{{1,2}}|1er) (?=(?:{MONTHS})\b)"), "\\1" + NBSP),
    (re.compile(rf"\b({MONTHS}) (?=\d{{4}}\b)"), "\\1" + NBSP),
]
OPEN_AFTER = frozenset(" \t\n\r\u00a0\u202f([{«—–-/'\u2019")


def _quotes(text: str, prev: str) -> str:
    """Turn straight double quotes into « » (opening after a space, closing after a word)."""
    if '"' not in text:
        return text
    out = []
    for i, char in enumerate(text):
        if char != '"':
            out.append(char)
            continue
        before = text[i - 1] if i else prev
        if before in OPEN_AFTER:
            out.append("«" + NNBSP)
        else:
            while out and out[-1] in " \u00a0":
                out.pop()
            out.append(NNBSP + "»")
    return re.sub(f"«{NNBSP}{SPACE}+", "«" + NNBSP, "".join(out))


def french(text: str, prev: str = " ") -> str:
    """Apply the French rules to plain text; ``prev`` is the character just before it."""
    parts = URL.split(text)
    urls = URL.findall(text)
    out = []
    for i, part in enumerate(parts):
        part = _quotes(part, prev if i == 0 else "x")
        for pattern, repl in RULES:
            part = pattern.sub(repl, part)
        out.append(part)
        if i < len(urls):
            out.append(urls[i])
    return "".join(out)


def _text(raw: str, prev: str) -> str:
    """Apply the rules to a text node of HTML (entities decoded, then re-escaped)."""
    plain = html_lib.unescape(raw) if "&" in raw else raw
    done = french(plain, prev)
    if done == plain:
        return raw
    return done.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


NOTE_CALL = re.compile(r"[ \t\n\u00a0]+(?=<sup class=\"note-ref\">)")


def html(page: str, language: str | None = "fr") -> str:
    """Apply French typography to the text of an HTML page; other languages are left as is."""
    # A note call sticks to the word it qualifies (templates often put a space before it).
    page = NOTE_CALL.sub("", page)
    if not (language or "fr").startswith("fr"):
        return page
    out, pos, prev = [], 0, " "
    skip: list = []  # [tag, depth] of the element whose text is left alone
    while True:
        match = TAG.search(page, pos)
        text = page[pos:match.start() if match else len(page)]
        if text:
            out.append(text if skip else _text(text, prev))
            prev = text[-1]
        if match is None:
            break
        out.append(match.group(0))
        pos = match.end()
        name = (match.group(2) or "").lower()
        if not name:  # a comment
            continue
        closing = match.group(1) == "/"
        if name in RAW and not closing:
            end = page.find("</" + name, pos)
            end = len(page) if end < 0 else end
            out.append(page[pos:end])
            pos = end
            continue
        if name in BLOCK:
            prev = " "
        if skip:
            if name == skip[-1][0]:
                skip[-1][1] += -1 if closing else 1
                if skip[-1][1] == 0:
                    skip.pop()
            continue
        if closing or name in VOID or match.group(3).rstrip().endswith("/"):
            continue
        lang = LANG.search(match.group(3))
        if name in SKIP or (lang and not lang.group(1).lower().startswith("fr")):
            skip.append([name, 1])
    return "".join(out)
