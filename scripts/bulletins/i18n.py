"""Language helpers: localized dates (Babel), Vietnamese alphabetical order, and the
đ→d folding that search needs (Đ/đ have no Unicode decomposition)."""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from dataclasses import dataclass

from babel.dates import format_date
from babel.numbers import format_decimal

# Vietnamese alphabet: base letters in dictionary order; tones ordered as dictionaries do
# (none, grave, hook, tilde, acute, dot below).
_ALPHABET = "a ă â b c d đ e ê f g h i j k l m n o ô ơ p q r s t u ư v w x y z".split()
_LETTER_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_VOWEL_MARKS = {"\u0306", "\u0302", "\u031b"}  # breve (ă), circumflex (â ê ô), horn (ơ ư)


# How readers write a date in lists and facts: the Vietnamese press writes "4/8/2025"
# (running text adds "ngày"), French "4 août 2025".
DATE_PATTERNS = {"vi": "d/M/y", "fr": "long"}
MONTH_PATTERNS = {"vi": "'tháng' M/y", "fr": "MMMM y"}  # "tháng 8/2025", "août 2025"


@functools.cache
def format_day(day: dt.date, lang: str) -> str:
    """'4/8/2025' / '4 août 2025' (cached: Babel is slow and dates repeat)."""
    return format_date(day, DATE_PATTERNS[lang], locale=lang)


def format_number(value, lang: str) -> str:
    """'6.600' / '6\u202f600', '1.234,5' / '1\u202f234,5': Babel's patterns for the language."""
    return format_decimal(value, locale=lang)


@dataclass(frozen=True)
class Locale:
    """How one language writes dates and numbers: the page, the feed and the search
    index print a fact through the same object."""

    lang: str

    def date(self, day: dt.date) -> str:
        return format_day(day, self.lang)

    def month(self, day: dt.date) -> str:
        return format_date(day, MONTH_PATTERNS[self.lang], locale=self.lang)

    def number(self, value) -> str:
        return format_number(value, self.lang)


def vietnamese_key(text: str) -> tuple:
    """Sort key in Vietnamese order: letters first (Đ after D, Ơ after Ô), then tones."""
    letters, tones = [], []
    for char in text.lower():
        decomposed = unicodedata.normalize("NFD", char)
        base = decomposed[0]
        marks = decomposed[1:]
        letter = unicodedata.normalize("NFC", base + "".join(m for m in marks if m in _VOWEL_MARKS))
        tone = next((_TONES[m] for m in marks if m in _TONES), 0)
        letters.append(_LETTER_RANK.get(letter, 100 + ord(letter[0])) if letter.strip() else -1)
        tones.append(tone)
    return tuple(letters), tuple(tones)


def sort_key(text: str, lang: str) -> tuple:
    """Vietnamese order on the Vietnamese side; plain ASCII order on the French side."""
    return vietnamese_key(text) if lang == "vi" else (fold(text).lower(), text)


def fold(text: str) -> str:
    """Remove every diacritic, đ and Đ included: 'Đông Kinh' → 'Dong Kinh'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def slugify(value: str, separator: str = "-") -> str:
    """Heading ids for Python-Markdown's toc: 'Phường Đông Kinh' → 'phuong-dong-kinh'
    (the default slugify drops Đ, which has no decomposition)."""
    return re.sub(r"[^a-z0-9]+", separator, fold(value).lower()).strip(separator)
