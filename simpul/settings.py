"""Simpul settings: everything that varies between machines comes from the environment.

``SIMPUL_ENV`` names the kind of deployment: ``production`` (the default, so a
forgotten variable fails safe), ``development`` (``make demo``) or ``test``.
"""

import json
import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from simpul.env import env_bool, env_int, env_list, env_secret, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("SIMPUL_VAR_DIR", str(BASE_DIR / "var")))

SIMPUL_ENV = env_str("SIMPUL_ENV", "production")
if SIMPUL_ENV not in {"production", "development", "test"}:
    raise ImproperlyConfigured(f"SIMPUL_ENV must be production, development or test, got {SIMPUL_ENV!r}")
IS_PRODUCTION = SIMPUL_ENV == "production"
DEBUG = env_bool("SIMPUL_DEBUG", False)


def _dev_secrets() -> dict[str, str]:
    """Random secrets for a developer machine, made once and kept under var/ (never committed)."""
    path = VAR_DIR / "dev-secrets.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    values = {
        "SIMPUL_SECRET_KEY": secrets.token_urlsafe(50),
        "SIMPUL_FIELD_KEY": secrets.token_urlsafe(32),
        "SIMPUL_LOOKUP_KEY": secrets.token_urlsafe(32),
    }
    path.write_text(json.dumps(values), encoding="utf-8")
    path.chmod(0o600)
    return values


_fallback = {} if IS_PRODUCTION else _dev_secrets()
SECRET_KEY = env_secret("SIMPUL_SECRET_KEY", _fallback.get("SIMPUL_SECRET_KEY"))
# Key for encrypting NIK and KK at rest, and a separate key for their keyed lookup hashes.
SIMPUL_FIELD_KEY = env_secret("SIMPUL_FIELD_KEY", _fallback.get("SIMPUL_FIELD_KEY"))
SIMPUL_LOOKUP_KEY = env_secret("SIMPUL_LOOKUP_KEY", _fallback.get("SIMPUL_LOOKUP_KEY"))

ALLOWED_HOSTS = env_list("SIMPUL_ALLOWED_HOSTS", [] if IS_PRODUCTION else ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SIMPUL_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "simpul.core",
    "simpul.audit",
    "simpul.regions",
    "simpul.accounts",
    "simpul.posyandu",
    "simpul.registry",
    "simpul.health",
    "simpul.immunization",
    "simpul.maternal",
    "simpul.screening",
    "simpul.serviceday",
    "simpul.reports",
    "simpul.referrals",
    "simpul.notifications",
    "simpul.open311",
    "simpul.sync",
    "simpul.spm",
    "simpul.alerts",
    "simpul.tasks",
    "simpul.demo",
    "simpul.fieldapp",
    "simpul.programmes",
    "simpul.activities",
    "simpul.practice",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "simpul.core.middleware.NulCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After auth and messages: the user and session come from the real database (simpul/practice).
    "simpul.practice.middleware.PracticeMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "simpul.core.middleware.NotInScopeAs404Middleware",
    "simpul.api.middleware.JsonMethodNotAllowedMiddleware",
]

ROOT_URLCONF = "simpul.urls"
WSGI_APPLICATION = "simpul.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "simpul" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "simpul.accounts.context_processors.scope",
                "simpul.notifications.context_processors.unread",
                "simpul.practice.context_processors.practice",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------
# SQLite under var/ is the embedded default; PostgreSQL through DATABASE_URL in production.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'simpul.sqlite3'}"),
        # Persistent connections: opening a connection per request makes a write view 3-6x slower.
        conn_max_age=env_int("SIMPUL_DB_CONN_MAX_AGE", 600, minimum=0),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets readers and one writer work at once; IMMEDIATE avoids "database is locked"
        # when a read transaction later upgrades to a write.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Practice mode (simulasi): one SQLite file per posyandu workspace, never a production table (decision 0028).
SIMPUL_PRACTICE_DIR = Path(env_str("SIMPUL_PRACTICE_DIR", str(VAR_DIR / "practice")))

# --- Authentication ---------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"
SESSION_COOKIE_AGE = env_int("SIMPUL_SESSION_SECONDS", 8 * 3600, minimum=300)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
API_TOKEN_TTL_HOURS = env_int("SIMPUL_API_TOKEN_TTL_HOURS", 24, minimum=1)

# Login throttling: five failures for one username from one address locks it for 30 minutes.
AXES_FAILURE_LIMIT = env_int("SIMPUL_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = 0.5
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked.html"
AXES_LOCKOUT_CALLABLE = "simpul.accounts.lockout.locked_response"  # JSON under /api/, the page elsewhere
AXES_VERBOSE = False

# --- Security ---------------------------------------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("SIMPUL_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SIMPUL_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]

# Request size limits: a household with members is a few kB; anything near a megabyte is abuse.
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("SIMPUL_MAX_BODY_BYTES", 1_048_576, minimum=1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000

# --- Internationalisation ---------------------------------------------------
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Indonesian")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if IS_PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
MEDIA_ROOT = VAR_DIR / "media"

# --- Uploaded documents and photos -------------------------------------------
# Local files under MEDIA_ROOT by default; setting SIMPUL_S3_BUCKET moves them to any
# S3-compatible object store (AWS, MinIO, Ceph, a cloud provider's OSS). Objects stay
# private: every download goes through Simpul's scoped, audited view, never a public URL.
S3_BUCKET = env_str("SIMPUL_S3_BUCKET", "")
if S3_BUCKET:
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": env_str("SIMPUL_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("SIMPUL_S3_REGION", "") or None,
            # Empty keys fall back to the machine's own credentials (instance role, ~/.aws).
            "access_key": env_secret("SIMPUL_S3_ACCESS_KEY", "") or None,
            "secret_key": env_secret("SIMPUL_S3_SECRET_KEY", "") or None,
            "location": env_str("SIMPUL_S3_PREFIX", ""),
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }

# --- Background tasks -----------------------------------------------------------
# The database backend runs embedded (manage.py db_worker); moving to Django 6's
# django.tasks later is a settings change. Tests run tasks inline, and so does the
# demo (make demo sets SIMPUL_TASKS_INLINE, as it starts no worker): a task then runs
# in the request that queued it, after its commit.
SIMPUL_TASKS_INLINE = env_bool("SIMPUL_TASKS_INLINE", SIMPUL_ENV == "test")
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if SIMPUL_TASKS_INLINE
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

# --- Notifications ------------------------------------------------------------
# In-app notifications are always on. Email, WhatsApp and SMS only when SIMPUL_NOTIFY_CHANNELS names them
# (e.g. "email,whatsapp"); a named gateway without its URL and token stops start-up. Off by default,
# strict once on. Messages wait in the outbox and are sent by the worker or `manage.py notifications_send`.
SIMPUL_NOTIFY_CHANNELS = env_list("SIMPUL_NOTIFY_CHANNELS", [])
_unknown_channels = sorted(set(SIMPUL_NOTIFY_CHANNELS) - {"email", "whatsapp", "sms"})
if _unknown_channels:
    raise ImproperlyConfigured(f"SIMPUL_NOTIFY_CHANNELS may name email, whatsapp and sms, got {_unknown_channels}")
SIMPUL_NOTIFY_TIMEOUT_SECONDS = env_int("SIMPUL_NOTIFY_TIMEOUT_SECONDS", 10, minimum=1)
SIMPUL_WHATSAPP_GATEWAY_URL = env_str("SIMPUL_WHATSAPP_GATEWAY_URL", "")
SIMPUL_WHATSAPP_GATEWAY_TOKEN = env_secret("SIMPUL_WHATSAPP_GATEWAY_TOKEN", "")
SIMPUL_SMS_GATEWAY_URL = env_str("SIMPUL_SMS_GATEWAY_URL", "")
SIMPUL_SMS_GATEWAY_TOKEN = env_secret("SIMPUL_SMS_GATEWAY_TOKEN", "")
for _channel, _url, _token in (("whatsapp", SIMPUL_WHATSAPP_GATEWAY_URL, SIMPUL_WHATSAPP_GATEWAY_TOKEN),
                               ("sms", SIMPUL_SMS_GATEWAY_URL, SIMPUL_SMS_GATEWAY_TOKEN)):
    if _channel in SIMPUL_NOTIFY_CHANNELS and (not _url.startswith(("https://", "http://")) or not _token):
        _name = f"SIMPUL_{_channel.upper()}_GATEWAY"
        raise ImproperlyConfigured(f"SIMPUL_NOTIFY_CHANNELS names {_channel}: set {_name}_URL (http/https) and "
                                   f"{_name}_TOKEN (or {_name}_TOKEN_FILE)")
# The address citizens and officers reach Simpul at: links in messages, the status page URL and its QR code
# on printed receipts. In production it defaults to https:// and the first allowed host.
SIMPUL_BASE_URL = env_str(
    "SIMPUL_BASE_URL",
    f"https://{ALLOWED_HOSTS[0]}" if IS_PRODUCTION and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
if not SIMPUL_BASE_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(f"SIMPUL_BASE_URL must start with https:// or http://, got {SIMPUL_BASE_URL!r}")
# Standard Django email settings; development prints mail to the console instead of sending it.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend" if IS_PRODUCTION
                        else "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25, minimum=1)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("Set EMAIL_USE_TLS or EMAIL_USE_SSL, not both")
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10, minimum=1)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Simpul <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# --- end of Notifications -----------------------------------------------------

# --- Logging: never log request bodies (they carry NIK) -----------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SIMPUL_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}

if SIMPUL_ENV == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
