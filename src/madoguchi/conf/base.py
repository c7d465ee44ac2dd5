"""Settings for every environment, driven by environment variables.

MADOGUCHI_ENV selects the mode: ``demo`` (the default, embedded SQLite, demo logins and data) or
``production`` (refuses demo secrets, secure cookies, HSTS; passes ``manage.py check --deploy``).
"""

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from .env import env_bool, env_int, env_json, env_list, env_str

SRC_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = SRC_DIR.parent.parent
VAR_DIR = Path(env_str("MADOGUCHI_VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

ENVIRONMENT = env_str("MADOGUCHI_ENV", "demo")
if ENVIRONMENT not in {"demo", "test", "production"}:
    raise ImproperlyConfigured("MADOGUCHI_ENV must be demo, test or production.")
PRODUCTION = ENVIRONMENT == "production"

# Refused in production (see below); it only lets the demo start with nothing configured.
DEMO_SECRET_KEY = "demo-only-secret-key-never-use-in-production-0000000000000000000"  # noqa: S105
SECRET_KEY = env_str("SECRET_KEY", None if PRODUCTION else DEMO_SECRET_KEY)
if PRODUCTION and (SECRET_KEY == DEMO_SECRET_KEY or len(SECRET_KEY) < 50):
    raise ImproperlyConfigured(
        "Production refuses the demo SECRET_KEY: set SECRET_KEY to 50 or more random characters."
    )

# Field encryption of 特定個人情報 (core.crypto): "key_id:base64(32 bytes)", comma-separated,
# the first encrypts. And the key of the lookup digests. Production refuses the demo ones.
DEMO_ENCRYPTION_KEY = "demo-2026:ZGVtby1vbmx5LWtleS1uZXZlci1wcm9kdWN0aW9uISE="
DEMO_LOOKUP_KEY = "demo-only-lookup-key-never-in-production"
MADOGUCHI_ENCRYPTION_KEYS = env_list(
    "MADOGUCHI_ENCRYPTION_KEYS", [] if PRODUCTION else [DEMO_ENCRYPTION_KEY]
)
MADOGUCHI_LOOKUP_KEY = env_str("MADOGUCHI_LOOKUP_KEY", None if PRODUCTION else DEMO_LOOKUP_KEY)
if PRODUCTION and (
    not MADOGUCHI_ENCRYPTION_KEYS
    or DEMO_ENCRYPTION_KEY in MADOGUCHI_ENCRYPTION_KEYS
    or MADOGUCHI_LOOKUP_KEY == DEMO_LOOKUP_KEY
    or len(MADOGUCHI_LOOKUP_KEY) < 32
):
    raise ImproperlyConfigured(
        "Production needs its own MADOGUCHI_ENCRYPTION_KEYS and MADOGUCHI_LOOKUP_KEY "
        "(32+ characters); the demo keys are refused."
    )

DEBUG = env_bool("DEBUG", False) and not PRODUCTION
# Demo features (the labelled demo login, demo data commands) never run in production.
DEMO_MODE = env_bool("MADOGUCHI_DEMO", not PRODUCTION) and not PRODUCTION

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("Production needs ALLOWED_HOSTS.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "madoguchi.accounts.admin_site.MadoguchiAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "madoguchi.core",
    "madoguchi.organizations",
    "madoguchi.accounts",
    "madoguchi.audit",
    "madoguchi.residents",
    "madoguchi.procedures",
    "madoguchi.forms",
    "madoguchi.submissions",
    "madoguchi.datause",
    "madoguchi.attachments",
    "madoguchi.payments",
    "madoguchi.payments.contrib.sandbox",
    "madoguchi.cases",
    "madoguchi.bundles",
    "madoguchi.issuance",
    "madoguchi.notifications",
    "madoguchi.eligibility",
    "madoguchi.retention",
    "madoguchi.opendata",
    "madoguchi.dataportal",
    "madoguchi.portal",
    "madoguchi.staff",
    "madoguchi.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "madoguchi.core.middleware.RequestSizeLimitMiddleware",
    "madoguchi.core.ratelimits.ApiRateLimitMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "madoguchi.core.middleware.ApiLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "madoguchi.accounts.middleware.StaffIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes requires: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "madoguchi.urls"
WSGI_APPLICATION = "madoguchi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "madoguchi.core.context_processors.site",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'madoguchi.sqlite3'}"),
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# django-axes first: it counts failed staff logins and refuses a locked-out one.
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
LOGIN_URL = "accounts:resident-login"

# OpenID Connect providers by key: issuer, client_id, client_secret, labels, levels of assurance
# (see madoguchi.accounts.oidc.ProviderConfig), as JSON, e.g.
# {"mynumber": {"issuer": "https://…", "client_id": "…", "client_secret": "…",
#   "label_ja": "マイナンバーカード", "assurance_by_amr": {"hwk": "high"}}}
MADOGUCHI_OIDC_PROVIDERS = env_json("MADOGUCHI_OIDC_PROVIDERS", {})
# Authentication providers for residents are plugins (see madoguchi.accounts.providers); by
# default every configured OIDC provider for residents, and the labelled demo one in the demo.
MADOGUCHI_RESIDENT_AUTH_PROVIDERS = env_list(
    "MADOGUCHI_RESIDENT_AUTH_PROVIDERS",
    [
        *(["demo"] if DEMO_MODE else []),
        *[
            key
            for key, provider in MADOGUCHI_OIDC_PROVIDERS.items()
            if provider.get("audience", "residents") == "residents"
        ],
    ],
)

# Staff: a second factor (TOTP, django-otp) after the password, lockout after repeated failures
# (django-axes), and a session that ends after a quiet spell.
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", "Madoguchi")
MADOGUCHI_STAFF_IDLE_SECONDS = env_int("MADOGUCHI_STAFF_IDLE_SECONDS", 30 * 60)
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("AXES_COOLOFF_HOURS", 1)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_USERNAME_FORM_FIELD = "username"
# Failed logins are counted in the database, not written to the log with their usernames.
AXES_VERBOSE = False
AXES_IPWARE_META_PRECEDENCE_ORDER = [env_str("MADOGUCHI_CLIENT_IP_HEADER", "REMOTE_ADDR")]

# Rate limits (django-ratelimit, counted in the shared cache): per address on logins and the
# API, per account on submissions.
RATELIMIT_IP_META_KEY = env_str("MADOGUCHI_CLIENT_IP_HEADER", "REMOTE_ADDR")
RATELIMIT_VIEW = "madoguchi.core.ratelimits.too_many_requests"
MADOGUCHI_RATE_LOGIN = env_str("MADOGUCHI_RATE_LOGIN", "30/m")
MADOGUCHI_RATE_SUBMISSION = env_str("MADOGUCHI_RATE_SUBMISSION", "60/m")
MADOGUCHI_RATE_API = env_str("MADOGUCHI_RATE_API", "300/m")
# A deployment with a Redis server names it (redis://host:port/db): one round trip per count
# instead of the database cache's several, and sessions read from it before the database.
CACHE_URL = env_str("MADOGUCHI_CACHE_URL", "")
if CACHE_URL:
    CACHES = {
        "default": {
            "BACKEND": "madoguchi.core.cache.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "madoguchi",
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "madoguchi_cache",
        }
    }
# Bodies larger than this are refused before they are read (413).
MADOGUCHI_MAX_REQUEST_BYTES = env_int("MADOGUCHI_MAX_REQUEST_BYTES", 10 * 1024 * 1024)

LANGUAGE_CODE = "ja"
# Each language is named in itself: the switch must be readable by those who need it.
LANGUAGES = [("ja", "日本語"), ("en", "English")]
# Each app keeps its own catalog in <app>/locale, so that apps are translated independently.
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
# Uploaded files and issued documents hold personal data: they are never served by URL,
# only streamed by views that check who is asking.
PRIVATE_MEDIA_ROOT = Path(env_str("MADOGUCHI_PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    },
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

TASKS = {
    "default": {
        "BACKEND": env_str("MADOGUCHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}

EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.filebased.EmailBackend",
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
EMAIL_HOST = env_str("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "madoguchi@city.kyoto.lg.jp")

# The public address of the site, used in e-mails that link back to it.
MADOGUCHI_BASE_URL = env_str("MADOGUCHI_BASE_URL", "http://127.0.0.1:8000")
MADOGUCHI_MUNICIPALITY_CODE = env_str("MADOGUCHI_MUNICIPALITY_CODE", "261009")
# Map tiles behind the open data portal's static maps ({z}/{x}/{y} URL template, e.g. the GSI's
# https://cyberjapandata.gsi.go.jp/xyz/std/{z}/{x}/{y}.png); empty: points on a plain background.
MADOGUCHI_OPENDATA_MAP_TILES = env_str("MADOGUCHI_OPENDATA_MAP_TILES", "")
MADOGUCHI_OPENDATA_MAP_ATTRIBUTION = env_str("MADOGUCHI_OPENDATA_MAP_ATTRIBUTION", "")
# Published statistics show a count of applications below this as "x" (秘匿), as e-Stat does.
MADOGUCHI_STATISTICS_MIN_COUNT = env_int("MADOGUCHI_STATISTICS_MIN_COUNT", 3)
# The Python of the rules environment (OpenFisca-Japan pins its own numpy); `make rules`.
MADOGUCHI_RULES_PYTHON = env_str("MADOGUCHI_RULES_PYTHON", str(BASE_DIR / ".venv-rules/bin/python"))
MADOGUCHI_RULES_TIMEOUT = env_int("MADOGUCHI_RULES_TIMEOUT", 600)
# Drafts not touched for this many days are not resumed and are purged (purge_expired_drafts).
MADOGUCHI_DRAFT_TTL_DAYS = env_int("MADOGUCHI_DRAFT_TTL_DAYS", 30)
# Uploads (attachments): the size limit when a question sets none, and the virus scanner (a key
# of attachments.scanners: "eicar" recognizes only the EICAR test file; "clamd" asks ClamAV).
MADOGUCHI_ATTACHMENT_MAX_MB = env_int("MADOGUCHI_ATTACHMENT_MAX_MB", 5)
MADOGUCHI_VIRUS_SCANNER = env_str("MADOGUCHI_VIRUS_SCANNER", "eicar")
MADOGUCHI_CLAMD_HOST = env_str("MADOGUCHI_CLAMD_HOST", "127.0.0.1")
MADOGUCHI_CLAMD_PORT = env_int("MADOGUCHI_CLAMD_PORT", 3310)
MADOGUCHI_CLAMD_TIMEOUT = env_int("MADOGUCHI_CLAMD_TIMEOUT", 30)
# How long residents can download an issued document from "my applications".
MADOGUCHI_DOWNLOAD_DAYS = env_int("MADOGUCHI_DOWNLOAD_DAYS", 30)
# The hour (local time) of the daily retention purge (retention.tasks).
MADOGUCHI_RETENTION_HOUR = env_int("MADOGUCHI_RETENTION_HOUR", 3)

# Payments: the provider new payments go to (a key of payments.providers.registry). The
# sandbox runs inside the demo and is refused in production.
MADOGUCHI_PAYMENT_PROVIDER = env_str("MADOGUCHI_PAYMENT_PROVIDER", "" if PRODUCTION else "sandbox")
# A signed webhook older than this is refused as a replay.
MADOGUCHI_PAYMENT_WEBHOOK_TOLERANCE_SECONDS = env_int("MADOGUCHI_PAYMENT_WEBHOOK_TOLERANCE", 300)
# A payment whose webhook has not come after this long is asked about (reconciliation).
MADOGUCHI_PAYMENT_RECONCILE_SECONDS = env_int("MADOGUCHI_PAYMENT_RECONCILE_SECONDS", 600)
MADOGUCHI_SANDBOX_WEBHOOK_SECRET = env_str(
    "MADOGUCHI_SANDBOX_WEBHOOK_SECRET", "demo-only-sandbox-webhook-secret"
)
MADOGUCHI_SANDBOX_WEBHOOK_DELAY_SECONDS = env_int("MADOGUCHI_SANDBOX_WEBHOOK_DELAY_SECONDS", 0)

# Issuance: the municipality's signing certificate (PAdES). The demo creates a demo CA and
# certificate here (manage.py create_demo_ca); production points these at the real ones.
SIGNING_DIR = VAR_DIR / "signing"
MADOGUCHI_SIGNING_KEY = env_str("MADOGUCHI_SIGNING_KEY", str(SIGNING_DIR / "signer-key.pem"))
MADOGUCHI_SIGNING_CERT = env_str("MADOGUCHI_SIGNING_CERT", str(SIGNING_DIR / "signer-cert.pem"))
MADOGUCHI_SIGNING_KEY_PASSWORD = env_str("MADOGUCHI_SIGNING_KEY_PASSWORD", "")
# The CA certificates that verify the signer (the trust roots of the verification page).
MADOGUCHI_SIGNING_CHAIN = env_list("MADOGUCHI_SIGNING_CHAIN", [str(SIGNING_DIR / "ca-cert.pem")])
# An optional image of the municipality's seal (公印) printed on certificates.
MADOGUCHI_SEAL_IMAGE = env_str("MADOGUCHI_SEAL_IMAGE", "")

SESSION_COOKIE_AGE = env_int("SESSION_COOKIE_AGE", 60 * 60 * 8)
# Content Security Policy (django-csp): the site has no inline script or style, so none runs.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Request logs carry URLs and form errors; they are kept at WARNING so that no
    # request body or personal data reaches the log.
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        # django-axes writes (masked) login attempts at INFO.
        "axes": {"level": "WARNING"},
    },
}
