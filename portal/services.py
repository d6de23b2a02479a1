"""Every write of the family and network portal: invitations, sign-in codes and links,
sign-in itself, withdrawal, check-ins and their alerts.

Each function is atomic and writes its audit event in the same transaction. Secrets (codes and
link tokens) are returned to the caller once and only their SHA-256 is stored."""

import datetime
import hashlib
import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from core.audit import audit_record
from core.errors import RuleViolation
from people.models import Case, CaseMember, Person
from portal.access import invitation_is_live, live_invitation_filter
from portal.models import (
    FAMILY_SCOPES,
    NETWORK_SCOPES,
    CheckInAlert,
    PortalInvitation,
    PortalSignInAttempt,
    PortalToken,
    Scope,
)
from safety.models import NetworkMember, SafetyPlan
from safety.services import monitoring_check_in_add

# No 0/O, 1/I/L, 2/Z, 5/S or 8/B: easy to read off paper and type on a phone.
CODE_ALPHABET = "34679ACDEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 8


def code_days() -> int:
    return int(getattr(settings, "PORTAL_CODE_DAYS", 7))


def invitation_link_days() -> int:
    return int(getattr(settings, "PORTAL_INVITATION_LINK_DAYS", 7))


def link_minutes() -> int:
    return int(getattr(settings, "PORTAL_LINK_MINUTES", 30))


def max_invitation_days() -> int:
    return int(getattr(settings, "PORTAL_MAX_INVITATION_DAYS", 366))


def failure_limit() -> int:
    return int(getattr(settings, "PORTAL_SIGN_IN_FAILURES", 5))


def failure_window() -> datetime.timedelta:
    return datetime.timedelta(minutes=int(getattr(settings, "PORTAL_SIGN_IN_LOCKOUT_MINUTES", 15)))


def links_per_hour() -> int:
    return int(getattr(settings, "PORTAL_LINKS_PER_HOUR", 3))


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def normalise_code(typed: str) -> str:
    """What a person typed, as the code was issued: capitals, no spaces or dashes."""
    return "".join(ch for ch in typed.upper() if ch.isalnum())


def format_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def _audit(actor, verb, invitation, changes=None, *, target=None, ip_address=None):
    audit_record(
        actor=actor,
        verb=verb,
        target=target if target is not None else invitation,
        agency_id=invitation.agency_id,
        case_id=invitation.case_id,
        changes={
            "portal_person": invitation.name,
            "portal_access": invitation.pk,
            **(changes or {}),
        },
        ip_address=ip_address,
    )


def _issue(invitation, *, kind, lifetime: datetime.timedelta, actor=None) -> str:
    """A new secret for this invitation. Codes are short for typing; link tokens are long."""
    for _ in range(5):
        secret = _new_code() if kind == PortalToken.Kind.CODE else secrets.token_urlsafe(32)
        digest = hash_secret(secret)
        if not PortalToken.objects.filter(token_hash=digest).exists():
            break
    else:  # pragma: no cover - 25^8 codes make this vanishingly unlikely
        raise RuleViolation("Could not make a new code. Try again.")
    PortalToken.objects.create(
        agency_id=invitation.agency_id,
        invitation=invitation,
        kind=kind,
        token_hash=digest,
        created_by=actor if actor is not None and actor.is_authenticated else None,
        expires_at=timezone.now() + lifetime,
    )
    return secret


def _cancel_unused(invitation, *, kind) -> None:
    invitation.tokens.filter(kind=kind, used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=timezone.now()
    )


def sign_in_url(link_base: str, token: str) -> str:
    return f"{link_base}?{urlencode({'token': token})}"


def _send_link(invitation, *, link_base: str, token: str, expires: datetime.datetime, first: bool):
    worker = invitation.invited_by.get_full_name() or "Your social worker"
    agency = invitation.case.agency.name
    until = timezone.localtime(expires)
    opening = (
        f"{worker} from {agency} has asked you to use the family pages."
        if first
        else "You asked for a link to sign in to the family pages."
    )
    body = (
        f"Hello {invitation.name},\n\n"
        f"{opening}\n\n"
        f"Use this link to sign in. It works once, until {until:%-d %B %Y at %H:%M}:\n\n"
        f"{sign_in_url(link_base, token)}\n\n"
        "If you did not expect this email, you can ignore it.\n"
        f"\n{agency}\n"
    )
    send_mail("Your sign-in link for the family pages", body, None, [invitation.email])


def _check_invitee(case, kind, person, network_member, scopes, judgement):
    if kind == PortalInvitation.Kind.NETWORK_MEMBER:
        if network_member is None or network_member.case_id != case.pk:
            raise RuleViolation("Choose someone from this family's safety network.")
        if network_member.status != NetworkMember.Status.ACTIVE:
            raise RuleViolation(f"{network_member.name} is not active in the safety network.")
        if not set(scopes) <= NETWORK_SCOPES:
            raise RuleViolation(
                "A safety network member can see only their part in the plan and check in."
            )
        return network_member.name
    if kind not in (PortalInvitation.Kind.PARENT, PortalInvitation.Kind.YOUNG_PERSON):
        raise RuleViolation("Choose who you are inviting.")
    if person is None or not CaseMember.objects.filter(case=case, person=person).exists():
        raise RuleViolation("Choose someone recorded in this family's case.")
    if not set(scopes) <= FAMILY_SCOPES:
        raise RuleViolation("Check-ins are for safety network members.")
    expected = (
        Person.Kind.CHILD if kind == PortalInvitation.Kind.YOUNG_PERSON else Person.Kind.ADULT
    )
    if person.kind != expected:
        raise RuleViolation("Invite a child as a young person, and an adult as a parent or carer.")
    if kind == PortalInvitation.Kind.YOUNG_PERSON and not judgement.strip():
        raise RuleViolation(
            "Say why it is right for this young person to see these pages (for the record)."
        )
    return person.display_name


@transaction.atomic
def portal_invitation_create(
    *,
    actor,
    case: Case,
    kind: str,
    scopes,
    expires_on: datetime.date,
    delivery: str,
    link_base: str = "",
    person: Person | None = None,
    network_member: NetworkMember | None = None,
    email: str = "",
    young_person_judgement: str = "",
) -> tuple[PortalInvitation, str | None]:
    """Invite one person from the case. With delivery "email" a single-use sign-in link is
    emailed; with "print" the one-time code is returned (once) for the worker to print."""
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Case.Status.OPEN or case.deleted_at is not None:
        raise RuleViolation("This case is closed, so no one can be invited to the family pages.")
    scopes = [s for s in Scope.values if s in set(scopes or [])]
    if not scopes:
        raise RuleViolation("Choose at least one thing they may see.")
    name = _check_invitee(case, kind, person, network_member, scopes, young_person_judgement)
    today = timezone.localdate()
    if expires_on <= today:
        raise RuleViolation("The invitation must end after today.")
    if expires_on > today + datetime.timedelta(days=max_invitation_days()):
        raise RuleViolation("An invitation can last at most a year. Invite them again after that.")
    email = (email or "").strip()
    if delivery == "email" and not email:
        raise RuleViolation("Give an email address to send the invitation to, or print a code.")
    if delivery not in ("email", "print"):
        raise RuleViolation("Choose how to give them the invitation.")
    expires_at = timezone.make_aware(datetime.datetime.combine(expires_on, datetime.time(23, 59)))
    invitation = PortalInvitation.objects.create(
        agency_id=case.agency_id,
        case=case,
        kind=kind,
        person=person if kind != PortalInvitation.Kind.NETWORK_MEMBER else None,
        network_member=network_member if kind == PortalInvitation.Kind.NETWORK_MEMBER else None,
        name=name,
        email=email,
        scopes=scopes,
        young_person_judgement=young_person_judgement.strip(),
        expires_at=expires_at,
        invited_by=actor,
    )
    code = None
    if delivery == "print":
        lifetime = min(datetime.timedelta(days=code_days()), expires_at - timezone.now())
        code = _issue(invitation, kind=PortalToken.Kind.CODE, lifetime=lifetime, actor=actor)
    _audit(
        actor,
        "portal.invitation_created",
        invitation,
        {
            "kind": kind,
            "scopes": scopes,
            "expires_on": expires_on,
            "delivery": delivery,
            "person": getattr(person, "pk", None),
            "network_member": getattr(network_member, "pk", None),
        },
    )
    if delivery == "email":
        lifetime = min(datetime.timedelta(days=invitation_link_days()), expires_at - timezone.now())
        token = _issue(invitation, kind=PortalToken.Kind.LINK, lifetime=lifetime, actor=actor)
        _send_link(
            invitation,
            link_base=link_base,
            token=token,
            expires=timezone.now() + lifetime,
            first=True,
        )
    return invitation, code


def _lock_live(invitation: PortalInvitation) -> PortalInvitation:
    invitation = (
        PortalInvitation.objects.select_for_update(of=("self",))
        .select_related("case", "case__agency", "invited_by")
        .get(pk=invitation.pk)
    )
    if not invitation_is_live(invitation):
        raise RuleViolation(
            f"{invitation.name}'s invitation has ended or been withdrawn. Invite them again."
        )
    return invitation


@transaction.atomic
def portal_code_issue(*, actor, invitation: PortalInvitation) -> str:
    """A new printable one-time code. Any earlier unused code stops working."""
    invitation = _lock_live(invitation)
    _cancel_unused(invitation, kind=PortalToken.Kind.CODE)
    lifetime = min(datetime.timedelta(days=code_days()), invitation.expires_at - timezone.now())
    code = _issue(invitation, kind=PortalToken.Kind.CODE, lifetime=lifetime, actor=actor)
    _audit(actor, "portal.code_issued", invitation)
    return code


@transaction.atomic
def portal_link_send(*, actor, invitation: PortalInvitation, link_base: str) -> None:
    """Email a sign-in link (valid for a short time) to the invitation's address."""
    invitation = _lock_live(invitation)
    if not invitation.email:
        raise RuleViolation(f"There is no email address for {invitation.name}. Print a code.")
    lifetime = datetime.timedelta(minutes=link_minutes())
    token = _issue(invitation, kind=PortalToken.Kind.LINK, lifetime=lifetime, actor=actor)
    _send_link(
        invitation, link_base=link_base, token=token, expires=timezone.now() + lifetime, first=False
    )
    _audit(actor, "portal.link_sent", invitation, {"by": "worker"})


@transaction.atomic
def portal_link_request(*, email: str, link_base: str, ip_address: str | None = None) -> int:
    """A family member asks for a sign-in link. Every live invitation with that address gets
    one (at most a few an hour). The caller always answers the same way, so nobody can learn
    whether an address is known. Returns how many links were sent, for tests."""
    email = (email or "").strip()
    if not email:
        return 0
    invitations = PortalInvitation.objects.filter(
        live_invitation_filter(), email__iexact=email
    ).select_related("case", "case__agency", "invited_by")
    hour_ago = timezone.now() - datetime.timedelta(hours=1)
    sent = 0
    for invitation in invitations:
        recent = invitation.tokens.filter(
            kind=PortalToken.Kind.LINK, created_at__gte=hour_ago
        ).count()
        if recent >= links_per_hour():
            continue
        lifetime = datetime.timedelta(minutes=link_minutes())
        token = _issue(invitation, kind=PortalToken.Kind.LINK, lifetime=lifetime)
        _send_link(
            invitation,
            link_base=link_base,
            token=token,
            expires=timezone.now() + lifetime,
            first=False,
        )
        _audit(None, "portal.link_sent", invitation, {"by": "family"}, ip_address=ip_address)
        sent += 1
    return sent


def sign_in_locked(ip_address: str | None) -> bool:
    """Too many wrong codes or links from this address lately."""
    since = timezone.now() - failure_window()
    failures = PortalSignInAttempt.objects.filter(
        ip_address=ip_address, succeeded=False, attempted_at__gte=since
    ).count()
    return failures >= failure_limit()


SIGN_IN_REFUSED = (
    "That code or link does not work. It may be wrong, used already or too old. "
    "Ask your worker for a new one."
)
SIGN_IN_LOCKED = "Too many tries. Wait 15 minutes, or ask your worker for help."


def portal_sign_in(*, secret: str, kind: str, ip_address: str | None = None) -> PortalInvitation:
    """Use a one-time code or link. Returns the invitation to start a session for, or raises
    RuleViolation with the same message whatever was wrong (so nothing is revealed)."""
    if sign_in_locked(ip_address):
        PortalSignInAttempt.objects.create(ip_address=ip_address, kind=kind, succeeded=False)
        raise RuleViolation(SIGN_IN_LOCKED)
    try:
        return _use_token(secret=secret, kind=kind, ip_address=ip_address)
    except RuleViolation:
        PortalSignInAttempt.objects.create(ip_address=ip_address, kind=kind, succeeded=False)
        raise


@transaction.atomic
def _use_token(*, secret, kind, ip_address):
    if kind == PortalToken.Kind.CODE:
        secret = normalise_code(secret)
        if len(secret) != CODE_LENGTH:
            raise RuleViolation(SIGN_IN_REFUSED)
    elif not secret or len(secret) > 200:
        raise RuleViolation(SIGN_IN_REFUSED)
    token = (
        PortalToken.objects.select_for_update(of=("self",))
        .select_related("invitation", "invitation__case")
        .filter(token_hash=hash_secret(secret), kind=kind)
        .first()
    )
    now = timezone.now()
    if (
        token is None
        or token.used_at is not None
        or token.cancelled_at is not None
        or token.expires_at <= now
        or not invitation_is_live(token.invitation, now)
    ):
        raise RuleViolation(SIGN_IN_REFUSED)
    token.used_at = now
    token.save(update_fields=["used_at"])
    invitation = token.invitation
    invitation.last_used_at = now
    invitation.save(update_fields=["last_used_at", "updated_at"])
    PortalSignInAttempt.objects.create(ip_address=ip_address, kind=kind, succeeded=True)
    _audit(None, "portal.signed_in", invitation, {"with": kind}, ip_address=ip_address)
    return invitation


@transaction.atomic
def portal_invitation_withdraw(
    *, actor, invitation: PortalInvitation, reason: str = ""
) -> PortalInvitation:
    """End the access at once: every session and every unused code or link stops working."""
    invitation = PortalInvitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.withdrawn_at is not None:
        raise RuleViolation(f"{invitation.name}'s access was already withdrawn.")
    now = timezone.now()
    invitation.withdrawn_at = now
    invitation.withdrawn_by = actor
    invitation.withdrawal_reason = reason.strip()[:300]
    invitation.session_generation += 1
    invitation.save()
    invitation.tokens.filter(used_at__isnull=True, cancelled_at__isnull=True).update(
        cancelled_at=now
    )
    _audit(actor, "portal.invitation_withdrawn", invitation, {"reason": reason.strip()})
    return invitation


@transaction.atomic
def portal_check_in_record(
    *,
    invitation: PortalInvitation,
    plan: SafetyPlan,
    checked_on: datetime.date,
    what_they_saw: str,
    plan_kept: bool,
    what_happened: str = "",
    what_they_did: str = "",
    worries: str = "",
    rules=(),
    ip_address: str | None = None,
) -> tuple:
    """A network member's check-in from the portal. It is recorded through the safety app's own
    service, so the plan's monitoring record is one record; a broken rule or a worry raises an
    alert for the allocated worker."""
    invitation = _lock_live(invitation)
    member = invitation.network_member
    if member is None or Scope.PLAN_RULES_AND_CHECK_IN not in invitation.scopes:
        raise RuleViolation("Only safety network members can check in here.")
    rules = list(rules or [])
    if any(member.pk not in {m.pk for m in rule.members.all()} for rule in rules):
        raise RuleViolation("You can only check on the rules you have a part in.")
    worries = worries.strip()
    saw = what_they_saw.strip()
    if worries:
        saw = f"{saw}\n\nAnything worrying: {worries}" if saw else f"Anything worrying: {worries}"
    # Written by the network member themselves: no member of staff is named as its author.
    check_in = monitoring_check_in_add(
        actor=None,
        through_portal=True,
        plan=plan,
        member=member,
        checked_on=checked_on,
        what_they_saw=saw,
        breach=not plan_kept,
        breach_details=what_happened,
        action_taken=what_they_did,
        rules=rules,
    )
    alert = None
    if not plan_kept or worries:
        alert = CheckInAlert.objects.create(
            agency_id=invitation.agency_id,
            case_id=invitation.case_id,
            invitation=invitation,
            check_in=check_in,
            breach=not plan_kept,
            worries=worries,
        )
    _audit(
        None,
        "portal.check_in_recorded",
        invitation,
        {
            "check_in": check_in.pk,
            "breach": not plan_kept,
            "worried": bool(worries),
            "alert": getattr(alert, "pk", None),
        },
        target=check_in,
        ip_address=ip_address,
    )
    return check_in, alert


@transaction.atomic
def portal_alert_acknowledge(*, actor, alert: CheckInAlert, note: str = "") -> CheckInAlert:
    alert = CheckInAlert.objects.select_for_update().select_related("invitation").get(pk=alert.pk)
    if alert.acknowledged_at is not None:
        raise RuleViolation("This alert has already been acknowledged.")
    alert.acknowledged_at = timezone.now()
    alert.acknowledged_by = actor
    alert.acknowledgement_note = note.strip()
    alert.save()
    _audit(
        actor,
        "portal.alert_acknowledged",
        alert.invitation,
        {"alert": alert.pk, "check_in": alert.check_in_id, "note": alert.acknowledgement_note},
        target=alert,
    )
    return alert
