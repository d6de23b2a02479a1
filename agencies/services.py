from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

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
