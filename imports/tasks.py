"""The background task that runs an import (django-tasks; the database backend's `db_worker`
runs it outside the web request)."""

from django_tasks import task

from imports.services import import_run_execute


@task()
def import_run_task(run_id: int) -> None:
    import_run_execute(run_id=run_id)
