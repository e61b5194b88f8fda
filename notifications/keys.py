"""An e-mail address where only recognising it again is needed: a keyed hash, never the address.

The reminder log must know « this reminder already went to this person » for as long as the
reminder could be decided again, and an opt-out « this person turned this reminder off » for as
long as reminders go out; neither needs to be able to write to the person. Both keep
``address_key(email)``, an HMAC-SHA256 of the normalised address under ``PERSONAL_DATA_HASH_KEY``:
comparing works, reading back does not. The migrations that filled the keys spell the same
function out (``notifications/migrations/0002_…``): change both together, or neither.
"""

import hashlib
import hmac

from django.conf import settings


def normalise_email(email: str) -> str:
    return email.strip().lower()


def address_key(email: str) -> str:
    return hmac.new(
        settings.PERSONAL_DATA_HASH_KEY.encode(), normalise_email(email).encode(), hashlib.sha256
    ).hexdigest()
