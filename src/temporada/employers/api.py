"""`/api/v1/employers/`: employers resolved across sources, their aliases, totals and job orders."""

from datetime import date

from django.http import Http404
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from temporada.core.restrict import get_restricted_or_404

from .forms import EmployerSearchForm
from .models import Employer
from .queries import alias_list, job_orders_for, page_totals, search_employers, totals_by_programme_year

router = Router(tags=["employers"])


class EmployerOut(Schema):
    id: int
    name: str
    normalized_name: str
    country: str
    subdivision: str | None
    city: str
    postal_code: str
    manually_reviewed: bool
    job_orders: int = Field(description="Job orders counted the official way (primary rows)")
    positions_certified: int = Field(description="Certified / approved positions of those job orders")


class AliasOut(Schema):
    id: int
    kind: str
    name: str
    normalized_name: str
    address: str
    city: str
    state: str
    postal_code: str
    source: str
    first_seen_year: int | None
    last_seen_year: int | None
    resolution: str = Field(description="Rule that attached the alias, or manual-merge / manual-split")
    matched_alias: int | None


class TotalOut(Schema):
    programme: str
    fiscal_year: int
    job_orders: int
    positions_requested: int
    positions_certified: int
    positions_certified_all_rows: int = Field(
        description="Certified positions summed over every row, association member rows included")


class EmployerDetailOut(EmployerOut):
    address: str
    aliases: list[AliasOut]
    totals: list[TotalOut]


class JobOrderOut(Schema):
    id: int
    source: str
    source_key: str
    line: int
    programme: str
    fiscal_year: int
    is_primary: bool
    employer_name: str
    job_title: str
    worksite_subdivision: str | None
    worksite_city: str
    occupation_code: str
    isco_code: str
    positions_requested: int | None
    positions_certified: int | None
    begin_date: date | None
    end_date: date | None
    source_file: str
    source_row: int

    @staticmethod
    def resolve_worksite_subdivision(obj):
        return obj.worksite_subdivision_id


class EmployerFilters(Schema):
    q: str | None = Field(None, max_length=120, description="Words of the name or of any alias")
    country: str | None = Field(None, description="ISO3 code of the destination country (USA, CAN)")
    subdivision: str | None = Field(None, description="ISO 3166-2 code, e.g. US-GA, CA-ON")


def _out(e, totals) -> dict:
    t = totals.get(e.pk, {})
    return {
        "id": e.pk, "name": e.name, "normalized_name": e.normalized_name, "country": e.country_id,
        "subdivision": e.subdivision_id, "city": e.city, "postal_code": e.postal_code,
        "manually_reviewed": e.manually_reviewed, "job_orders": t.get("job_orders") or 0,
        "positions_certified": t.get("positions") or 0,
    }


class _TotalsPagination(LimitOffsetPagination):
    """Limit/offset pages whose items get their totals in one query per page."""

    def paginate_queryset(self, queryset, pagination, request, **params):
        page = super().paginate_queryset(queryset, pagination, request, **params)
        items = list(page["items"])
        totals = page_totals(request.user, [e.pk for e in items])
        page["items"] = [_out(e, totals) for e in items]
        return page


@router.get("/employers", response=list[EmployerOut])
@paginate(_TotalsPagination)
def list_employers(request, filters: Query[EmployerFilters]):
    """Employers the caller may see, by name (any alias), country and state/province; invalid values: 422."""
    data = {k: v for k, v in filters.dict().items() if v}
    form = EmployerSearchForm(data)
    if not form.is_valid():
        raise ValidationError([{"loc": ["query", field], "msg": "; ".join(errors)}
                               for field, errors in form.errors.items()])
    cleaned = form.cleaned_data
    return search_employers(
        request.user, q=cleaned.get("q") or "", country=cleaned["country"].pk if cleaned.get("country") else "",
        subdivision=cleaned["subdivision"].pk if cleaned.get("subdivision") else "",
    ).order_by("name", "pk")


def _live(request, employer_id):
    employer = get_restricted_or_404(Employer.objects.all(), request.user, pk=employer_id)
    if employer.merged_into_id:
        raise Http404  # the page redirects; the API names only live employers
    return employer


@router.get("/employers/{employer_id}", response=EmployerDetailOut)
def get_employer(request, employer_id: int):
    """One employer with its aliases (and the rule that attached each) and totals per programme and year."""
    employer = _live(request, employer_id)
    totals = totals_by_programme_year(request.user, employer)
    out = _out(employer, page_totals(request.user, [employer.pk]))
    out["address"] = employer.address
    out["aliases"] = [{
        "id": a.pk, "kind": a.kind, "name": a.name, "normalized_name": a.normalized_name, "address": a.address,
        "city": a.city, "state": a.state, "postal_code": a.postal_code, "source": a.source,
        "first_seen_year": a.first_seen_year, "last_seen_year": a.last_seen_year, "resolution": a.resolution,
        "matched_alias": a.matched_alias_id,
    } for a in alias_list(employer)]
    out["totals"] = [{
        "programme": t["programme"], "fiscal_year": t["fiscal_year"], "job_orders": t["job_orders"],
        "positions_requested": t["requested"], "positions_certified": t["certified"],
        "positions_certified_all_rows": t["certified_all_rows"],
    } for t in totals]
    return out


@router.get("/employers/{employer_id}/job-orders", response=list[JobOrderOut])
@paginate(LimitOffsetPagination)
def employer_job_orders(request, employer_id: int):
    """All job orders of an employer, every source and year (association member rows flagged is_primary=false)."""
    employer = _live(request, employer_id)
    return job_orders_for(request.user).filter(employer=employer).order_by("-fiscal_year", "source", "source_key", "line")
