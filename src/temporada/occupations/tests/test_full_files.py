"""The whole official files: publisher totals, idempotency and LMIA coverage (slow: a few seconds each)."""

import csv
from collections import Counter

import pytest
from django.db.models import Count

from temporada.core.bootstrap import data_path
from temporada.occupations import bootstrap
from temporada.occupations.coverage import lmia_coverage
from temporada.occupations.models import (
    CrosswalkLink,
    EscoOccupation,
    IscoGroup,
    LinkMethod,
    NocGroup,
    OnetOccupation,
    SocOccupation,
    System,
)
from temporada.occupations.queries import Method, clear_caches

pytestmark = pytest.mark.slow


def _levels(model, **filters):
    return dict(model.objects.filter(**filters).values_list("level").annotate(n=Count("pk")).order_by("level"))


@pytest.mark.django_db
def test_full_load_matches_the_publishers_totals_and_is_idempotent():
    clear_caches()
    first = bootstrap.load_all()
    assert _levels(IscoGroup) == {1: 10, 2: 43, 3: 130, 4: 436}
    assert EscoOccupation.objects.count() == 2942
    assert _levels(SocOccupation) == {1: 23, 2: 98, 3: 459, 4: 867}
    assert _levels(NocGroup, version="2021") == {1: 10, 2: 45, 3: 89, 4: 162, 5: 516}
    assert NocGroup.objects.filter(version="2021").count() == 822
    assert NocGroup.objects.filter(version="2011").count() == 476  # distinct NOC 2011 codes in the LMIA lists (and blanks)
    links = Counter(CrosswalkLink.objects.values_list("source_system", "target_system"))
    assert links[(System.SOC2010, System.ISCO08)] == 1131
    assert links[(System.ONETSOC2010, System.SOC2018)] == 1170
    assert links[(System.ONETSOC2019, System.SOC2018)] == 1016
    assert links[(System.SOC2018, System.ISCO08)] == 1343 - 2
    assert OnetOccupation.objects.filter(version="2019").count() == 1016
    assert [where for where, _reason in first.rejected] == [
        "soc2018_isco08_derived_via_soc2010.csv line 252 (19-1020)",
        "soc2018_isco08_derived_via_soc2010.csv line 544 (29-2055)",
    ]
    manual = CrosswalkLink.objects.filter(method=LinkMethod.MANUAL)
    with bootstrap.MANUAL_NOC_TABLE.open(encoding="utf-8") as handle:
        expected = sum(len(row["isco08_codes"].split()) * sum(bool(row[f"noc{v}_code"]) for v in ("2011", "2021"))
                       for row in csv.DictReader(handle))
    assert manual.count() == expected

    ids = sorted(NocGroup.objects.values_list("pk", flat=True))
    second = bootstrap.load_all()
    assert second.counts == first.counts and second.rejected == first.rejected
    assert sorted(NocGroup.objects.values_list("pk", flat=True)) == ids  # updated in place, not recreated

    coverage = lmia_coverage()
    totals = {version: sum(counts.values()) for version, counts in coverage.positions.items()}
    assert totals == {"NOC 2011": 1_002_825, "NOC 2021": 160_722}  # all 1,163,547 approved positions
    for version in totals:
        assert coverage.share(version, Method.MANUAL) > 0.9
        assert coverage.share(version, Method.MANUAL, Method.TITLE_MATCH) > coverage.share(version, Method.MANUAL)


def test_derived_soc2018_table_is_the_composition_of_the_two_official_tables():
    """The vendored SOC 2018→ISCO file equals O*NET-SOC 2010→SOC 2018 followed by SOC 2010→ISCO (BLS/IBS)."""
    def rows(*parts):
        with data_path(*parts).open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.DictReader(handle))

    official = {}
    for row in rows(*bootstrap.SOC2010_ISCO):
        official.setdefault(row["soc2010_code"], set()).add(row["isco08_code"])
    composed = set()
    for row in rows("occupations", "crosswalks", "onet_soc2010_to_soc2018_crosswalk.csv"):
        for isco in official.get(row["onetsoc2010_code"][:7], {""}):
            composed.add((row["soc2018_code"], row["onetsoc2010_code"][:7], isco))
    derived = {(r["soc2018_code"], r["soc2010_code"], r["isco08_code"]) for r in rows(*bootstrap.SOC2018_ISCO)}
    assert derived == composed
