"""Every write to API clients and tokens: atomic, audited, `<entity>_<verb>(*, actor, ...)`.

Only administrators manage clients (checked by the views that call these). A token's secret is
returned once, from `api_token_issue`, and never stored: only its SHA-256 hash is kept.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from agencies.models import Role
from api.models import ApiClient, ApiToken, Scope
from core.audit import audit_record
from core.errors import RuleViolation

TOKEN_PREFIX = "tf_"
DEFAULT_TOKEN_DAYS = 90
MAX_TOKEN_DAYS = 366
# How often last_used_at is written: once a minute is enough to see a token is in use, and
# keeps a busy client from writing to the database on every request.
LAST_USED_GRANULARITY = datetime.timedelta(minutes=1)


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _audit(actor, verb: str, target, changes: dict) -> None:
    audit_record(actor=actor, verb=verb, target=target, agency_id=target.agency_id, changes=changes)


def _clean_scopes(scopes) -> list[str]:
    scopes = sorted(set(scopes or []))
    unknown = [s for s in scopes if s not in Scope.values]
    if unknown:
        raise RuleViolation(f"Unknown scope: {', '.join(unknown)}.")
    return scopes


@transaction.atomic
def api_client_create(*, actor, name: str, acting_user, scopes) -> ApiClient:
    name = name.strip()
    if not name:
        raise RuleViolation("Give the client a name.")
    if acting_user.agency_id != actor.agency_id or not acting_user.is_active:
        raise RuleViolation("The client must act as an active member of staff in your agency.")
    if acting_user.role == Role.ADMINISTRATOR:
        raise RuleViolation(
            "Administrators open no case records, so a client acting as one could read nothing."
        )
    if ApiClient.objects.filter(agency_id=actor.agency_id, name__iexact=name).exists():
        raise RuleViolation("There is already a client with that name.")
    client = ApiClient.objects.create(
        agency_id=actor.agency_id,
        name=name,
        acting_user=acting_user,
        scopes=_clean_scopes(scopes),
        created_by=actor,
    )
    _audit(
        actor,
        "api.client_created",
        client,
        {"name": client.name, "acting_user": acting_user.pk, "scopes": client.scopes},
    )
    return client


@transaction.atomic
def api_client_revoke(*, actor, client: ApiClient) -> ApiClient:
    """Switch a client off for good: it and every token it holds stop working at once."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise RuleViolation(f"{client.name} was already switched off.")
    now = timezone.now()
    client.revoked_at = now
    client.save(update_fields=["revoked_at", "updated_at"])
    revoked = client.tokens.filter(revoked_at__isnull=True).update(revoked_at=now, revoked_by=actor)
    _audit(actor, "api.client_revoked", client, {"name": client.name, "tokens_revoked": revoked})
    return client


@transaction.atomic
def api_token_issue(
    *, actor, client: ApiClient, days: int = DEFAULT_TOKEN_DAYS
) -> tuple[ApiToken, str]:
    """A new bearer token for the client. Returns the token and its secret: show the secret
    once, it cannot be recovered."""
    client = ApiClient.objects.select_for_update().get(pk=client.pk)
    if client.revoked_at is not None:
        raise RuleViolation(f"{client.name} has been switched off: it can have no new tokens.")
    if not 1 <= days <= MAX_TOKEN_DAYS:
        raise RuleViolation(f"A token lasts from 1 to {MAX_TOKEN_DAYS} days.")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        agency_id=client.agency_id,
        client=client,
        token_hash=token_hash(secret),
        prefix=secret[: len(TOKEN_PREFIX) + 6],
        created_by=actor,
        expires_at=timezone.now() + datetime.timedelta(days=days),
    )
    _audit(
        actor,
        "api.token_issued",
        client,
        {"client": client.name, "token": token.prefix, "expires_at": token.expires_at},
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().select_related("client").get(pk=token.pk)
    if token.revoked_at is not None:
        raise RuleViolation("That token was already revoked.")
    token.revoked_at, token.revoked_by = timezone.now(), actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    _audit(
        actor,
        "api.token_revoked",
        token.client,
        {"client": token.client.name, "token": token.prefix},
    )
    return token


def api_token_touch(token: ApiToken) -> None:
    """Note that a token was used (at most once a minute)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_GRANULARITY:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
