"""Tell whoever derives from the process (the timescales app's due dates) that a case changed.

Process sits below the apps that read it, so it never imports them: the project names the
functions to call in `THREEFOLD_PROCESS_CHANGED_HOOKS` (dotted paths), and each is called with
the case inside the same transaction as the write."""

from django.conf import settings
from django.utils.module_loading import import_string


def process_changed(case) -> None:
    for path in getattr(settings, "THREEFOLD_PROCESS_CHANGED_HOOKS", []):
        import_string(path)(case=case)
