"""Tell whoever derives from the process (the timescales app's due dates) that cases changed.

Process sits below the apps that read it, so it never imports them: the project names the
functions to call in `THREEFOLD_PROCESS_CHANGED_HOOKS` (dotted paths), and each is called with
the list of cases (`cases=`) inside the same transaction as the write."""

from django.conf import settings
from django.utils.module_loading import import_string


def process_changed(case) -> None:
    process_changed_cases([case])


def process_changed_cases(cases) -> None:
    """Many cases at once (an import's), so that each hook can read them together."""
    for path in getattr(settings, "THREEFOLD_PROCESS_CHANGED_HOOKS", []):
        import_string(path)(cases=cases)
