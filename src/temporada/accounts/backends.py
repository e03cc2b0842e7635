from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.hashers import make_password

from temporada.core.audit import EventType, record

from .services import is_locked_out, normalise_username, note_login_attempt


class AccountLocked(Exception):
    pass


class LockoutModelBackend(ModelBackend):
    """ModelBackend plus a database-backed lock-out.

    Timing: unknown users, inactive users and wrong passwords all cost one password hash
    (Django hashes a dummy password for unknown users); a locked-out attempt also pays one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        if is_locked_out(username=username, request=request):
            make_password(password)
            record(type=EventType.LOGIN_LOCKED, request=request, object_type="accounts.user",
                   object_repr=normalise_username(username))
            if request is not None:
                request.login_locked = True
            return None
        user = super().authenticate(request, username=username, password=password, **kwargs)
        note_login_attempt(username=username, request=request, successful=user is not None, user=user)
        return user
