"""Default data: the steps `temporada setup` runs, and the employers of a deferred load attached afterwards."""

import pytest

from temporada.demand.bootstrap import DEFAULT_FILES, steps
from temporada.demand.models import ImportBatch, JobOrder

from .conftest import LMIA, real, slice_csv


def test_default_data_is_the_latest_full_years_the_snapshot_and_the_lmia_lists():
    by_name = {step.name: step for step in steps()}
    assert set(by_name) == {"demand.h2a_fy2017", "demand.h2b_fy2019", "demand.seasonaljobs", "demand.lmia",
                            "demand.cubes"}
    assert list(by_name)[-1] == "demand.cubes"  # after every import
    for step in by_name.values():
        assert step.fingerprint()  # every vendored input exists
    assert {kind for _name, kind, _parts in DEFAULT_FILES} == {"oflc-h2a", "oflc-h2b", "seasonaljobs-csv", "lmia"}


@pytest.mark.django_db
def test_deferred_employers_are_attached_by_the_background_task(reference, run, tmp_path, settings,
                                                                django_capture_on_commit_callbacks):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    path = slice_csv(real(*LMIA), tmp_path / "lmia.csv.gz", first=60)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        batch = run("lmia", path, defer_employers=True)
    assert batch.summary["employers"] == "queued"
    assert not JobOrder.objects.filter(batch=batch, employer__isnull=False).exists()
    for callback in callbacks:
        callback()
    named = JobOrder.objects.filter(batch=batch).exclude(employer_name="")
    assert named.count() == 60 and not named.filter(employer__isnull=True).exists()
    assert ImportBatch.objects.get(pk=batch.pk).summary["employers"] == "resolved"
    # the worker brought the dashboard cubes up to date: no visitor's request rebuilds them
    from temporada.demand.aggregates import cubes_ready

    assert cubes_ready(False)


@pytest.mark.django_db
def test_cube_step_builds_the_cubes_once(reference, run, tmp_path):
    from temporada.demand.aggregates import cubes_ready
    from temporada.demand.models import DemandCube

    run("lmia", slice_csv(real(*LMIA), tmp_path / "lmia.csv.gz", first=40))
    cube_step = {step.name: step for step in steps()}["demand.cubes"]
    assert not cubes_ready(False)
    assert cube_step.load() > 0 and cubes_ready(False)
    rows = DemandCube.objects.count()
    assert cube_step.load() == 0 and DemandCube.objects.count() == rows
