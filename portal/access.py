"""Who is signed in to the family portal, checked on every request.

Portal users are never Django users. Their identity is the invitation id kept in the session
under its own keys, with the invitation's session generation. On every request the invitation
is read again and the session is refused (and cleared) if:

- a member of staff is signed in in the same browser (staff and portal sessions never mix);
- the invitation was withdrawn, has expired, or its generation has moved on;
- the case is closed or deleted;
- a safety network member has stepped back or left the network;
- the session has been idle too long, or is older than its absolute limit.

Portal views are decorated with `portal_view`, which also marks them `login_not_required`
(the staff sign-in does not apply) and `never_cache`.
"""

import datetime
import functools
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.middleware.csrf import rotate_token
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.cache import never_cache

from core.audit import audit_record
from people.models import Case
from portal.models import PortalInvitation
from safety.models import NetworkMember

SESSION_ACCESS = "portal_access_id"
SESSION_GENERATION = "portal_generation"
SESSION_STARTED = "portal_started"
SESSION_SEEN = "portal_seen"
PORTAL_KEYS = (SESSION_ACCESS, SESSION_GENERATION, SESSION_STARTED, SESSION_SEEN)


def idle_minutes() -> int:
    return int(getattr(settings, "PORTAL_SESSION_IDLE_MINUTES", 15))


def max_minutes() -> int:
    return int(getattr(settings, "PORTAL_SESSION_MAX_MINUTES", 120))


def live_invitation_filter(now: datetime.datetime | None = None) -> Q:
    """Invitations that still give access: not withdrawn, not expired, case open and not
    deleted."""
    now = now or timezone.now()
    return Q(
        withdrawn_at__isnull=True,
        expires_at__gt=now,
        case__status=Case.Status.OPEN,
        case__deleted_at__isnull=True,
    ) & (Q(network_member__isnull=True) | Q(network_member__status=NetworkMember.Status.ACTIVE))


def invitation_is_live(invitation: PortalInvitation, now=None) -> bool:
    now = now or timezone.now()
    case = invitation.case
    member = invitation.network_member if invitation.network_member_id else None
    return (
        invitation.withdrawn_at is None
        and invitation.expires_at > now
        and case.status == Case.Status.OPEN
        and case.deleted_at is None
        # A network member who steps back or leaves the network loses access with it.
        and (member is None or member.status == NetworkMember.Status.ACTIVE)
    )


@dataclass
class PortalAccess:
    """The signed-in portal visitor: their invitation, and what it lets them see."""

    invitation: PortalInvitation

    @property
    def case(self) -> Case:
        return self.invitation.case

    @property
    def name(self) -> str:
        return self.invitation.name

    @property
    def scopes(self) -> set[str]:
        return set(self.invitation.scopes)

    def may(self, scope: str) -> bool:
        return scope in self.scopes

    @property
    def idle_minutes(self) -> int:
        return idle_minutes()


def session_start(request, invitation: PortalInvitation) -> None:
    """A fresh session for this portal visitor: whatever was in it before (a staff session
    included) is thrown away and the session key changes."""
    request.session.flush()
    rotate_token(request)
    now = timezone.now().timestamp()
    request.session[SESSION_ACCESS] = invitation.pk
    request.session[SESSION_GENERATION] = invitation.session_generation
    request.session[SESSION_STARTED] = now
    request.session[SESSION_SEEN] = now
    # The cookie goes when the browser closes; the idle limit is checked here on each request.
    request.session.set_expiry(0)


def session_end(request) -> None:
    request.session.flush()


def current_access(request) -> PortalAccess | None:
    """The live portal access for this request, or None. A session that no longer gives
    access has its portal keys removed."""
    access_id = request.session.get(SESSION_ACCESS)
    if access_id is None:
        return None
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        _forget(request)
        return None
    now = timezone.now()
    started = request.session.get(SESSION_STARTED, 0)
    seen = request.session.get(SESSION_SEEN, 0)
    stamp = now.timestamp()
    if stamp - seen > idle_minutes() * 60 or stamp - started > max_minutes() * 60:
        _forget(request)
        return None
    invitation = (
        PortalInvitation.objects.filter(pk=access_id)
        .select_related("case", "case__agency", "person", "network_member")
        .first()
    )
    if (
        invitation is None
        or invitation.session_generation != request.session.get(SESSION_GENERATION)
        or not invitation_is_live(invitation, now)
    ):
        _forget(request)
        return None
    request.session[SESSION_SEEN] = stamp
    return PortalAccess(invitation=invitation)


def _forget(request) -> None:
    for key in PORTAL_KEYS:
        request.session.pop(key, None)


def portal_audit(request, access: PortalAccess, *, verb: str, target=None, changes=None):
    """Every page a portal visitor sees, and everything they do, goes in the case's audit log
    with no staff actor and their name."""
    return audit_record(
        actor=None,
        verb=verb,
        target=target if target is not None else access.invitation,
        agency_id=access.invitation.agency_id,
        case_id=access.invitation.case_id,
        changes={
            "portal_person": access.name,
            "portal_access": access.invitation.pk,
            **(changes or {}),
        },
        ip_address=request.META.get("REMOTE_ADDR"),
    )


def refuse_staff(request) -> None:
    """Staff never use the family pages: their own session shows them the case itself."""
    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        _forget(request)
        raise PermissionDenied("The family portal is for families. Staff see the case itself.")


def portal_view(scope: str | None = None):
    """For family-side views: a live portal session (else the portal's sign-in page), with
    the named scope on its invitation (else 404). The view receives the PortalAccess."""

    def decorator(view):
        @functools.wraps(view)
        def wrapped(request, *args, **kwargs):
            refuse_staff(request)
            access = current_access(request)
            if access is None:
                return redirect("portal:family_sign_in")
            if scope is not None and not access.may(scope):
                raise Http404("Not part of this invitation.")
            request.portal = access
            return view(request, access, *args, **kwargs)

        return login_not_required(never_cache(wrapped))

    return decorator


def portal_public(view):
    """For the portal's sign-in pages: open to anyone but staff, never cached."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        refuse_staff(request)
        return view(request, *args, **kwargs)

    return login_not_required(never_cache(wrapped))
