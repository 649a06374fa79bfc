"""How money, ranges, counts, dates and times read, in Chinese and in English.

One place, so that a budget reads the same on a card, in an e-mail, in an export and in the
API documentation. Amounts are stored in units of 10,000 yuan (万元), as the source platforms
quote them; Chinese shows them in 万元 or 亿元, English in whole yuan ("CNY 350,000"), because
"×10k CNY" makes a reader multiply. A range whose ends are equal is one value ("35 万元", never
"35–35 万元"); a range with one end is open ("≥ 50 万元").

Times are stored naive in UTC. They are shown in BABEL_DEFAULT_TIMEZONE (Asia/Shanghai unless
the DISPLAY_TIMEZONE environment variable says otherwise), with the zone named ("UTC+8") where
a reader could take it for another: the editor's "last changed", the moderation queue,
exports. Everything goes through Flask-Babel, so an e-mail rendered under its recipient's
forced locale formats for that recipient.
"""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from flask_babel import format_datetime as babel_format_datetime
from flask_babel import format_decimal, get_locale, get_timezone, gettext, ngettext, to_user_timezone

WAN = 10_000  # yuan in one 万
YI_IN_WAN = 10_000  # 万 in one 亿
RANGE_DASH = "–"


def _is_english() -> bool:
    locale = get_locale()
    return bool(locale and locale.language == "en")


def _number(value) -> str:
    """A number with the locale's group separator and at most two decimals (1,200 · 1.5)."""
    return format_decimal(Decimal(str(value)), format="#,##0.##")


def _zh_parts(amount_wan) -> tuple[str, str]:
    """(number, unit) for Chinese: 亿元 from 10,000 万 on, 万元 below."""
    if abs(amount_wan) >= YI_IN_WAN:
        return _number(Decimal(str(amount_wan)) / YI_IN_WAN), "亿元"
    return _number(amount_wan), "万元"


def _en_number(amount_wan) -> str:
    return _number(Decimal(str(amount_wan)) * WAN)


def _amount(value):
    """A number, or None for anything else (None, a template's undefined variable)."""
    return value if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool) else None


def money(amount_wan) -> str:
    """One amount held in 万元: "35 万元", "1.5 亿元"; "CNY 350,000" in English. None → ""."""
    amount_wan = _amount(amount_wan)
    if amount_wan is None:
        return ""
    if _is_english():
        return f"CNY {_en_number(amount_wan)}"
    number, unit = _zh_parts(amount_wan)
    return f"{number} {unit}"


def money_range(low, high, empty: str | None = None) -> str:
    """A budget or price range held in 万元.

    Equal ends read as one value; one missing end makes an open range ("≥ 50 万元",
    "≤ 80 万元"); both missing give `empty` (default: "To be discussed").
    """
    low, high = _amount(low), _amount(high)
    if low is None and high is None:
        return gettext("To be discussed") if empty is None else empty
    if low is None:
        return f"≤ {money(high)}"
    if high is None:
        return f"≥ {money(low)}"
    if low == high:
        return money(low)
    if _is_english():
        return f"CNY {_en_number(low)}{RANGE_DASH}{_en_number(high)}"
    (low_number, low_unit), (high_number, high_unit) = _zh_parts(low), _zh_parts(high)
    if low_unit == high_unit:
        return f"{low_number}{RANGE_DASH}{high_number} {high_unit}"
    return f"{low_number} {low_unit} {RANGE_DASH} {high_number} {high_unit}"


def zone_label(value: datetime | None = None) -> str:
    """The display zone as an offset from UTC ("UTC+8"), read the same way in both languages."""
    zone = get_timezone()
    offset = zone.utcoffset(value or datetime.now(timezone.utc).replace(tzinfo=None)) if zone else timedelta(0)
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours}" + (f":{rest:02d}" if rest else "")


def local_datetime(value: datetime | None, with_zone: bool = False, seconds: bool = False) -> str:
    """A stored (UTC) time in the display zone: "2026-12-03 21:30", + " UTC+8" with `with_zone`."""
    if value is None:
        return ""
    text = babel_format_datetime(value, "yyyy-MM-dd HH:mm:ss" if seconds else "yyyy-MM-dd HH:mm")
    return f"{text} {zone_label(value)}" if with_zone else text


def local_date(value: date | datetime | None) -> str:
    """A calendar date; a stored time becomes the date in the display zone (an item edited at
    01:00 Beijing time was edited "today" there, though UTC still says yesterday)."""
    if value is None:
        return ""
    if isinstance(value, datetime):
        return to_user_timezone(value).date().isoformat()
    return value.isoformat()


def iso_local(value: datetime | None) -> str:
    """An ISO 8601 time with its offset for `<time datetime=...>` and exports."""
    if value is None:
        return ""
    return to_user_timezone(value).isoformat(timespec="minutes")


def count(number: int, singular: str, plural: str) -> str:
    """`ngettext` for Python callers: "1 demand", "2 demands" (Chinese has one form)."""
    return ngettext(singular, plural, number)


FILTERS = {
    "money": money,
    "local_datetime": local_datetime,
    "local_date": local_date,
    "iso_local": iso_local,
}
GLOBALS = {"money_range": money_range, "money": money, "zone_label": zone_label}
