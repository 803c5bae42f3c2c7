"""Numbers, dates and lists in the reader's language, from CLDR locale data (Babel).

One place for every locale-dependent format, so the Arabic and English editions only change
the site's ``language`` setting. The CLDR locale of a language is chosen for a Moroccan
readership: ``ar`` → ``ar_MA`` (Western digits, Moroccan month names: ماي، يوليوز، غشت…),
whereas plain ``ar`` would give Middle-Eastern month names and ``36,828,330``.
"""

from __future__ import annotations

import datetime
import functools

from babel import Locale
from babel.dates import format_date
from babel.lists import format_list
from babel.numbers import format_decimal

LOCALES = {"fr": "fr_FR", "ar": "ar_MA", "en": "en_GB"}
DEFAULT_LANGUAGE = "fr"


@functools.lru_cache(maxsize=8)
def locale(language: str | None) -> Locale:
    """Return the Babel locale for a site language (``fr``, ``ar``, ``en``; others as given)."""
    code = LOCALES.get(language or DEFAULT_LANGUAGE, language or DEFAULT_LANGUAGE)
    return Locale.parse(code)


def number(value, language: str | None = None) -> str:
    """Format a number: ``36 828 330`` and ``3,5`` in French, ``36,828,330`` in English."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Up to two decimals, as the facts are written; Babel drops trailing zeros itself.
    return format_decimal(value, format="#,##0.##", locale=locale(language))


def date(value, language: str | None = None) -> str:
    """Format ``YYYY[-MM[-DD]]``: ``12 janvier 2026``, ``juillet 2025``, ``2025``."""
    parts = str(value).split("-")
    try:
        numbers = [int(p) for p in parts]
    except ValueError:
        return str(value)
    loc = locale(language)
    if len(numbers) == 1:
        return parts[0]
    if len(numbers) == 2:
        return format_date(datetime.date(numbers[0], numbers[1], 1), "LLLL y", locale=loc)
    day = datetime.date(*numbers[:3])
    text = format_date(day, "long", locale=loc)
    if loc.language == "fr" and day.day == 1:
        # CLDR has no ordinal days: French writes "1er juillet", not "1 juillet".
        text = "1er" + text[1:]
    return text


def join(items, language: str | None = None, style: str = "standard") -> str:
    """Join words as the language does: ``a, b et c`` (fr), ``a, b and c`` (en)."""
    items = [str(item) for item in items]
    return format_list(items, style=style, locale=locale(language)) if items else ""


def language_name(code: str, language: str | None = None) -> str:
    """Name a language in the reader's language: ``en`` → ``anglais`` (fr), ``English`` (en)."""
    if not code:
        return ""
    return locale(language).languages.get(code, code)
