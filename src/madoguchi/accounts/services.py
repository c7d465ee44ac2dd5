"""Writes of the accounts app: logging people in, and linking provider identities to accounts."""

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.contrib.auth import login
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from madoguchi.audit import services as audit
from madoguchi.organizations.selectors import home_municipality
from madoguchi.residents.selectors import person_for_verified_identity

from .models import ExternalIdentity, User
from .oidc import ProviderConfig

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


def log_in_resident(request: HttpRequest, user: User, *, provider: str, level: str) -> None:
    # The level travels with the login (see signals.remember_assurance).
    user.login_assurance = level
    login(request, user, backend=MODEL_BACKEND)
    audit.record(
        actor=user, action="login", target=user, detail={"provider": provider, "assurance": level}
    )


@transaction.atomic
def resident_for_claims(config: ProviderConfig, claims: dict[str, Any]) -> User:
    """The resident account of a verified login, made on the first one.

    The account is linked to a registry person only from claims the provider verified, and only
    when exactly one person has that name, birth date and address.
    """
    identity = (
        ExternalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(issuer=config.issuer, subject=str(claims["sub"]))
        .first()
    )
    person = _verified_person(config, claims)
    if identity is None:
        user = _account_of(person) or _new_resident(config, claims, person)
        identity = ExternalIdentity.objects.create(
            user=user, provider=config.key, issuer=config.issuer, subject=str(claims["sub"])
        )
    user = identity.user
    if user.kind != User.Kind.RESIDENT:
        raise PermissionError("A staff account cannot log in as a resident.")
    if user.person_id is None and person is not None and _account_of(person) is None:
        user.person = person
        user.municipality = person.municipality
        user.save(update_fields=["person", "municipality"])
    identity.last_login_at = timezone.now()
    identity.save(update_fields=["last_login_at"])
    return user


def _verified_person(config: ProviderConfig, claims: dict[str, Any]) -> Any:
    if not config.verified_claims:
        return None
    name = claims.get("name") or f"{claims.get('family_name', '')}{claims.get('given_name', '')}"
    address = claims.get("address") or {}
    formatted = address.get("formatted", "") if isinstance(address, dict) else str(address)
    try:
        birth_date = dt.date.fromisoformat(str(claims.get("birthdate", "")))
    except ValueError:
        return None
    return person_for_verified_identity(name=name, birth_date=birth_date, address=formatted)


def _account_of(person: Any) -> User | None:
    if person is None:
        return None
    return User.objects.filter(person=person, kind=User.Kind.RESIDENT).first()


def _new_resident(config: ProviderConfig, claims: dict[str, Any], person: Any) -> User:
    # The username carries no personal data: a digest of issuer and subject.
    digest = hashlib.sha256(f"{config.issuer}\n{claims['sub']}".encode()).hexdigest()[:24]
    email = claims.get("email", "") if claims.get("email_verified") else ""
    user = User(
        username=f"{config.key}-{digest}"[:150],
        kind=User.Kind.RESIDENT,
        municipality=person.municipality if person else home_municipality(),
        full_name=person.full_name if person else str(claims.get("name", ""))[:100],
        email=email,
        person=person,
    )
    user.set_unusable_password()
    user.save()
    return user


@transaction.atomic
def staff_for_claims(config: ProviderConfig, claims: dict[str, Any]) -> User | None:
    """The staff account a login at the city's IdP belongs to. Staff accounts are made by the
    city, never by a login: the first time, the IdP's username claim finds the account."""
    identity = (
        ExternalIdentity.objects.select_related("user")
        .filter(issuer=config.issuer, subject=str(claims["sub"]))
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        username = str(claims.get(config.staff_username_claim) or "")
        user = User.objects.filter(username=username, kind=User.Kind.STAFF).first()
        if user is None or not username:
            return None
        ExternalIdentity.objects.create(
            user=user, provider=config.key, issuer=config.issuer, subject=str(claims["sub"])
        )
    return user if user.is_active and user.is_city_staff else None


def anonymised_account(municipality: Any) -> User:
    """The one account that anonymised applications of ``municipality`` belong to: nobody can
    log in as it, and it names nobody (retention.services.purge)."""
    user, created = User.objects.get_or_create(
        username=_anonymised_username(municipality),
        defaults={
            "kind": User.Kind.RESIDENT,
            "municipality": municipality,
            "is_active": False,
        },
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def anonymised_account_id(municipality: Any) -> int | None:
    return (
        User.objects.filter(username=_anonymised_username(municipality))
        .values_list("pk", flat=True)
        .first()
    )


def _anonymised_username(municipality: Any) -> str:
    return f"anonymised-{municipality.code}"


def resident_account_for(person: Any) -> User:
    """The person's resident account, made (without a password) when a clerk starts an
    application for them at the counter; a later login verified as this person finds it, so
    the resident sees their counter applications online too."""
    existing = _account_of(person)
    if existing is not None:
        return existing
    user = User(
        username=f"counter-{secrets.token_hex(12)}",  # no personal data in a username
        kind=User.Kind.RESIDENT,
        municipality=person.municipality,
        full_name=person.full_name,
        person=person,
    )
    user.set_unusable_password()
    user.save()
    return user
