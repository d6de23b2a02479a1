"""Every write of an import: uploading a file (which starts a dry run), confirming a checked file
(which starts the import), and running either, in the background or from the command line.

A dry run checks every row and writes nothing but its own progress. An import reads the file
once, in one transaction: each chunk is checked against what is now in the database and written.
A problem at that point undoes everything, so a file is imported whole or not at all, and the
file is read again without writing, to report every problem it holds. Each run writes ONE audit
event with its counts, whoever ran it and however many rows it had."""

import contextlib
import logging
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection, connections, transaction
from django.utils import timezone

from core.audit import audit_record
from core.errors import RuleViolation
from imports.engine import CHUNK_SIZE, Importer, Problem, refresh_after_write
from imports.models import ImportRun
from imports.reading import FileRefused, count_rows, file_format, read_rows
from process.hooks import process_changed_cases

logger = logging.getLogger(__name__)

# The report shows the first problems; the count covers them all.
PROBLEMS_KEPT = 1000


class _Refused(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__("refused")
        self.problems = problems


def _store(agency, upload) -> Path:
    folder = Path(settings.THREEFOLD_UPLOAD_ROOT) / "imports" / str(agency.pk)
    folder.mkdir(parents=True, exist_ok=True, mode=0o750)
    path = folder / f"{uuid.uuid4().hex}.{file_format(upload.name)}"
    with open(path, "wb") as handle:
        for part in upload.chunks():
            handle.write(part)
    path.chmod(0o640)
    return path


def _enqueue(run: ImportRun) -> None:
    from imports.tasks import import_run_task

    transaction.on_commit(lambda: import_run_task.enqueue(run.pk))


@transaction.atomic
def import_upload(*, actor, kind: str, source_system: str, upload) -> ImportRun:
    """Keep the uploaded file and start its dry run in the background."""
    try:
        file_format(upload.name)
    except FileRefused as error:
        raise RuleViolation(str(error)) from error
    run = ImportRun.objects.create(
        agency_id=actor.agency_id,
        kind=kind,
        source_system=source_system.strip(),
        file_name=Path(upload.name).name[:255],
        stored_path=str(_store(actor.agency, upload)),
        dry_run=True,
        started_by=actor,
    )
    _enqueue(run)
    return run


@transaction.atomic
def import_confirm(*, actor, run: ImportRun) -> ImportRun:
    """Import a file whose dry run found no problem, once."""
    run = ImportRun.objects.select_for_update().get(pk=run.pk)
    if not run.dry_run or run.state != ImportRun.State.CHECKED:
        raise RuleViolation("Only a file whose check found no problem can be imported.")
    if ImportRun.objects.filter(checked_by_run=run).exists():
        raise RuleViolation("This file has already been imported: see its import below.")
    real = ImportRun.objects.create(
        agency_id=run.agency_id,
        kind=run.kind,
        source_system=run.source_system,
        file_name=run.file_name,
        stored_path=run.stored_path,
        dry_run=False,
        checked_by_run=run,
        rows_expected=run.rows_expected,
        started_by=actor,
    )
    _enqueue(real)
    return real


def import_file_start(*, actor, agency, kind, source_system, path, dry_run) -> ImportRun:
    """A run of a file already on disk (the command line), to be executed at once."""
    return ImportRun.objects.create(
        agency=agency,
        kind=kind,
        source_system=source_system.strip(),
        file_name=Path(path).name[:255],
        stored_path=str(Path(path).resolve()),
        dry_run=dry_run,
        started_by=actor,
    )


def _chunks(rows: Iterable) -> Iterable[list]:
    chunk = []
    for item in rows:
        chunk.append(item)
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


class _WritingProgress:
    """How far the write has gone, told while its transaction is still open. PostgreSQL lets a
    second connection commit it for the page to read; SQLite allows one writer at a time, so
    there the page shows the write as under way until it ends."""

    def __init__(self, run: ImportRun, on_progress):
        self.run, self.on_progress = run, on_progress
        self.side = None
        if connection.vendor == "postgresql":
            self.side = connections.create_connection("default")

    def __call__(self, rows_written: int) -> None:
        run = self.run
        run.rows_written = rows_written
        self._tell(
            "rows_read = %s, rows_valid = %s, rows_written = %s",
            [run.rows_read, run.rows_valid, rows_written],
        )

    @contextlib.contextmanager
    def waiting(self):
        """While another import of the same kind from the same source is being written."""
        self._state(ImportRun.State.WAITING)
        try:
            yield
        finally:
            self._state(ImportRun.State.WRITING)

    def _state(self, state) -> None:
        self.run.state = state
        self._tell("state = %s", [state])

    def _tell(self, assignments: str, values: list) -> None:
        if self.side is not None:
            with self.side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {ImportRun._meta.db_table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [*values, self.run.pk],
                )
        if self.on_progress:
            self.on_progress(self.run)

    def close(self) -> None:
        if self.side is not None:
            self.side.close()


def _save(run: ImportRun, *names: str) -> None:
    run.save(update_fields=list(names))


def _check(run: ImportRun, importer: Importer, rows, on_progress) -> list[dict]:
    kept = []
    for chunk in _chunks(rows):
        checked = importer.check(chunk)
        run.rows_read += len(checked)
        for row in checked:
            if row.problems:
                run.error_count += len(row.problems)
                kept.extend(p.as_dict() for p in row.problems[: PROBLEMS_KEPT - len(kept)])
            else:
                run.rows_valid += 1
                if row.existing is None:
                    run.created_count += 1
                elif row.existing[1] != row.fingerprint:
                    run.updated_count += 1
                else:
                    run.unchanged_count += 1
        run.errors = kept
        _save(run, "rows_read", "rows_valid", "error_count", "errors")
        if on_progress:
            on_progress(run)
    return kept


def _write(run: ImportRun, importer: Importer, rows, on_progress) -> None:
    """Check each chunk against the database as it is now and write it, in one transaction;
    the first chunk with a problem undoes everything."""
    progress = _WritingProgress(run, on_progress)
    try:
        with transaction.atomic():
            importer.begin_writing(waiting=progress.waiting)
            for chunk in _chunks(rows):
                checked = importer.check(chunk)
                problems = [p for row in checked for p in row.problems]
                if problems:
                    raise _Refused(problems)
                counts = importer.write(checked)
                run.rows_read += len(checked)
                run.rows_valid += len(checked)
                run.created_count += counts.created
                run.updated_count += counts.updated
                run.unchanged_count += counts.unchanged
                progress(run.rows_written + len(checked))
            refresh_after_write(importer, process_changed_cases)
    finally:
        progress.close()


def _audit(run: ImportRun) -> None:
    verb = {
        ImportRun.State.CHECKED: "imports.file_checked",
        ImportRun.State.IMPORTED: "imports.file_imported",
    }.get(run.state, "imports.file_refused")
    audit_record(
        actor=run.started_by,
        verb=verb,
        target=run,
        agency_id=run.agency_id,
        changes={
            "kind": run.kind,
            "source_system": run.source_system,
            "file_name": run.file_name,
            "dry_run": run.dry_run,
            "state": run.state,
            "rows_read": run.rows_read,
            "rows_valid": run.rows_valid,
            "rows_written": run.rows_written,
            "created": run.created_count,
            "updated": run.updated_count,
            "unchanged": run.unchanged_count,
            "problems": run.error_count,
        },
    )


def import_run_execute(
    *, run_id: int, on_progress: Callable[[ImportRun], None] | None = None
) -> ImportRun:
    """Check, and unless it is a dry run import, one file. Runs in the background task or the
    command; a run already started is left alone, so a task delivered twice works once."""
    claimed = ImportRun.objects.filter(pk=run_id, state=ImportRun.State.QUEUED).update(
        state=ImportRun.State.CHECKING, started_at=timezone.now()
    )
    run = ImportRun.objects.select_related("agency", "started_by").get(pk=run_id)
    if not claimed:
        return run
    try:
        _execute(run, on_progress)
    except (FileRefused, _Refused) as error:
        problems = (
            [p.as_dict() for p in error.problems[:PROBLEMS_KEPT]]
            if isinstance(error, _Refused)
            else [Problem(1, "", "", str(error)).as_dict()]
        )
        run.state, run.errors = ImportRun.State.REFUSED, problems
        run.error_count = len(error.problems) if isinstance(error, _Refused) else 1
    except Exception:
        # Recorded for the page; the transaction has already undone every write.
        logger.exception("Import run %s stopped", run.pk)
        run.state = ImportRun.State.FAILED
        run.failure = "An unexpected error stopped the run. Nothing was written."
    if run.state in {ImportRun.State.REFUSED, ImportRun.State.FAILED}:
        # Nothing was written, whatever the counts had reached before the refusal.
        run.rows_written = run.created_count = run.updated_count = run.unchanged_count = 0
    run.finished_at = timezone.now()
    run.save()
    _audit(run)
    return run


def _open(run: ImportRun, fmt: str) -> tuple[Importer, Iterable]:
    """A fresh reading of the file, refused at once if its header is wrong."""
    header, rows = read_rows(run.stored_path, fmt)
    importer = Importer(
        kind=run.kind,
        agency=run.agency,
        source_system=run.source_system,
        actor=run.started_by,
        run_id=run.pk,
        header=header,
    )
    if importer.header_problems:
        importer.close()
        raise _Refused(importer.header_problems)
    return importer, rows


def _read(run: ImportRun, fmt: str, work, on_progress) -> None:
    importer, rows = _open(run, fmt)
    try:
        work(run, importer, rows, on_progress)
    finally:
        importer.close()


def _execute(run: ImportRun, on_progress) -> None:
    fmt = file_format(run.file_name)
    run.rows_expected = count_rows(run.stored_path, fmt)
    _save(run, "rows_expected")
    if run.dry_run:
        _read(run, fmt, _check, on_progress)
        run.state = ImportRun.State.REFUSED if run.error_count else ImportRun.State.CHECKED
        return
    # An import reads the file once, checking and writing each chunk. A file with a problem
    # (unchecked, or changed in the database since its check) is undone and read again,
    # writing nothing, so that its report lists every problem, not only the first chunk's.
    run.state = ImportRun.State.WRITING
    _save(run, "state")
    try:
        _read(run, fmt, _write, on_progress)
    except _Refused:
        run.state = ImportRun.State.CHECKING
        run.rows_read = run.rows_valid = run.rows_written = run.error_count = 0
        run.created_count = run.updated_count = run.unchanged_count = 0
        _save(run, "state", "rows_read", "rows_valid", "rows_written", "error_count")
        _read(run, fmt, _check, on_progress)
        if not run.error_count:
            raise  # a problem only the database as it was during the write could show
        run.state = ImportRun.State.REFUSED
        return
    run.state = ImportRun.State.IMPORTED
