"""Background tasks of the implementation pages (django-tasks; the database backend's
`db_worker` runs them outside the web request)."""

import datetime

from django_tasks import task

from agencies.models import User
from implementation.figures import leaders_page
from measures.kept import KeptMonths
from measures.selectors import scope


@task()
def leaders_count(user_id: int, last: str, months: int) -> None:
    """Count a reader's leaders' view afresh and keep it (`leaders_page`, `measures.kept`)."""
    user = User.objects.get(pk=user_id)
    with KeptMonths(user, scope(user), "leaders", afresh=True).counting_in_background():
        leaders_page(user, last=datetime.date.fromisoformat(last), months=months, afresh=True)
