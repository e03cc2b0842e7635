"""Production settings: everything sensitive must come from the environment."""

import os

from .settings import *  # noqa: F403
from .settings import _env_bool

if not os.environ.get("TEMPORADA_SECRET_KEY"):
    raise RuntimeError("TEMPORADA_SECRET_KEY must be set in production")
SECRET_KEY = os.environ["TEMPORADA_SECRET_KEY"]
DEBUG = False
SECURE_SSL_REDIRECT = _env_bool("TEMPORADA_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = 31536000
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
WHITENOISE_USE_FINDERS = False
STORAGES = {
    **STORAGES,  # noqa: F405
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
