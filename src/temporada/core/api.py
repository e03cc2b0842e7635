from ninja import Router, Schema

from .i18n import translated_value
from .models import Country, Subdivision

router = Router(tags=["reference"])


class CountryOut(Schema):
    iso3: str
    iso2: str
    numeric: str
    name: str
    name_es: str
    name_en: str
    name_fr: str
    is_rcm_member: bool


class SubdivisionOut(Schema):
    code: str
    country: str
    short_code: str
    kind: str
    name: str


@router.get("/countries", response=list[CountryOut], summary="ISO countries (RCM members flagged)")
def countries(request, rcm_only: bool = False):
    qs = Country.objects.restrict(request.user)
    if rcm_only:
        qs = qs.filter(is_rcm_member=True)
    return [
        CountryOut(iso3=c.iso3, iso2=c.iso2, numeric=c.numeric, name=translated_value(c, "name"), name_es=c.name_es,
                   name_en=c.name_en, name_fr=c.name_fr, is_rcm_member=c.is_rcm_member)
        for c in qs
    ]


@router.get("/subdivisions", response=list[SubdivisionOut], summary="Subdivisions of one country")
def subdivisions(request, country: str):
    qs = Subdivision.objects.restrict(request.user).filter(country__iso3=country.upper()[:3])
    return [
        SubdivisionOut(code=s.code, country=s.country_id, short_code=s.short_code, kind=s.kind, name=translated_value(s, "name"))
        for s in qs
    ]
