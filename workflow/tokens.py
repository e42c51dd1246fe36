"""API tokens: one per person (Django REST framework's model), valid for ``IDHINI_TOKEN_TTL``
hours after it was issued; the logout endpoint and the admin revoke it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication
from rest_framework.authtoken.models import Token

from config.sql import Reusable, column_names
from workflow.roles import ContextColumns

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
    """``Authorization: Token <key>``, refused (401) once the token is older than the TTL.

    One statement reads the token, its person, their memberships with the institution and
    whether they have an authenticator (workflow.roles.ContextColumns), where REST framework
    and ``user_context`` read them in two and a transition's second-factor check in a third.
    Every request reads the token afresh (no cache across requests), so a revoked token (its row
    deleted) or an expired one fails at once, and a role changed counts from the next request.
    """

    def authenticate_credentials(self, key):
        found = self._read(key)
        if found is None:
            # No such token, or its person is inactive: REST framework's own answer (its 401).
            # Should it find them after all (the person made active again in between), the
            # token's age still counts.
            found = super().authenticate_credentials(key)
        user, token = found
        if token_is_expired(token):
            raise exceptions.AuthenticationFailed(
                _("Your API token has expired. Ask for a new one at /api/v1/auth/token/."),
                code="token_expired",
            )
        return user, token

    def _read(self, key) -> tuple[User, Token] | None:
        rows = _BY_KEY.rows(key)
        if not rows:
            return None
        first = rows[0]
        token = Token.from_db(DEFAULT_DB_ALIAS, _TOKEN_FIELDS, first[: len(_TOKEN_FIELDS)])
        user = _USER.from_db(DEFAULT_DB_ALIAS, _USER_FIELDS, first[len(_TOKEN_FIELDS) : _START])
        if not user.is_active:
            return None
        token.user = user
        _FROM_TOKEN.remember(user, rows, start=_START)
        return user, token


_USER = get_user_model()
_TOKEN_FIELDS = column_names(Token)
_USER_FIELDS = column_names(_USER)
_START = len(_TOKEN_FIELDS) + len(_USER_FIELDS)
_FROM_TOKEN = ContextColumns(to_user="user__")
# Compiled once per connection (config.sql.Reusable); no token has this key (keys are hex).
_BY_KEY = Reusable(
    lambda key: _FROM_TOKEN.values(
        Token.objects.filter(key=key), *_TOKEN_FIELDS, *(f"user__{f}" for f in _USER_FIELDS)
    ),
    placeholder="(no token)",
)
