"""Reads for the API: the token behind a request, and the clients an administrator manages."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agencies.models import Role, User
from api.models import ApiClient, ApiToken
from api.services import TOKEN_PREFIX, token_hash
from core.models import AuditEvent
from people.models import Case, CaseMember, Person
from people.selectors import case_list_visible_to
from practice.models import Map
from practice.selectors import map_list
from safety.models import SafetyPlan
from safety.selectors import safety_plan_list


def api_token_get_usable(secret: str) -> ApiToken | None:
    """The live token for a presented secret, or None: unknown, expired, revoked, its client
    switched off, or its acting user no longer active in the client's agency."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    token = (
        ApiToken.objects.filter(
            token_hash=token_hash(secret),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
            client__revoked_at__isnull=True,
            client__acting_user__is_active=True,
        )
        .select_related("client", "client__acting_user", "client__acting_user__team")
        .first()
    )
    if token is None or token.client.acting_user.agency_id != token.client.agency_id:
        return None
    return token


def api_clients_for(user) -> QuerySet[ApiClient]:
    """The agency's clients, for its administrators; nothing for anyone else."""
    if user.role != Role.ADMINISTRATOR or not user.agency_id:
        return ApiClient.objects.none()
    tokens = ApiToken.objects.select_related("created_by", "revoked_by").order_by("-created_at")
    return (
        ApiClient.objects.filter(agency_id=user.agency_id)
        .select_related("acting_user", "created_by")
        .prefetch_related(Prefetch("tokens", queryset=tokens))
        .order_by("revoked_at", "name")
    )


def api_acting_user_choices(user) -> QuerySet[User]:
    return (
        User.objects.filter(agency_id=user.agency_id, is_active=True)
        .exclude(role=Role.ADMINISTRATOR)
        .order_by("first_name", "last_name")
    )


# Reads behind the endpoints. Every one starts from people.selectors, so a client sees exactly
# the cases its acting user would see on their pages: same roles, teams, restrictions.

# Audit verbs that record someone reading, not changing, a record.
READ_VERBS = (
    r"(^api\.|viewed$|printed$|compared$|exported?$|downloaded$|generated$|signed_(in|out)$)"
)


def _changes_since(since, *, verbs: str = r".") -> QuerySet[AuditEvent]:
    return (
        AuditEvent.objects.filter(occurred_at__gte=since, verb__regex=verbs)
        .exclude(verb__regex=READ_VERBS)
        .values("case_id")
    )


def api_case_list(user, *, search: str = "", status: str = "open", updated_since=None):
    """Cases the acting user may open. With `updated_since`, only those whose case record or
    anything recorded on them (maps, network, plans, allocations…) changed since then; the
    audit log is what says so, because every write goes through an audited service."""
    cases = case_list_visible_to(user, search=search, status="" if status == "all" else status)
    if updated_since is not None:
        changed = _changes_since(updated_since).filter(case_id=OuterRef("pk"))
        cases = cases.filter(Q(updated_at__gte=updated_since) | Exists(changed))
    return cases


def api_people_list(user, *, updated_since=None) -> QuerySet[Person]:
    """Everyone in a case the acting user may open."""
    visible = case_list_visible_to(user, status="").order_by().values("pk")
    people = Person.objects.filter(
        pk__in=CaseMember.objects.filter(case_id__in=visible).values("person_id")
    )
    if updated_since is not None:
        people = people.filter(updated_at__gte=updated_since)
    return people.order_by("pk")


def api_map_list(case: Case, *, updated_since=None) -> QuerySet[Map]:
    """A case's maps, newest first. With `updated_since`: maps whose own record changed, and
    the draft if anything was written to it (finalised maps never change again)."""
    maps = map_list(case)
    if updated_since is not None:
        draft_written = (
            _changes_since(updated_since, verbs=r"^(map\.|voices\.brought_into_map$)")
            .filter(case_id=case.pk)
            .exists()
        )
        changed = Q(updated_at__gte=updated_since)
        if draft_written:
            changed |= Q(status=Map.Status.DRAFT)
        maps = maps.filter(changed)
    return maps


def api_safety_plan_list(case: Case, *, updated_since=None) -> QuerySet[SafetyPlan]:
    plans = safety_plan_list(case)
    if updated_since is not None:
        draft_written = (
            _changes_since(updated_since, verbs=r"^safety\.plan_").filter(case_id=case.pk).exists()
        )
        changed = Q(updated_at__gte=updated_since)
        if draft_written:
            changed |= Q(status=SafetyPlan.Status.DRAFT)
        plans = plans.filter(changed)
    return plans


def api_process_records(case: Case, model, *, newest_first_by: str) -> list:
    """One kind of the case's statutory process records, newest first. The caller has opened
    the case through its access rules."""
    return list(model.objects.filter(case=case).order_by(f"-{newest_first_by}", "-pk"))
