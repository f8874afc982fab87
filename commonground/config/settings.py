"""Settings, read from the environment with typed defaults.

DATABASE_URL     default: SQLite file var/commonground.sqlite3 (WAL, busy timeout)
SECRET_KEY       default: generated once into var/secret_key
DEBUG            default: off ("1", "true", "yes" turn it on)
ALLOWED_HOSTS    default: localhost,127.0.0.1 (comma-separated)
CG_VAR_DIR       default: ./var (database, secret key, uploads, collected static files)
CG_BASEMAP_URL   optional map tiles; their host joins the Content-Security-Policy's img-src
CELERY_BROKER_URL  optional; background work runs inline without it
CG_HTTPS         "1" behind HTTPS: secure cookies, HSTS, redirect to HTTPS (see the README's production notes)
CG_LOGIN_FAILURE_LIMIT, CG_LOGIN_COOLOFF_MINUTES   login lockout per user name and address (5, 15)
"""

from __future__ import annotations

import datetime
import os
import secrets
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PACKAGE_DIR.parent
VAR_DIR = Path(os.environ.get("CG_VAR_DIR", BASE_DIR / "var")).resolve()
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def tile_source(url: str) -> str:
    """The CSP source of a map-tile URL template: its scheme and host, with a templated subdomain ("{s}.tile…",
    "webrd0{s}.is…") as a wildcard; "" for a relative or empty URL (served from 'self')."""
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        return ""
    labels = parts.netloc.rpartition("@")[2].split(".")
    templated = [index for index, label in enumerate(labels) if "{" in label]
    host = ".".join(["*", *labels[templated[-1] + 1:]]) if templated else ".".join(labels)
    return f"{parts.scheme}://{host}"


def _secret_key() -> str:
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "http://localhost:8000,http://127.0.0.1:8000")

INSTALLED_APPS = [
    # First, so its templates may override the admin's (admin/search_form.html: an untranslated alt text).
    "commonground.web",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "csp",
    "simple_history",
    "axes",
    "commonground.core",
    "commonground.cases",
    "commonground.deliberation",
    "commonground.renewal",
    "commonground.coordination",
    "commonground.programs",
    "commonground.business",
    "commonground.cockpit",
    "commonground.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "commonground.web.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "commonground.web.middleware.PasswordChangeRequiredMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# django-axes: after CG_LOGIN_FAILURE_LIMIT wrong passwords for one user name from one address, that pair is
# locked out for CG_LOGIN_COOLOFF_MINUTES (real time, not the deployment's clock); every failure is logged.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("CG_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("CG_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "commonground.web.views.locked_out"
AXES_VERBOSE = False

ROOT_URLCONF = "commonground.config.urls"
WSGI_APPLICATION = "commonground.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'commonground.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers go on while one writer writes; IMMEDIATE takes the write lock at
        # BEGIN so concurrent writers wait (timeout) instead of failing mid-transaction.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

# Uploads (rosters, photos, scans): refuse anything larger than this many bytes.
CG_MAX_UPLOAD_BYTES = int(os.environ.get("CG_MAX_UPLOAD_BYTES", str(10 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = CG_MAX_UPLOAD_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = CG_MAX_UPLOAD_BYTES

# Daily working periods for SLA deadlines (local time), comma-separated.
CG_WORKING_HOURS = os.environ.get("CG_WORKING_HOURS", "08:30-12:00,13:30-17:30")

# Send case notifications by e-mail too (Django's mail framework; EMAIL_* settings below).
CG_EMAIL_NOTIFICATIONS = env_bool("CG_EMAIL_NOTIFICATIONS")
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if os.environ.get(
    "EMAIL_HOST") else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "commonground@localhost")

CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
# Without a broker, tasks run inline where they are called (and `commonground tick` runs from cron).
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_IGNORE_RESULT = True

SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

# Served over HTTPS (CG_HTTPS=1): cookies only over TLS, HSTS for a year, plain HTTP redirected. Behind a
# TLS-terminating proxy that sets X-Forwarded-Proto (and strips it from clients), also CG_PROXY_SSL_HEADER=1.
CG_HTTPS = env_bool("CG_HTTPS")
if CG_HTTPS:
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = int(os.environ.get("CG_HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("CG_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("CG_HSTS_PRELOAD", True)
if env_bool("CG_PROXY_SSL_HEADER"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "INFO"}},
}

CG_NAME = _("CommonGround")

# Map tiles for Leaflet maps, e.g. "https://tiles.example.org/{z}/{x}/{y}.png"; empty: no basemap
# (places are drawn on a blank map), so nothing is fetched from outside by default.
CG_BASEMAP_URL = os.environ.get("CG_BASEMAP_URL", "")

# Content-Security-Policy (django-csp), so that markup which slips into a page (a place named "<img onerror=…>")
# cannot run: scripts and styles only from our own static files — no inline <script>, no on…= handler, no
# style="…", no eval. Data for scripts goes in {{ …|json_script }} blocks; behaviour in static files
# (web/static/web/behaviours.js). Leaflet and ECharts style elements through the CSSOM, which the policy allows.
# img-src: data: for Pico's icons, blob: for images a page builds itself (a chart saved as a picture), and the
# basemap's tile host. PDF responses go without the policy (web/csp.py says why). One page adds 'unsafe-eval': the
# cockpit's 3D view, for ECharts GL (cockpit/views/dashboards.py says why).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *filter(None, [tile_source(CG_BASEMAP_URL)])],
        "connect-src": [SELF],
        "font-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
}
