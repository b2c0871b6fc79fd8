"""Settings for psd, read from the environment (twelve-factor).

Every variable is documented in README.md ("Configuration"). With nothing set and DEBUG=1 the
project runs on SQLite with Celery in eager mode; with DEBUG off, SECRET_KEY and DATABASE_URL
are required and the process stops at start with one line naming what is missing.
"""

import secrets
import sys
import warnings
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    env.read_env(str(BASE_DIR / ".env"))


def _config_error(message: str) -> None:
    """Stop the process with one clear line (no traceback) naming the variable at fault."""
    sys.exit(f"psd: configuration error: {message}")


try:
    DEBUG = env.bool("DEBUG", default=False)
except Exception:  # noqa: BLE001 - any unparsable value is a configuration error
    _config_error("DEBUG must be a boolean (1/0, true/false)")

# Where uploaded documents and other private files live: outside the web root, served only
# through permission-checked views.
DATA_DIR = Path(env.str("PSD_DATA_DIR", default=str(BASE_DIR / "var")))

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        _config_error("SECRET_KEY must be set when DEBUG is off")
    # Development only: a random key kept in the data directory so sessions survive restarts.
    _key_file = DATA_DIR / ".dev-secret-key"
    if not _key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        _key_file.write_text(secrets.token_urlsafe(50))
    SECRET_KEY = _key_file.read_text().strip()

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# --- Database -----------------------------------------------------------------------------
_database_url = env.str("DATABASE_URL", default="")
if not _database_url:
    if not DEBUG:
        _config_error("DATABASE_URL must be set when DEBUG is off (postgres://user@host:5432/db)")
    _database_url = f"sqlite:///{DATA_DIR / 'psd.sqlite3'}"
try:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # django-environ warns on unknown schemes; we say it
        _db = environ.Env.db_url_config(_database_url)
except Exception as exc:  # noqa: BLE001
    _config_error(f"DATABASE_URL is malformed ({exc})")
if _db.get("ENGINE") not in ("django.db.backends.postgresql", "django.db.backends.sqlite3"):
    _config_error("DATABASE_URL must be a postgres:// or sqlite:// URL")
if _db["ENGINE"] == "django.db.backends.postgresql":
    if not _db.get("NAME"):
        _config_error("DATABASE_URL names no database")
    _db["CONN_MAX_AGE"] = env.int("DB_CONN_MAX_AGE", default=60)
    _db["CONN_HEALTH_CHECKS"] = True
    # JIT compilation cost about a second per statistics query on a national dataset and
    # saves nothing on this workload (bench/RESULTS.md): off for the application's sessions.
    _db.setdefault("OPTIONS", {})
    _db["OPTIONS"].setdefault("options", "-c jit=off")
    # An unreachable server fails the request in seconds (a 503, psd.outage), not after the
    # operating system's TCP timeout of minutes that would hold every gunicorn worker.
    _db["OPTIONS"].setdefault("connect_timeout", env.int("DB_CONNECT_TIMEOUT", default=5))
else:
    _db.setdefault("OPTIONS", {})
    # Wait for the writer instead of failing with "database is locked" at once.
    _db["OPTIONS"].setdefault("timeout", 20)
    _db["OPTIONS"].setdefault("transaction_mode", "IMMEDIATE")
    _db["TEST"] = {"NAME": None}
    DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {"default": _db}
# The role that owns the tables (issue 20): migrations and trigger installation connect as it
# (postgres://owner:pw@host:5432/same-db); the application connects with DATABASE_URL as a
# role granted only SELECT/INSERT on the audit trail (audit.dbroles). Unset: one role for both
# (development, SQLite, CI).
MIGRATION_DATABASE_URL = env.str("MIGRATION_DATABASE_URL", default="")
DATABASE_OWNER = None
if MIGRATION_DATABASE_URL:
    try:
        DATABASE_OWNER = environ.Env.db_url_config(MIGRATION_DATABASE_URL)
    except Exception as exc:  # noqa: BLE001
        _config_error(f"MIGRATION_DATABASE_URL is malformed ({exc})")
    if (DATABASE_OWNER.get("ENGINE"), DATABASE_OWNER.get("NAME")) != (_db["ENGINE"], _db["NAME"]):
        _config_error(
            "MIGRATION_DATABASE_URL must name the same PostgreSQL database as DATABASE_URL"
        )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Applications -------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "guardian",
    "psd",
    "accounts",
    "cases",
    "deadlines",
    "vetting",
    "stats",
    "reporting",
    "audit",
    "portability",
    "correspondence",
    "datagen",
    "api",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
]

MIDDLEWARE = [
    # First: strips the address, user agent, referrer and cookies of /report/ requests (issue 8).
    "reporting.privacy.AnonymityMiddleware",
    # A Host header not in ALLOWED_HOSTS: 400 before anything else reads it (issue 20).
    "psd.middleware.DisallowedHostMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Refuse oversize bodies (413) before anything reads them.
    "audit.middleware.MaxBodySizeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "audit.middleware.SessionActivityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    # Django's and django-otp's, with the user, roles, permissions and verified device from a
    # per-session cache entry (issue 21: no fixed queries beyond the session and the audit
    # context on a signed-in page).
    "accounts.sessioncache.AuthenticationMiddleware",
    "accounts.sessioncache.OTPMiddleware",
    # Every view needs a signed-in user unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Actor and request id for the audit triggers; X-Request-ID response header.
    "audit.middleware.AuditContextMiddleware",
    # Signed-in but not two-factor verified: only sign-out, verify/enrol and public pages.
    "audit.twofactor.middleware.OTPRequiredMiddleware",
    # The administrator (without a PSD role) gets 404 on case, vetting and report pages.
    "accounts.least_privilege.AdministratorContentMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A DomainError no form could show becomes a page with its reason (400/403/409), not a 500.
    "psd.middleware.DomainErrorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "psd.urls"
WSGI_APPLICATION = "psd.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.navigation",
                "deadlines.context_processors.notifications",
            ],
        },
    }
]

# --- Authentication -----------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # first: refuses locked-out sign-ins
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None  # guardian: no anonymous user row; anonymous users see nothing.

# Two-factor sign-in (django-otp TOTP + recovery codes) for every signed-in user; see
# audit.twofactor. Lockout (django-axes) after AXES_FAILURE_LIMIT failed sign-ins for a
# username, whatever the address: a targeted account stays protected against guesses from
# many machines, and the decision does not rest on staff IP addresses. The cost — anyone can
# pause an account for the cool-off — is bounded by the short cool-off (an administrator can
# lift it: manage.py axes_reset_username). Axes watches only the sign-in view: the anonymous
# /report/ pages never reach it. Successful sign-ins are in the audit trail, so axes keeps
# no per-login access log.
OTP_TOTP_ISSUER = "PSD case management"
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# axes.W006 asks for ip_address too. Not here: staff sign in from shared force networks and
# behind the reverse proxy, so an address-wide lockout would let a few typos (or one
# attacker) lock out a whole building, and rotating user agents or cookies cannot bypass a
# per-username count.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_RESET_ON_SUCCESS = True
AXES_DISABLE_ACCESS_LOG = True
AXES_LOCKOUT_CALLABLE = "audit.twofactor.views.lockout"

# --- Sessions and security headers --------------------------------------------------------
# An inactivity timeout: audit.middleware.SessionActivityMiddleware slides the expiry.
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Strict content security policy: nothing inline, nothing from elsewhere (django-csp 4).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# Whole request bodies, uploads included, above this are refused with 413.
PSD_MAX_REQUEST_BYTES = env.int("PSD_MAX_REQUEST_BYTES", default=25 * 1024 * 1024)

# --- Internationalisation -----------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown to users; stored in UTC (USE_TZ)
USE_I18N = True
USE_TZ = True
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]

# --- Static files -------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(DATA_DIR / "uploads"), "base_url": None},
    },
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = DATA_DIR / "uploads"

# --- Cache, Celery ------------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
if not REDIS_URL and not DEBUG:
    # Single-use form tokens and throttle counters of the anonymous pages, and the API's
    # per-user rate, must be one store for every worker (issue 20: per-process memory let a
    # replayed form token create a second report).
    _config_error(
        "REDIS_URL must be set when DEBUG is off (the shared cache for form tokens "
        "and throttle counters)"
    )
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "psd",
            # Redis down: a request fails in two seconds (503, psd.outage) instead of hanging.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
# How soon a task whose worker died (unacknowledged) is delivered again. Longer than the
# longest sweep run (each phase stops after deadlines.sweep.SWEEP_BUDGET_SECONDS, a mail send
# after EMAIL_TIMEOUT), so a running sweep is not redelivered; should one be (an export can
# run longer), the redelivered copy is harmless: every task is idempotent. kombu looks for
# such messages every interval x throttle = 30 seconds, so recovery takes about 5.5 minutes.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=5 * 60),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 3,
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"

# --- Email --------------------------------------------------------------------------------
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
# For django.core.mail.backends.filebased.EmailBackend (the worker tests read the files).
EMAIL_FILE_PATH = env.str("EMAIL_FILE_PATH", default=str(DATA_DIR / "mail"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="psd@localhost")
# A stalled mail server fails a send in this many seconds instead of holding the sweep.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
# The e-mail outbox (deadlines.outbox): a claimed message whose sender died is sent again
# after this many seconds, with the same Message-ID. A live sender stops using a claim after
# half of it, so this must exceed twice EMAIL_TIMEOUT.
PSD_EMAIL_CLAIM_SECONDS = env.int("PSD_EMAIL_CLAIM_SECONDS", default=120)
# Senders working side by side (threads of the sweep) when more than a chunk (100) of e-mail
# is pending, each with its own SMTP and database connection, closed when it is done. 8 sent
# about 1.5 times as fast as 4 on a busy 2-core machine (bench/RESULTS.md).
PSD_EMAIL_SENDERS = env.int("PSD_EMAIL_SENDERS", default=8)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Logging: no personal data; request bodies and headers are never logged ---------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Anonymous reporting (/report/): records lose the request, arguments and traceback.
    "filters": {"anonymous_reporting": {"()": "reporting.privacy.AnonymousRequestFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["anonymous_reporting"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        # django.request and django.server log the path and client address; we keep errors
        # (without the request) and drop the per-request access lines.
        "django.server": {"handlers": [], "level": "ERROR", "propagate": False},
        "django.request": {"filters": ["anonymous_reporting"]},
        "django.security": {"filters": ["anonymous_reporting"]},
    },
}
# Error reports about /report/ requests carry no POST data, headers or local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "reporting.privacy.AnonymousExceptionReporterFilter"

# --- Anonymous reporting (issue 8) --------------------------------------------------------
# Site-wide ceilings per hour (reporting.throttle): failed receipt-code lookups beyond which
# a code that matches no report is refused without the Argon2 work, and reports accepted.
REPORTING_CODE_FAILURE_CEILING = env.int("REPORTING_CODE_FAILURE_CEILING", default=1000)
REPORTING_SUBMIT_CEILING = env.int("REPORTING_SUBMIT_CEILING", default=200)
# Complaints accepted from the public form (/complaint/) per hour, site-wide.
COMPLAINT_SUBMIT_CEILING = env.int("COMPLAINT_SUBMIT_CEILING", default=100)
# Sealed-box keypair (base64, 32 bytes each): the public key seals report text, messages and
# evidence; the private key opens them for triage and the reporter's follow-up page, and keys
# the receipt-code lookup. Unset with DEBUG off: /report/ refuses reports. Development: a
# keypair kept in the data directory.
REPORTING_PUBLIC_KEY = env.str("REPORTING_PUBLIC_KEY", default="")
REPORTING_PRIVATE_KEY = env.str("REPORTING_PRIVATE_KEY", default="")
if DEBUG and not (REPORTING_PUBLIC_KEY or REPORTING_PRIVATE_KEY):
    import base64

    from nacl.public import PrivateKey

    _reporting_key_file = DATA_DIR / ".dev-reporting-key"
    if not _reporting_key_file.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        _reporting_key_file.write_text(base64.b64encode(bytes(PrivateKey.generate())).decode())
        _reporting_key_file.chmod(0o600)
    REPORTING_PRIVATE_KEY = _reporting_key_file.read_text().strip()
    REPORTING_PUBLIC_KEY = base64.b64encode(
        bytes(PrivateKey(base64.b64decode(REPORTING_PRIVATE_KEY)).public_key)
    ).decode()

# --- REST API (issue 12): api/ --------------------------------------------------------------
# Token (Authorization: Token <key>, from /api/token/) or a two-factor verified session; the same
# permissions, visibility rule and services as the pages. JSON in, JSON out; the browsable API
# and Swagger UI (self-hosted, drf-spectacular-sidecar) for people.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.AuditedTokenAuthentication",  # first: 401 + WWW-Authenticate
        "api.authentication.VerifiedSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON with a size and nesting bound: deep or huge bodies are a 400, never a 500 (issue 20).
    "DEFAULT_PARSER_CLASSES": ["api.parsers.LimitedJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Cursor",
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerUserThrottle"],
    "DEFAULT_SCHEMA_CLASS": "api.schema.ApiSchema",
    "EXCEPTION_HANDLER": "api.exceptions.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATE_INPUT_FORMATS": ["iso-8601"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
PSD_API_MAX_JSON_BYTES = env.int("PSD_API_MAX_JSON_BYTES", default=1024 * 1024)
PSD_API_MAX_JSON_DEPTH = env.int("PSD_API_MAX_JSON_DEPTH", default=32)
PSD_API_USER_RATE = env.str("PSD_API_USER_RATE", default="1200/minute")
PSD_API_TOKEN_DAYS = env.int("PSD_API_TOKEN_DAYS", default=90)
SPECTACULAR_SETTINGS = {
    "TITLE": "PSD case management API",
    "DESCRIPTION": "Cases, allegations, people, deadlines and statistics. Every write runs the "
    "same service (and rules) as the case page; objects you may not see answer 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SERVE_AUTHENTICATION": [
        "api.authentication.AuditedTokenAuthentication",
        "api.authentication.VerifiedSessionAuthentication",
    ],
    # The schema states the token only: a session works too (browsable API, Swagger UI), but
    # a program should not be told to send a session cookie.
    "AUTHENTICATION_WHITELIST": ["api.authentication.AuditedTokenAuthentication"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.State",
        "TrackStateEnum": "cases.models.TrackState",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_links",
        "api.schema.add_action_inputs",
    ],
}

# --- Audit trail (issue 20) ---------------------------------------------------------------
# The key of the audit chain's HMAC links and checkpoint signatures. It lives outside the
# database so that someone who can rewrite the tables cannot recompute the chain; keep it
# beside SECRET_KEY, never in the database. Development (DEBUG=1) and the test suite derive
# one from SECRET_KEY; with DEBUG off the process refuses to start without it.
AUDIT_HMAC_KEY = env.str("AUDIT_HMAC_KEY", default="")
if not AUDIT_HMAC_KEY:
    if not DEBUG and "pytest" not in sys.modules:
        _config_error("AUDIT_HMAC_KEY must be set when DEBUG is off (e.g. 64 random hex digits)")
    import hashlib

    AUDIT_HMAC_KEY = hashlib.sha256(f"psd-audit-dev:{SECRET_KEY}".encode()).hexdigest()
# Signed checkpoints of the chain head, one JSON line every few minutes (beat): append-only;
# ship the file off this host (audit.checkpoints).
AUDIT_CHECKPOINT_PATH = Path(
    env.str("AUDIT_CHECKPOINT_PATH", default=str(DATA_DIR / "audit-checkpoints.jsonl"))
)

# --- Data export (issue 12) ---------------------------------------------------------------
# Where the administrator's page writes complete exports (manage.py export_all takes --out).
# Exports hold every case: keep this directory as private as the database.
EXPORT_DIR = Path(env.str("PSD_EXPORT_DIR", default=str(DATA_DIR / "exports")))

# --- Domain settings ----------------------------------------------------------------------
PSD_FORCE_NAME = env.str("PSD_FORCE_NAME", default="Example Constabulary")
# The site's address, for links in e-mails (reminders, escalations, approvals).
PSD_BASE_URL = env.str("PSD_BASE_URL", default="http://127.0.0.1:8000")
# The team whose queue complaints from the public form (/complaint/) land in, by name; when
# empty, the team that receives anonymous reports.
PSD_COMPLAINT_INTAKE_TEAM = env.str("PSD_COMPLAINT_INTAKE_TEAM", default="")
# Early-intervention flag: a person with >= N allegations in M months (issue 5).
PSD_EARLY_INTERVENTION_ALLEGATIONS = env.int("PSD_EARLY_INTERVENTION_ALLEGATIONS", default=3)
PSD_EARLY_INTERVENTION_MONTHS = env.int("PSD_EARLY_INTERVENTION_MONTHS", default=12)
CSRF_FAILURE_VIEW = "psd.views.csrf_failure"
# Statutory periods (CR 2020 regs 31, 52; C&M Regs 2020 reg 29...) are not settings: they are
# the deadline kinds' rules (deadlines.DeadlineKind, with their citations; cases.clocks).
# The misconduct route (issue 18 item 5). Rules whose text was not found are configurable
# and marked unverified in the rule register (docs/rules.md):
# CR 2020 reg 42(7)-(10) (meetings and hearings; text not read): no further warning while a
# final written warning is in force on the date of the severity assessment; instead it may be
# extended once by this many months (0: no extension). The 18-month extension is known from
# the 2012 Regulations; at an accelerated hearing reg 62(3) (read) simply forbids a further
# final written warning, with no extension, and these two settings do not apply there.
PSD_NO_WARNING_WHILE_FWW_LIVE = env.bool("PSD_NO_WARNING_WHILE_FWW_LIVE", default=True)
PSD_FWW_EXTENSION_MONTHS = env.int("PSD_FWW_EXTENSION_MONTHS", default=18)
# CR 2020 reg 41(15) / 23(1)(a): a hearing brought on a case to answer for misconduct does not
# find gross misconduct.
PSD_FINDING_LIMITED_TO_CASE_TO_ANSWER = env.bool(
    "PSD_FINDING_LIMITED_TO_CASE_TO_ANSWER", default=True
)
# A case to answer for misconduct goes to a hearing, not a meeting, when a final written
# warning was in force on the date of the severity assessment (CR 2020 reg 23; cf. reg 42(5)).
PSD_LIVE_FWW_MEANS_HEARING = env.bool("PSD_LIVE_FWW_MEANS_HEARING", default=True)
