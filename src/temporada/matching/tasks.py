"""Background tasks of the matching app (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def season_run_task(run_id: int) -> str:
    """Compute the season run queued as ``run_id`` and save its proposals."""
    from .services import execute_season_run

    return execute_season_run(run_id)
