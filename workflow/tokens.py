"""API tokens: one per person (Django REST framework's model), valid for ``IDHINI_TOKEN_TTL``
hours after it was issued; the logout endpoint and the admin revoke it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

if TYPE_CHECKING:
    from django.contrib.auth.models import User


def token_expires_at(token: Token):
    return token.created + settings.TOKEN_TTL


def token_is_expired(token: Token) -> bool:
    return timezone.now() >= token_expires_at(token)


def token_issue(*, user: User) -> Token:
    """The person's token: the current one while it is valid, a new one once it has expired."""
    for _attempt in range(2):
        with transaction.atomic():
            token = Token.objects.select_for_update().filter(user=user).first()
            if token is not None and not token_is_expired(token):
                return token
            if token is not None:
                token.delete()
            try:
                with transaction.atomic():
                    return Token.objects.create(user=user)
            except IntegrityError:
                continue  # issued at the same moment by another request: take that one
    return Token.objects.get(user=user)


def token_revoke(*, user: User) -> int:
    """Sign the person out of the API everywhere: their token stops working at once."""
    deleted, _rows = Token.objects.filter(user=user).delete()
    return deleted


class ExpiringTokenAuthentication(TokenAuthentication):
    """``Authorization: Token <key>``, refused (401) once the token is older than the TTL."""

    def authenticate_credentials(self, key):
        user, token = super().authenticate_credentials(key)
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("Your API token has expired. Ask for a new one at /api/v1/auth/token/."),
                code="token_expired",
            )
        return user, token
