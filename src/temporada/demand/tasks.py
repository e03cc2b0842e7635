"""Background tasks of the demand app (django-tasks; the database backend's worker runs them)."""

from django_tasks import task


@task()
def import_batch(batch_id: int) -> str:
    """Import an uploaded official file queued as ``batch_id``."""
    from .services import run_queued_batch

    return run_queued_batch(batch_id)


@task()
def resolve_batch_employers(batch_id: int) -> str:
    """Attach employers to the job orders of a batch imported with deferred resolution (default data)."""
    from .services import resolve_employers_of_batch

    return resolve_employers_of_batch(batch_id)
