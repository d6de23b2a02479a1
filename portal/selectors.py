"""Reads for the family and network portal.

Family-side reads start from the signed-in PortalAccess and never leave its case; each returns
only what the invitation's scopes name. Staff-side reads take a case the user has already
fetched through people.selectors.case_get_visible."""

from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from documents.builders import danger_sentence, goal_sentence
from people import access as people_access
from people.models import Case, Person
from portal.access import PortalAccess, invitation_is_live
from portal.models import CheckInAlert, PortalInvitation, PortalToken, Scope
from practice.selectors import map_content, map_current
from safety.models import SafetyPlan, SafetyPlanRule
from surveys.selectors import family_invitations_to_answer
from voices.models import WordsAndPictures, WPPicture, WPVersion
from voices.selectors import ACTIVE_WP_PICTURES, wp_picture_get, wp_sections

# Family side ---------------------------------------------------------------------------------


@dataclass
class ChildStory:
    child: Person
    words_and_pictures: WordsAndPictures
    version: WPVersion

    @property
    def sections(self):
        """The story's parts in reading order, each with its pictures."""
        return wp_sections(self.version)


def _plan_in_force(case: Case) -> SafetyPlan | None:
    return case.safety_plans.filter(status__in=SafetyPlan.IN_FORCE).first()


def portal_children(access: PortalAccess) -> list[Person]:
    """The children whose Words and Pictures this person may read: every child of the case for
    a parent, and only themselves for a young person."""
    invitation = access.invitation
    if invitation.kind == PortalInvitation.Kind.YOUNG_PERSON:
        return [invitation.person]
    return list(
        Person.objects.filter(memberships__case_id=invitation.case_id, kind=Person.Kind.CHILD)
        .order_by("date_of_birth", "given_name")
        .distinct()
    )


def portal_words_and_pictures(access: PortalAccess) -> list[ChildStory]:
    """Each child's latest agreed Words and Pictures. A draft is never shown."""
    if not access.may(Scope.WORDS_AND_PICTURES):
        return []
    children = portal_children(access)
    versions = (
        WPVersion.objects.filter(
            status=WPVersion.Status.AGREED,
            words_and_pictures__case_id=access.invitation.case_id,
            words_and_pictures__child__in=children,
        )
        .select_related("words_and_pictures", "words_and_pictures__child")
        .prefetch_related(
            Prefetch("pictures", queryset=ACTIVE_WP_PICTURES, to_attr="active_pictures")
        )
        .order_by("-words_and_pictures__created_at", "-number", "-id")
    )
    latest: dict[int, WPVersion] = {}
    for version in versions:
        latest.setdefault(version.words_and_pictures.child_id, version)
    return [
        ChildStory(
            child=c, words_and_pictures=latest[c.pk].words_and_pictures, version=latest[c.pk]
        )
        for c in children
        if c.pk in latest
    ]


def portal_story_get(access: PortalAccess, *, wp_id: int) -> ChildStory:
    for story in portal_words_and_pictures(access):
        if story.words_and_pictures.pk == wp_id:
            return story
    raise Http404("No Words and Pictures found.")


def portal_story_picture(access: PortalAccess, *, wp_id: int, picture_id: int) -> WPPicture:
    """A picture of a story this person may read: only from the version they are shown."""
    story = portal_story_get(access, wp_id=wp_id)
    return wp_picture_get(version=story.version, picture_id=picture_id)


def portal_plan(access: PortalAccess) -> dict | None:
    """The safety plan in force, for a parent or young person: the whole plan as the family
    agreed it (the same as the PDF they are given)."""
    if not access.may(Scope.SAFETY_PLAN):
        return None
    plan = _plan_in_force(access.case)
    if plan is None:
        return {"plan": None}
    rules = list(plan.rules.order_by("id"))
    network = list(access.case.network_members.filter(status="active").order_by("name", "id"))
    return {"plan": plan, "rules": rules, "network": network}


@dataclass
class MapSummary:
    map: object
    worried: list[str] = field(default_factory=list)
    working_well: list[str] = field(default_factory=list)
    needs_to_happen: list[str] = field(default_factory=list)
    scales: list[dict] = field(default_factory=list)


def portal_map_summary(access: PortalAccess) -> MapSummary | None:
    """The current finalised map, in three plain lists and the scales' numbers."""
    if not access.may(Scope.MAP_SUMMARY):
        return None
    map_ = map_current(access.case)
    if map_ is None:
        return MapSummary(map=None)
    content = map_content(map_)
    summary = MapSummary(map=map_)
    entries = content.entries_by_category
    summary.worried = [e.text for e in entries.get("harm", [])]
    summary.worried += [danger_sentence(d) for d in content.danger_statements]
    summary.worried += [e.text for e in entries.get("complicating_factor", [])]
    summary.working_well = [e.text for e in entries.get("existing_strength", [])]
    summary.working_well += [e.text for e in entries.get("existing_safety", [])]
    summary.needs_to_happen = [goal_sentence(d.safety_goal) for d in content.danger_statements]
    summary.needs_to_happen += [e.text for e in entries.get("next_step", [])]
    for judgement in content.overall_scales:
        summary.scales.append(
            {
                "who": judgement.rater_name,
                "about": "How safe things are overall",
                "score": judgement.score,
            }
        )
    for number, danger in enumerate(content.danger_statements, start=1):
        for judgement in danger.judgements:
            summary.scales.append(
                {"who": judgement.rater_name, "about": f"Worry {number}", "score": judgement.score}
            )
    return summary


def portal_member_part(access: PortalAccess) -> dict | None:
    """For a safety network member: only the rules of the plan in force they have a part in,
    what to do if a rule is broken, and who to call. Nothing else from the record."""
    if not access.may(Scope.PLAN_RULES_AND_CHECK_IN) or access.invitation.network_member is None:
        return None
    plan = _plan_in_force(access.case)
    if plan is None:
        return {"plan": None, "rules": []}
    rules = list(
        SafetyPlanRule.objects.filter(plan=plan, members=access.invitation.network_member)
        .prefetch_related("members")
        .order_by("id")
        .distinct()
    )
    return {"plan": plan, "rules": rules}


def portal_member_check_ins(access: PortalAccess, *, limit: int = 5) -> list:
    """This member's own recent check-ins on the plan in force."""
    member = access.invitation.network_member
    if member is None:
        return []
    return list(
        member.check_ins.filter(plan__status__in=SafetyPlan.IN_FORCE).order_by(
            "-checked_on", "-id"
        )[:limit]
    )


def portal_home(access: PortalAccess) -> dict:
    """Everything this person can see, listed on one page.

    The family surveys listed are those this parent or young person was sent on this case and
    has not answered yet (surveys.selectors); the answers go through the surveys service."""
    invitation = access.invitation
    return {
        "stories": portal_words_and_pictures(access),
        "plan": portal_plan(access),
        "map_summary_allowed": access.may(Scope.MAP_SUMMARY),
        "has_map": access.may(Scope.MAP_SUMMARY) and map_current(access.case) is not None,
        "member_part": portal_member_part(access),
        "expires_at": invitation.expires_at,
        "worker": invitation.invited_by,
        "surveys": family_invitations_to_answer(
            case_id=invitation.case_id, person_id=invitation.person_id
        ),
    }


# Staff side ----------------------------------------------------------------------------------


def _with_last_use(invitations: QuerySet) -> QuerySet:
    return invitations.select_related(
        "person", "network_member", "invited_by", "withdrawn_by"
    ).prefetch_related(
        Prefetch(
            "tokens",
            queryset=PortalToken.objects.filter(used_at__isnull=True, cancelled_at__isnull=True)
            .filter(expires_at__gt=timezone.now())
            .order_by("-created_at"),
            to_attr="open_tokens",
        )
    )


def case_invitations(case: Case) -> list[PortalInvitation]:
    """Every invitation on the case, newest first, each marked live or not."""
    invitations = list(_with_last_use(case.portal_invitations.order_by("-created_at", "-id")))
    now = timezone.now()
    for invitation in invitations:
        invitation.case = case
        invitation.is_live = invitation_is_live(invitation, now)
    return invitations


def invitation_get(case: Case, *, invitation_id) -> PortalInvitation:
    try:
        invitation_id = int(invitation_id)
    except (TypeError, ValueError):
        raise Http404("No invitation found.") from None
    invitation = (
        case.portal_invitations.filter(pk=invitation_id)
        .select_related("case", "case__agency", "invited_by")
        .first()
    )
    if invitation is None:
        raise Http404("No invitation found.")
    return invitation


def _alerts() -> QuerySet[CheckInAlert]:
    return CheckInAlert.objects.select_related(
        "case", "invitation", "check_in", "check_in__member", "acknowledged_by"
    ).order_by("-raised_at", "-id")


def case_alerts(case: Case) -> list[CheckInAlert]:
    return list(_alerts().filter(case=case))


def alert_get(case: Case, *, alert_id) -> CheckInAlert:
    try:
        alert_id = int(alert_id)
    except (TypeError, ValueError):
        raise Http404("No alert found.") from None
    alert = _alerts().filter(case=case, pk=alert_id).first()
    if alert is None:
        raise Http404("No alert found.")
    return alert


def case_portal_summary(case: Case, *, user, may_record: bool | None = None) -> dict:
    """For the case page: who has portal access now, and check-in alerts waiting. A fixed
    number of queries whatever the number of invitations."""
    if may_record is None:  # the case page passes the answer it already has
        may_record = user.has_perm("people.record_on_case", case)
    invitations = case_invitations(case)
    return {
        "live_invitations": [i for i in invitations if i.is_live],
        "invitation_count": len(invitations),
        # The page says how many need a look and links to them; it does not list them. Alerts
        # come from check-ins through the case's invitations, so a case with none has none.
        "alert_count": (
            CheckInAlert.objects.filter(case=case, acknowledged_at__isnull=True).count()
            if invitations
            else 0
        ),
        "may_record": may_record,
    }


def breach_alerts_for(user) -> QuerySet[CheckInAlert]:
    """Unacknowledged check-in alerts on the cases allocated to this worker now (and still
    within their reach), for their worklist."""
    if not (user and user.is_authenticated):
        return CheckInAlert.objects.none()
    visible = Case.objects.filter(people_access.case_visibility_filter(user)).filter(
        Q(allocations__worker=user, allocations__ended_on__isnull=True)
    )
    return _alerts().filter(acknowledged_at__isnull=True, case__in=visible.values("pk"))
