"""Numbers, dates and lists in the reader's language, from CLDR locale data (Babel).

One place for every locale-dependent format, so the Arabic and English editions only change
the site's ``language`` setting. The CLDR locale of a language is chosen for a Moroccan
readership: ``ar`` → ``ar_MA`` (Western digits, Moroccan month names: ماي، يوليوز، غشت…),
whereas plain ``ar`` would give Middle-Eastern month names and ``36,828,330``.
"""

from __future__ import annotations

import datetime
import functools
import re
from dataclasses import dataclass

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


# A date as a source gives it: a day, a month, a season or quarter, or a year. The notation
# stays ISO-like so that editors type it and the machine-readable form is a prefix of it:
# ``2025-07-01``, ``2025-07``, ``2025-Q4``, ``2025-autumn``, ``2025``.
DATE_RE = re.compile(r"(\d{4})(?:-(?:(\d{2})(?:-(\d{2}))?|Q([1-4])"
                     r"|(spring|summer|autumn|winter)))?\Z", re.ASCII)
# Meteorological seasons, by their months: "winter 2025" is the one that begins in
# December 2025 (it ends in February 2026).
SEASON_MONTHS = {"spring": (3, 5), "summer": (6, 8), "autumn": (9, 11), "winter": (12, 14)}
# CLDR has no season names and no "in <date>" phrasing: these are the one hand-written part.
SEASON_NAMES = {
    "fr": {"spring": "printemps", "summer": "été", "autumn": "automne", "winter": "hiver"},
    "en": {"spring": "spring", "summer": "summer", "autumn": "autumn", "winter": "winter"},
    "ar": {"spring": "ربيع", "summer": "صيف", "autumn": "خريف", "winter": "شتاء"},
}
# How a date reads inside a sentence, by language and precision ("{}" is the bare date).
PHRASES = {
    "fr": {"day": "le {}", "month": "en {}", "quarter": "au {}", "year": "en {}",
           "season": {"spring": "au {}", "summer": "à l'{}", "autumn": "à l'{}",
                      "winter": "à l'{}"}},
    "en": {"day": "on {}", "month": "in {}", "quarter": "in the {}", "year": "in {}",
           "season": "in {}"},
    "ar": {"day": "في {}", "month": "في {}", "quarter": "في {}", "year": "في {}",
           "season": "في {}"},
}


@dataclass(frozen=True)
class When:
    """A date with its precision: ``day``, ``month``, ``quarter``, ``season`` or ``year``."""

    year: int
    month: int | None = None
    day: int | None = None
    quarter: int | None = None
    season: str | None = None

    @property
    def precision(self) -> str:
        """How precisely the date is known."""
        if self.day:
            return "day"
        if self.month:
            return "month"
        return "quarter" if self.quarter else "season" if self.season else "year"

    def span(self) -> tuple[datetime.date, datetime.date]:
        """The first and last day the date may mean."""
        if self.day:
            first = last = datetime.date(self.year, self.month, self.day)
            return first, last
        if self.month:
            return _month_span(self.year, self.month, self.month)
        if self.quarter:
            return _month_span(self.year, 3 * self.quarter - 2, 3 * self.quarter)
        if self.season:
            return _month_span(self.year, *SEASON_MONTHS[self.season])
        return datetime.date(self.year, 1, 1), datetime.date(self.year, 12, 31)

    @property
    def sort_key(self) -> str:
        """A text that sorts dates by the last day they may mean, the more precise first.

        So an event known only to the year comes after the dated events of that year, a
        month after the dated days of that month, "autumn 2025" after 30 November 2025.
        """
        first, last = self.span()
        return f"{last.isoformat()}~{(last - first).days:03d}"

    @property
    def iso(self) -> str:
        """The form a ``<time datetime>`` accepts: ``2025-07-01``, ``2025-07`` or ``2025``
        (a season or quarter has no HTML form: its year is what is certain)."""
        if self.day:
            return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"
        if self.month:
            return f"{self.year:04d}-{self.month:02d}"
        return f"{self.year:04d}"


def _month_span(year: int, first: int, last: int) -> tuple[datetime.date, datetime.date]:
    """The days from the first of month ``first`` to the end of month ``last`` (13 and 14
    are January and February of the next year)."""
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    following = datetime.date(end_year + end_month // 12, end_month % 12 + 1, 1)
    return datetime.date(year, first, 1), following - datetime.timedelta(days=1)


def parse_date(value) -> When | None:
    """Read ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``, ``YYYY-Qn`` or ``YYYY-<season>``;
    ``None`` when it is none of these or not in the calendar (``2025-02-30``)."""
    match = DATE_RE.match(str(value)) if isinstance(value, str) else None
    if not match:
        return None
    year, month, day, quarter, season = match.groups()
    when = When(int(year), int(month) if month else None, int(day) if day else None,
                int(quarter) if quarter else None, season)
    try:
        when.span()
    except ValueError:
        return None
    return when


def date(value, language: str | None = None, phrase: bool = False) -> str:
    """Format a date at its precision: ``12 janvier 2026``, ``juillet 2025``,
    ``4e trimestre 2025``, ``automne 2025``, ``2025``.

    With ``phrase``, as it reads in a sentence: ``le 1er juillet 2025``, ``en juillet 2025``,
    ``à l'automne 2025``, ``en 2025``. Text that is not a date is returned as it is.
    """
    when = parse_date(value)
    if when is None:
        return str(value)
    loc = locale(language)
    precision = when.precision
    if precision == "year":
        text = str(when.year)
    elif precision == "month":
        text = format_date(datetime.date(when.year, when.month, 1), "LLLL y", locale=loc)
    elif precision == "quarter":
        text = format_date(datetime.date(when.year, 3 * when.quarter, 1), "QQQQ y", locale=loc)
    elif precision == "season":
        names = SEASON_NAMES.get(loc.language, SEASON_NAMES["en"])
        text = f"{names[when.season]} {when.year}"
    else:
        day = datetime.date(when.year, when.month, when.day)
        text = format_date(day, "long", locale=loc)
        if loc.language == "fr" and day.day == 1:
            # CLDR has no ordinal days: French writes "1er juillet", not "1 juillet".
            text = "1er" + text[1:]
    if not phrase:
        return text
    pattern = PHRASES.get(loc.language, PHRASES["en"])[precision]
    if isinstance(pattern, dict):
        pattern = pattern[when.season]
    # "à l'" + "automne": the article elides before the season's vowel.
    return pattern.format(text)


def iso_date(value) -> str:
    """The ``<time datetime>`` form of a date (``2025-autumn`` → ``2025``); other text as is."""
    when = parse_date(value)
    return when.iso if when else str(value)


def sort_key(value) -> str:
    """A date's sort key (see ``When.sort_key``); ``""`` for no date, text as it is."""
    if not value:
        return ""
    when = parse_date(value)
    return when.sort_key if when else str(value)


def join(items, language: str | None = None, style: str = "standard") -> str:
    """Join words as the language does: ``a, b et c`` (fr), ``a, b and c`` (en)."""
    items = [str(item) for item in items]
    return format_list(items, style=style, locale=locale(language)) if items else ""


def language_name(code: str, language: str | None = None) -> str:
    """Name a language in the reader's language: ``en`` → ``anglais`` (fr), ``English`` (en)."""
    if not code:
        return ""
    return locale(language).languages.get(code, code)
