"""Secret tokens: how a personal link's token is stored, and the signed, expiring, one-time links of accounts.

``token_hash`` is the one way a random link token (signature portal, event registration) is kept in the
database: only its SHA-256, so a read of the table gives no working link.

The account tokens, password reset (Django's) and invitations, are not stored at all. Both hash the account's password and last login (Django's ``PasswordResetTokenGenerator``), so
a link stops working once a password is chosen. The invitation gets its own salt, so a reset link is
never accepted as an invitation, and its own validity, longer than a reset link's.
"""

import hashlib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int


def token_hash(token: str) -> str:
    """The SHA-256 (hexadecimal) of ``token``: what is stored and looked up instead of the token itself.

    Random tokens of 256 bits need no salt nor slow hash: no dictionary holds them.
    """
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    key_salt = "partnership.tokens.InvitationTokenGenerator"

    @property
    def max_age_seconds(self) -> int:
        return settings.ACCOUNT_INVITATION_VALIDITY_DAYS * 24 * 3600

    def check_token(self, user, token) -> bool:
        if not (user and token):
            return False
        timestamp, separator, _hash = str(token).partition("-")
        if not separator:
            return False
        try:
            made_at = base36_to_int(timestamp)
        except ValueError:
            return False
        if self._num_seconds(self._now()) - made_at > self.max_age_seconds:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, made_at, secret), token)
            for secret in (self.secret, *self.secret_fallbacks)
        )


invitation_tokens = InvitationTokenGenerator()
