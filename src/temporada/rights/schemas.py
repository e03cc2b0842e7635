from datetime import date
from decimal import Decimal

from ninja import Schema


class ErrorOut(Schema):
    # A sentence from our own checks, or the list of field errors when the parameters fail their types.
    detail: str | list[dict]
    errors: dict[str, list[str]] = {}


class SourcedText(Schema):
    text: str
    source_url: str
    source_title: str
    checked_on: date | None = None


class StepOut(Schema):
    order: int
    title: str
    office: str
    documents: str
    fees: str
    fee_payer: str
    typical_time: str
    where: str
    source_url: str | None = None


class FinderMatchOut(Schema):
    programme: str
    name: str
    destination: str
    open: bool
    needs_check: bool
    reasons: list[str]
    warnings: list[str]
    fee_rules: list[SourcedText]
    where: list[SourcedText]
    family: str
    steps: list[StepOut]
    rights_url: str
    official_url: str


class FinderOut(Schema):
    open: list[FinderMatchOut]
    closed: list[FinderMatchOut]


class VerifyIn(Schema):
    programme: str = ""
    case_number: str = ""
    employer_name: str = ""
    subdivision: str = ""
    city: str = ""
    begin_date: date | None = None
    end_date: date | None = None
    fee_amount: Decimal | None = None
    contacted_by: str = ""


class FindingOut(Schema):
    check: str
    failed: bool
    message: str


class OrderOut(Schema):
    programme: str
    case_number: str
    status: str
    subdivision: str
    city: str
    begin_date: date | None
    end_date: date | None
    positions: int | None
    fiscal_year: int
    source: str
    official_url: str
    employer_matches: bool | None


class CoverageOut(Schema):
    source: str
    label: str
    rows: int
    first_year: int | None
    last_year: int | None


class VerifyOut(Schema):
    outcome: str
    findings: list[FindingOut]
    orders: list[OrderOut]
    fee_forbidden: bool
    fee_rules: list[SourcedText]
    coverage: list[CoverageOut]


class StatementOut(Schema):
    slug: str
    topic: str
    destination: str
    programmes: list[str]
    text: str
    source_url: str
    source_title: str
    source_is_official: bool
    checked_on: date


class ContactOut(Schema):
    slug: str
    kind: str
    name: str
    note: str
    operator: str
    nationality: str | None
    destination: str
    subdivision: str | None
    city: str
    address: str
    phone: str
    website: str
    source_url: str
    checked_on: date
