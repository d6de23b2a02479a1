"""Background tasks of the measures (django-tasks; the database backend's `db_worker` runs them
outside the web request)."""

import datetime

from django_tasks import task

from agencies.models import Team, User
from measures import selectors
from measures.catalogue import trend_months
from measures.kept import KeptMonths


@task()
def trends_count(user_id: int, team_id: int | None, last: str) -> None:
    """Count a reader's trends afresh and keep them (`selectors.trends`, `measures.kept`)."""
    user = User.objects.get(pk=user_id)
    team = Team.objects.get(pk=team_id) if team_id else None
    kept = KeptMonths(user, selectors.scope(user, team), "trends", afresh=True)
    with kept.counting_in_background():
        selectors.trends(
            user,
            last=datetime.date.fromisoformat(last),
            months=trend_months(),
            team=team,
            afresh=True,
        )
