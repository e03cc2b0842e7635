"""Typed API shapes of the demand app (job orders and import batches)."""


from datetime import date, datetime
from decimal import Decimal

from ninja import Schema


class JobOrderFilters(Schema):
    programme: str | None = None
    fiscal_year: int | None = None
    subdivision: str | None = None
    occupation: str | None = None
    employer: str | None = None
    source: str | None = None
    status: str | None = None
    primary_only: bool | None = None


class JobOrderOut(Schema):
    id: int
    source: str
    source_key: str
    line: int
    programme: str
    fiscal_year: int
    quarter: int | None
    is_primary: bool
    association_role: str
    employer_id: int | None
    employer_name: str
    trade_name: str
    country: str
    worksite_subdivision: str | None
    worksite_city: str
    job_title: str
    occupation_system: str
    occupation_code: str
    occupation_title: str
    isco_code: str
    positions_requested: int | None
    positions_certified: int | None
    begin_date: date | None
    end_date: date | None
    wage_rate: Decimal | None
    wage_unit: str
    wage_currency: str
    wage_hourly: Decimal | None
    status_category: str
    is_synthetic: bool

    # Job orders come as model instances (lists) or as dicts already holding these keys (detail).
    @staticmethod
    def resolve_country(obj):
        return obj["country"] if isinstance(obj, dict) else obj.country_id

    @staticmethod
    def resolve_worksite_subdivision(obj):
        return obj["worksite_subdivision"] if isinstance(obj, dict) else obj.worksite_subdivision_id


class WorksiteOut(Schema):
    name: str
    address: str
    city: str
    county: str
    subdivision: str | None
    postal_code: str
    area: str
    positions: int | None
    begin_date: date | None
    end_date: date | None
    wage_from: Decimal | None
    wage_to: Decimal | None
    wage_unit: str
    source_file: str
    source_row: int


class HousingOut(Schema):
    housing_type: str
    address: str
    city: str
    county: str
    subdivision: str | None
    postal_code: str
    units: int | None
    occupancy: int | None
    standards: str
    source_file: str
    source_row: int


class CropOut(Schema):
    activity: str
    wage_offer: Decimal | None
    wage_unit: str
    piece_rate_notes: str
    source_file: str
    source_row: int


class JobOrderDetailOut(JobOrderOut):
    job_order_number: str
    primary_rule: str
    employer_address: str
    employer_city: str
    employer_state: str
    employer_postal_code: str
    worksite_county: str
    worksite_postal_code: str
    isco_method: str
    isco_alternatives: list[str]
    naics_code: str
    primary_crop: str
    hours_per_week: Decimal | None
    experience_months: int | None
    education_level: str
    training_months: int | None
    special_requirements: str
    housing_provided: bool | None
    housing_summary: str
    case_status: str
    received_date: date | None
    decision_date: date | None
    extra: dict
    source_file: str
    source_row: int
    batch_id: int | None
    worksites: list[WorksiteOut]
    housing: list[HousingOut]
    crops: list[CropOut]


class ImportBatchOut(Schema):
    id: int
    kind: str
    source: str
    country: str
    file_name: str
    file_sha256: str
    file_size: int
    layout: str
    period_label: str
    is_partial_period: bool
    status: str
    phase: str
    rows_total: int
    rows_done: int
    rows_created: int
    rows_updated: int
    rows_unchanged: int
    rows_rejected: int
    rows_warned: int
    error: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    duration_seconds: float
    summary: dict


class RejectedRowOut(Schema):
    row_number: int
    severity: str
    source_key: str
    column: str
    reason: str
    values: dict
