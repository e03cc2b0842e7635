"""Turning published cells into values. Spreadsheet readers hand back floats for anything that looks
numeric (ZIP 01701 becomes 1701.0, NAICS 111998 becomes 111998.0), dates as date/datetime objects or
as text in several spellings; CSV gives text. Every function here takes either and either returns the
value or raises ``CellError`` with a message that ends up in the rejected-rows report.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# Dates outside this window are source errors (a "2525" year, a 1900 placeholder), not job orders.
MIN_YEAR = 1990
MAX_YEARS_AHEAD = 6

EMPTY_MARKERS = {"", "n/a", "na", "none", "null", "nan", "(blank)", "-"}


class CellError(ValueError):
    """A value that cannot be read as what its column promises."""


def text(value) -> str:
    """Cell as text: integral floats lose their '.0' (codes and ZIPs), everything is stripped."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, float):
        if value != value:  # NaN
            return ""
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (date, time)):
        return value.isoformat()
    return str(value).strip()


def is_empty(value) -> bool:
    return text(value).lower() in EMPTY_MARKERS


def optional_text(value, max_length: int) -> str:
    """Text for a free-text column; placeholder values ('N/A', 'NA') become empty."""
    value = text(value)
    if value.lower() in EMPTY_MARKERS:
        return ""
    return value[:max_length]


def code(value, max_length: int = 20) -> str:
    """A classification code kept as published text ('45-2092', '0016', '111998')."""
    value = text(value)
    if value.lower() in EMPTY_MARKERS:
        return ""
    return value[:max_length]


def us_postal_code(value) -> str:
    """ZIP codes: a number that lost its leading zeros gets them back (1701 -> 01701, 12345678 -> 01234-5678)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        digits = text(value)
        if digits.isdigit():
            if len(digits) <= 5:
                return digits.zfill(5)
            if len(digits) <= 9:
                digits = digits.zfill(9)
                return f"{digits[:5]}-{digits[5:]}"
        return digits[:20]
    value = text(value)
    if value.lower() in EMPTY_MARKERS:
        return ""
    if value.isdigit() and len(value) < 5:
        return value.zfill(5)
    return value[:20]


_INT_TEXT = re.compile(r"^[+-]?\d{1,3}(,\d{3})+$|^[+-]?\d+$")


def count(value) -> int | None:
    """A number of workers, months or units: empty -> None; negative, fractional or non-numeric -> error."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise CellError("not a number")
    if isinstance(value, (int, float)):
        if value != value:
            return None
        if not float(value).is_integer():
            raise CellError(f"not a whole number: {text(value)}")
        number = int(value)
    else:
        raw = text(value)
        if raw.lower() in EMPTY_MARKERS:
            return None
        cleaned = raw
        if cleaned.endswith(".0"):
            cleaned = cleaned[:-2]
        if not _INT_TEXT.match(cleaned):
            raise CellError(f"not a whole number: {raw[:40]!r}")
        number = int(cleaned.replace(",", ""))
    if number < 0:
        raise CellError(f"negative count: {number}")
    if number > 2_000_000_000:
        raise CellError(f"count too large: {number}")
    return number


_MONEY = re.compile(r"^\$?\s*([+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?|[+-]?\.\d+)$")  # '$20.' is $20
CENT = Decimal("0.01")
MONEY_MAX = Decimal("9999999999.99")


def money(value) -> Decimal | None:
    """A wage amount: '$14.94', '1,234.50', 12.62 -> Decimal with 2 places; empty -> None."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value:
            return None
        amount = Decimal(repr(float(value)))
    else:
        raw = text(value)
        if raw.lower() in EMPTY_MARKERS:
            return None
        match = _MONEY.match(raw.replace(" ", ""))
        if not match:
            raise CellError(f"not an amount: {raw[:40]!r}")
        try:
            amount = Decimal(match.group(1).replace(",", "").rstrip(".") or "0")
        except InvalidOperation:
            raise CellError(f"not an amount: {raw[:40]!r}")
    if amount < 0:
        raise CellError(f"negative amount: {amount}")
    amount = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    if amount > MONEY_MAX:
        raise CellError(f"amount too large: {amount}")
    return amount


def decimal_hours(value) -> Decimal | None:
    """Hours per week (35, 40.0, '42.5'); empty -> None; negative or > 168 -> error."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        if value != value:
            return None
        hours = Decimal(repr(float(value)))
    else:
        raw = text(value)
        if raw.lower() in EMPTY_MARKERS:
            return None
        try:
            hours = Decimal(raw.replace(",", "."))
        except InvalidOperation:
            raise CellError(f"not a number of hours: {raw[:40]!r}")
    if hours < 0 or hours > 168:
        raise CellError(f"impossible hours per week: {hours}")
    return hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


_DATE_FORMATS = ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%Y/%m/%d", "%d-%b-%y", "%d-%b-%Y", "%b %d, %Y", "%Y%m%d")
_ISO_PREFIX = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]")
EXCEL_EPOCH = date(1899, 12, 30)


def plausible(day: date, *, today: date | None = None) -> bool:
    today = today or date.today()
    return MIN_YEAR <= day.year <= today.year + MAX_YEARS_AHEAD


def a_date(value, *, check_range: bool = True) -> date | None:
    """A date in any of the spellings the files use; empty -> None; unreadable or implausible -> error."""
    if value is None:
        return None
    if isinstance(value, datetime):
        day = value.date()
    elif isinstance(value, date):
        day = value
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        # A date cell stored as an Excel serial number.
        if value != value:
            return None
        if not 1 <= value < 2958466:
            raise CellError(f"not a date: {text(value)}")
        day = EXCEL_EPOCH + timedelta(days=int(value))
    else:
        raw = text(value)
        if raw.lower() in EMPTY_MARKERS:
            return None
        match = _ISO_PREFIX.match(raw)
        candidate = match.group(1) if match else raw
        day = None
        for fmt in _DATE_FORMATS:
            try:
                day = datetime.strptime(candidate, fmt).date()  # noqa: DTZ007 - calendar dates, no time zone
                break
            except ValueError:
                continue
        if day is None:
            raise CellError(f"not a date: {raw[:40]!r}")
    if check_range and not plausible(day):
        raise CellError(f"implausible date: {day.isoformat()}")
    return day


def yes_no(value) -> bool | None:
    raw = text(value).lower()
    if raw in ("y", "yes", "true", "1"):
        return True
    if raw in ("n", "no", "false", "0"):
        return False
    return None


def us_fiscal_year(day: date) -> int:
    """US federal fiscal year: 1 October to 30 September, named after the year it ends in."""
    return day.year + 1 if day.month >= 10 else day.year
