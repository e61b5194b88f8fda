# The access matrix's world (one object of each kind) lets the round trip find every page holding a form.
from tests.security.conftest import _fast_password_hasher, world  # noqa: F401
