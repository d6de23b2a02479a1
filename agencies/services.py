from axes.utils import reset
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from agencies.models import Role
from core.audit import audit_record
from core.errors import RuleViolation


@transaction.atomic
def user_sign_out_everywhere(*, actor) -> None:
    """End every session this person has, on every device."""
    actor.session_generation += 1
    actor.save(update_fields=["session_generation"])
    audit_record(actor=actor, verb="user.signed_out_everywhere", target=actor)


@transaction.atomic
def two_factor_device_start(*, actor) -> TOTPDevice:
    """An unconfirmed authenticator-app device; replaces any earlier unconfirmed one."""
    TOTPDevice.objects.filter(user=actor, confirmed=False).delete()
    return TOTPDevice.objects.create(user=actor, name="Authenticator app", confirmed=False)


@transaction.atomic
def two_factor_device_confirm(*, actor, device: TOTPDevice, token: str) -> TOTPDevice:
    if device.user_id != actor.pk or device.confirmed:
        raise RuleViolation("Start setting up your authenticator app again.")
    if not device.verify_token(token):
        raise RuleViolation(
            "That code is not right. Check the time on your phone and try the newest code."
        )
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=actor).exclude(pk=device.pk).delete()
    audit_record(actor=actor, verb="user.two_factor_set_up", target=actor)
    return device


@transaction.atomic
def user_two_factor_reset(*, actor, user) -> None:
    """An administrator clears a lost authenticator app; the person sets a new one up at their
    next sign-in."""
    _same_agency_admin(actor, user)
    TOTPDevice.objects.filter(user=user).delete()
    user.session_generation += 1  # anyone signed in on the lost phone's session is signed out
    user.save(update_fields=["session_generation"])
    audit_record(actor=actor, verb="user.two_factor_reset", target=user)


@transaction.atomic
def user_unlock(*, actor, user) -> None:
    """Lift a sign-in lockout early, for example once the person has confirmed it was them."""
    _same_agency_admin(actor, user)
    reset(username=user.username)
    audit_record(actor=actor, verb="user.unlocked", target=user)


def _same_agency_admin(actor, user) -> None:
    if actor.role != Role.ADMINISTRATOR or actor.agency_id != user.agency_id:
        raise RuleViolation("Only an administrator of the person's own agency can do that.")
