"""How a service says « someone changed it first »: ``StaleState``, which the view toolkit answers with 409.

Two refusals look alike to a person and differ for the protocol (RFC 9110): an ordinary validation
error (a missing field, a date out of range: 400, the form comes back to be corrected) and a conflict
with the current state of the object (409): the form was built from a version someone has since saved,
or the object left the state the action needs (a contract no longer a draft, a session already closed).
A service raises ``StaleState`` for the second, a ``ValidationError`` like any other (``run_service``
shows it the same way, on the form or in the messages); ``is_stale`` tells them apart, even inside a
``ValidationError`` gathering several errors.
"""

from django.core.exceptions import ValidationError


class StaleState(ValidationError):
    """A refusal because the form is stale or the object left the state the action needs (409)."""

    def __init__(self, message, code: str = "stale", params=None):
        super().__init__(message, code=code, params=params)


def is_stale(error: ValidationError) -> bool:
    """Whether ``error`` is, or gathers, a ``StaleState``."""
    if isinstance(error, StaleState):
        return True
    if hasattr(error, "error_dict"):
        leaves = [leaf for errors in error.error_dict.values() for leaf in errors]
    else:
        leaves = error.error_list
    return any(isinstance(leaf, StaleState) for leaf in leaves if leaf is not error)
