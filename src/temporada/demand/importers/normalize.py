"""Normalised values derived from what a file publishes: pay unit, hourly wage, case status group,
worksite state or province. The published value is always kept next to the derived one.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from ..models import JobOrder

STANDARD_WEEK = Decimal(40)

# Spellings of pay units across OFLC (HR, MTH, BI, DAI…), SeasonalJobs and the new forms.
UNIT_ALIASES = {
    "hour": "hour", "hr": "hour", "hourly": "hour", "per hour": "hour", "hours": "hour",
    "week": "week", "wk": "week", "weekly": "week",
    "bi-weekly": "biweekly", "biweekly": "biweekly", "bi weekly": "biweekly", "bi": "biweekly", "bw": "biweekly",
    "month": "month", "mth": "month", "monthly": "month", "mo": "month",
    "year": "year", "yr": "year", "annual": "year", "annually": "year", "yearly": "year",
    "day": "day", "dai": "day", "daily": "day",
    "piece rate": "piece", "piece": "piece", "piece-rate": "piece",
}

# Outside this band an "hourly" figure is a typo in the source (e.g. 9388 for 9.38), not a wage.
PLAUSIBLE_HOURLY = (Decimal("0.50"), Decimal("500"))


# The web form's placeholder, published when the employer chose no unit.
NO_UNIT = {"", "select pay range", "select", "n/a", "na", "none"}


def pay_unit(published: str) -> str:
    """Canonical unit (hour, week, biweekly, month, year, day, piece) or '' when the file gives none."""
    return UNIT_ALIASES.get(" ".join(published.lower().split()), "")


def hourly_wage(rate: Decimal | None, unit: str, hours_per_week: Decimal | None) -> tuple[Decimal | None, str]:
    """Rate per hour and, when it could not be computed, why. Hours per week come from the job order
    when it gives them, otherwise a 40-hour week (2,080 hours a year, 8 hours a day) is assumed."""
    if rate is None:
        return None, ""
    canonical = pay_unit(unit)
    if canonical == "piece":
        return None, "piece rate: no hourly equivalent"
    if not canonical:
        return None, "no pay unit" if " ".join(unit.lower().split()) in NO_UNIT else f"unknown pay unit {unit!r}"
    week = hours_per_week if hours_per_week and hours_per_week > 0 else STANDARD_WEEK
    if canonical == "hour":
        hourly = rate
    elif canonical == "week":
        hourly = rate / week
    elif canonical == "biweekly":
        hourly = rate / (2 * week)
    elif canonical == "month":
        hourly = rate * 12 / (52 * week)
    elif canonical == "year":
        hourly = rate / (52 * week)
    else:  # day
        hourly = rate / (week / 5)
    hourly = hourly.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    low, high = PLAUSIBLE_HOURLY
    if not low <= hourly <= high:
        return None, f"hourly equivalent {hourly} is implausible: not normalised"
    return hourly, ""


Status = JobOrder.StatusCategory


def status_category(published: str) -> str:
    """Group the many spellings of case status ('Certified - Full', 'DETERMINATION ISSUED - PARTIAL
    CERTIFICATION EXPIRED', 'Acceptance Issued'…) into the model's categories."""
    value = published.lower()
    if not value:
        return Status.OTHER
    if "withdrawn" in value:
        return Status.WITHDRAWN
    if "denied" in value or "rejected" in value:
        return Status.DENIED
    if "partial" in value:
        return Status.PARTIAL
    if "pending" in value or "acceptance" in value or "in review" in value:
        return Status.PENDING
    if "certif" in value or "approved" in value or "positive" in value:
        return Status.CERTIFIED
    return Status.OTHER


class SubdivisionLookup:
    """Published state/province -> core.Subdivision code, for one country: 2-letter code or full name,
    in any case ('CA', 'CALIFORNIA', 'California')."""

    EXTRA_NAMES = {
        "US": {"VIRGIN ISLANDS": "VI", "U.S. VIRGIN ISLANDS": "VI", "WASHINGTON DC": "DC", "WASHINGTON, DC": "DC",
               "NORTHERN MARIANA ISLANDS": "MP"},
        "CA": {"QUÉBEC": "QC", "YUKON TERRITORY": "YT"},
    }

    def __init__(self, country_iso2: str):
        from temporada.core.models import Subdivision

        self.country_iso2 = country_iso2
        self.by_key: dict[str, str] = {}
        for code, short, name_en, name_es, name_fr in Subdivision.objects.filter(
            country__iso2=country_iso2
        ).values_list("code", "short_code", "name_en", "name_es", "name_fr"):
            self.by_key[short.upper()] = code
            for name in (name_en, name_es, name_fr):
                self.by_key.setdefault(" ".join(name.upper().split()), code)
        for name, short in self.EXTRA_NAMES.get(country_iso2, {}).items():
            if short.upper() in self.by_key:
                self.by_key.setdefault(name, self.by_key[short.upper()])

    def __call__(self, published: str) -> str | None:
        key = " ".join(published.upper().split())
        return self.by_key.get(key) or self.by_key.get(key.replace(".", "").replace(",", ""))
