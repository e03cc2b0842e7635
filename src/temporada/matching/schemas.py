"""Typed shapes of `/api/v1/matching/`. Inputs carry the same field names as the page forms (they are validated
by those forms); outputs show identities only where the pages do."""

from datetime import date, datetime
from typing import Any, Literal

from ninja import Field, Schema


class RunParamsIn(Schema):
    origin: str | None = Field(None, description="ISO3 origin country (default: the caller's only country)")
    population: Literal["real", "synthetic"] = "real"
    required_languages: list[str] = []
    preferred_languages: list[str] = []
    availability_slack_days: int | None = None
    min_occupation_level: int | None = Field(None, description="1 major group … 4 unit group")
    experience_level: int | None = None
    weight_occupation: float | None = None
    weight_experience: float | None = None
    weight_participation: float | None = None
    weight_language: float | None = None
    weight_preference: float | None = None


class ShortlistIn(RunParamsIn):
    job_order: int
    top: int = 25
    plan_next_season: bool = Field(False, description="Plan the next season of an order that has already begun")
    isco_code: str = Field("", description="ISCO-08 unit code for this search (needed when the order has none)")
    sexes: list[str] = []
    regions: list[str] = []
    min_age: int | None = None
    max_age: int | None = None
    min_good_returns: int | None = None
    must_speak: list[str] = []


class SeasonIn(RunParamsIn):
    window_from: date
    window_to: date
    programme: str = ""
    destination: str = ""
    fairness_attribute: Literal["", "sex", "region"] = ""
    fairness_values: list[str] = []
    fairness_min_share: float | None = Field(None, description="percent")
    fairness_max_share: float | None = Field(None, description="percent")
    fairness_scope: Literal["run", "order"] = "run"
    multiple_orders: bool = False
    solver: Literal["auction", "flow"] = "auction"
    seed: int = 0


class DecisionIn(Schema):
    decision: Literal["accept", "reject"]
    reason: str = ""


class WithdrawIn(Schema):
    reason: str


class ReleaseIn(Schema):
    proposals: list[int] | None = Field(None, description="Proposal ids; omitted: every accepted proposal of the run")


class FunnelStepOut(Schema):
    stage: str
    label: str
    remaining: int


class RunOut(Schema):
    id: int
    kind: str
    status: str
    reason: str
    reason_text: str
    origin: str
    programme: str
    destination: str | None
    job_order: int | None
    begin_date: date | None
    end_date: date | None
    is_projection: bool
    projection: str
    is_synthetic: bool
    proposal_count: int
    objective: int
    phase: str
    progress: int
    engine_version: str
    created_at: datetime
    finished_at: datetime | None
    duration_seconds: float


class RunDetailOut(RunOut):
    parameters: dict[str, Any] | None
    funnel: list[FunnelStepOut] | None
    stats: dict[str, Any] | None


class IdentityOut(Schema):
    worker_id: int
    given_names: str
    family_names: str
    birth_date: date
    sex: str | None
    passport_last4: str


class ProposalOut(Schema):
    id: int
    run: int
    job_order: int
    job_order_key: str
    programme: str
    destination: str
    begin_date: date
    end_date: date
    is_projection: bool
    rank: int
    pseudonym: str
    state: str
    score: float
    factors: dict[str, float]
    explanation: str
    worker_isco: str
    job_isco: str
    isco_level: int
    relevant_years: float
    good_returns: int
    prior_seasons: int
    languages: list[str]
    region: str
    decided_at: datetime | None
    released_at: datetime | None
    identity: IdentityOut | None


class ReleasedOut(Schema):
    released: int


class SummaryRowOut(Schema):
    origin: str
    kind: str
    runs: int | None
    proposed: int | None
    accepted: int | None
    rejected: int | None
    released: int | None
    withdrawn: int | None


class ErrorOut(Schema):
    detail: str


class InvalidOut(Schema):
    detail: str
    errors: dict[str, list[str]]
