"""Finished months' figures, counted once and kept a while (docs/measures.md, "Finished months
are kept").

At county size the measures at one month's end take about as long as the dashboard (a second),
so pages that show two or three years of month-ends (the trends, the leaders' view) took 25 to
30 s; and a finished month's figures change only when records are added or corrected for it
later. Each page keeps its finished months in Django's cache, one entry per scope and page, for
`trend_kept_hours()` from when the entry was first written. Configure a shared cache where
several server processes run: each process otherwise counts the months once for itself.

With a cache the processes share, a large scope with nothing kept (the whole county: 13 s or
more) is counted by the background worker instead of in the request, and the page says so until
the months are kept (`count_in_background`); asked to count again, the worker counts while the
page shows those kept before (`count_again`). A count that fails is shown as failed, with a way
to ask again, rather than asked for again by every view."""

import datetime
import hashlib
import logging
from collections.abc import Callable
from contextlib import contextmanager

from django.core.cache import cache, caches
from django.core.cache.backends.locmem import LocMemCache
from django.db.models import Q
from django.utils import timezone

from measures.catalogue import count_in_background_from, trend_kept_hours
from people.models import Case

logger = logging.getLogger(__name__)

# A count the background worker has not finished by then (the worker stopped, say) is taken
# to have failed, and the next reader asks for another. A count that failed is shown as failed
# for as long, unless someone asks for another.
COUNTING_FOR = 20 * 60

# Part of every key: a change to what is kept must not read entries of the old shape.
VERSION = 1


def _kept_under(user, scoped: dict, page: str) -> str:
    """The key of a scope's entry: the agency, whose figures they are (`scoped` from
    `measures.selectors.scope`), which restricted cases they count, and the page. Two people
    share kept figures only if the same restricted cases are open to them; a case restricted,
    opened to someone or deleted since gives a new key at once."""
    closed = Case.objects.filter(agency_id=user.agency_id).filter(
        Q(is_restricted=True) | Q(deleted_at__isnull=False)
    )
    counted = scoped["cases"].filter(is_restricted=True)
    ids = [sorted(q.values_list("pk", flat=True)) for q in (closed, counted)]
    visibility = hashlib.blake2b(repr(ids).encode(), digest_size=12).hexdigest()
    return f"measures-kept:{VERSION}:{page}:{user.agency_id}:{scoped['whose']}:{visibility}"


def _day(part) -> datetime.date:
    return part if isinstance(part, datetime.date) else part[0]


class KeptMonths:
    """One scope's finished months for one page, as a mapping from a part (a month-end day, or
    (day, unit)) to its figures: those kept are found in it, and those put in it are kept by
    `save()` if their month is over. The current month is never kept. `afresh` counts every
    month now and keeps them in place of those kept before (`manage.py keep_month_ends`)."""

    def __init__(self, user, scoped: dict, page: str, *, afresh: bool = False):
        self.kept_for = int(trend_kept_hours() * 3600)
        self.key = _kept_under(user, scoped, page) if self.kept_for else None
        self.afresh = afresh
        self._read()
        self.fresh = {}
        self.used = False
        self.month_start = timezone.localdate().replace(day=1)

    def _read(self) -> None:
        """The entry and whether a count is under way, in one read of the cache: the two are
        wanted on every view, and production's cache is a database table."""
        found = cache.get_many([self.key, self._counting, self._failed]) if self.key else {}
        self.entry = None if self.afresh else found.get(self.key)
        self.parts = dict(self.entry["parts"]) if self.entry else {}
        # When the background worker was asked to count these months, while it does.
        self.counting_since: datetime.datetime | None = found.get(self._counting)
        # When its last count failed, while that is shown.
        self.failed_at: datetime.datetime | None = found.get(self._failed)

    @property
    def _counting(self) -> str:
        return f"{self.key}:counting"

    @property
    def _failed(self) -> str:
        return f"{self.key}:failed"

    def __contains__(self, part) -> bool:
        return part in self.fresh or part in self.parts

    def __getitem__(self, part):
        if part in self.fresh:
            return self.fresh[part]
        self.used = True
        return self.parts[part]

    def __setitem__(self, part, figures) -> None:
        self.fresh[part] = figures

    @property
    def kept_since(self) -> datetime.datetime | None:
        """When the kept figures shown were counted (None if every figure was counted now)."""
        return self.entry["at"] if self.used else None

    def save(self) -> None:
        finished = {p: f for p, f in self.fresh.items() if _day(p) < self.month_start}
        if not (self.key and finished):
            return
        # Parts added later expire with the first: nothing kept is older than kept_for.
        at = self.entry["at"] if self.entry else timezone.now()
        left = int(self.kept_for - (timezone.now() - at).total_seconds())
        if left > 0:
            cache.set(self.key, {"at": at, "parts": {**self.parts, **finished}}, left)

    def count_in_background(self, scoped: dict, enqueue: Callable[[], object]) -> bool:
        """Whether the background worker counts this scope's finished months rather than the
        request: when none are kept and the scope has `count_in_background_from()` open cases
        or more. `enqueue` asks the worker, unless it is counting them already or its last count
        failed (`failed_at`: the page says so, and `count_again` asks for another)."""
        if self.key is None or self.entry is not None or not _large(scoped):
            return False
        if self.failed_at and not self.counting_since:
            return True
        if not self._ask_worker(enqueue):
            return False
        # A backend that runs tasks at once (THREEFOLD_TASKS_BACKEND's ImmediateBackend, on a
        # machine without a worker) has counted and kept them by now.
        self._read()
        return self.entry is None

    def count_again(self, scoped: dict, enqueue: Callable[[], object]) -> None:
        """Count the finished months again, for someone who has just added or corrected
        records of them: a large scope's in the background, showing those kept until the new
        ones replace them; a small one's (or any, if the worker cannot be asked) at the next
        view."""
        if self.key is None:
            return
        if not (_large(scoped) and self._ask_worker(enqueue)):
            cache.delete(self.key)

    def _ask_worker(self, enqueue) -> bool:
        """Ask the worker to count, unless a count is under way; False if it cannot be asked
        (its queue unreachable, say), when the request counts instead of leaving the reader
        waiting on a count nobody will make."""
        # add() writes only if no count is under way, so readers arriving together ask once.
        if not cache.add(self._counting, timezone.now(), COUNTING_FOR):
            return True
        cache.delete(self._failed)
        try:
            enqueue()
        except Exception:
            logger.exception("The background worker could not be asked to count %s.", self.key)
            cache.delete(self._counting)
            return False
        return True

    @contextmanager
    def counting_in_background(self):
        """Around the worker's count (the tasks): however it ends, it is no longer under way;
        if it fails, readers are told so until someone asks again or `COUNTING_FOR` passes."""
        try:
            yield
        except Exception:
            logger.exception("The background count of %s failed.", self.key)
            cache.set(self._failed, timezone.now(), COUNTING_FOR)
            raise
        finally:
            cache.delete(self._counting)


def _large(scoped: dict) -> bool:
    threshold = count_in_background_from()
    # The worker is another process: what it keeps must be where the server processes read.
    if not threshold or isinstance(caches["default"], LocMemCache):
        return False
    return scoped["cases"].filter(status=Case.Status.OPEN)[:threshold].count() >= threshold
