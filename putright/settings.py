"""PutRight settings: one module; whatever differs between machines comes from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONCE, NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PUTRIGHT_VAR_DIR", BASE_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _development_secret_key() -> str:
    """A key generated once into var/ so that no secret ever lives in the repository."""
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY") or _development_secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "putright.core",
    "putright.accounts",
    # The second factor's pages, middleware and admin action (after accounts: it extends its admin).
    "putright.accounts.two_factor",
    "putright.organisation",
    "putright.people",
    "putright.complaints",
    "putright.outbox",
    "putright.letters",
    "putright.redress",
    "putright.casework",
    "putright.inbound",
    "putright.privacy",
    "putright.reporting",
    "putright.selfassessment",
    "putright.learning",
    "putright.ombudsman",
    "putright.contacts",
    "putright.tracking",
    "putright.jobs",
    "putright.demo",
    # Sign-in throttling and lockout (its models and admin: "Access attempts" unlock people).
    "axes",
    # Email providers and their inbound webhooks (putright.inbound files what arrives).
    "anymail",
    # Second factor for staff: TOTP authenticator apps, and single-use backup codes.
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): has this session entered a code from the person's device?
    "django_otp.middleware.OTPMiddleware",
    # Lets the security log name the client's address for reads logged by selectors.
    "putright.core.security_log.SecurityLogMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The session's idle and absolute limits (with a message); no-store on signed-in pages.
    "putright.core.middleware.SessionLimitsMiddleware",
    "putright.core.middleware.NoStoreWhenSignedInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    # Every page needs a signed-in member of staff unless its view says otherwise.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Those who must use a second factor reach nothing else until they have entered a code.
    "putright.accounts.two_factor.middleware.SecondFactorMiddleware",
    # Last, as django-axes asks: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "putright.urls"
WSGI_APPLICATION = "putright.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "putright" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "putright.accounts.context_processors.service",
            ],
        },
    },
]

# SQLite (embedded, WAL) unless DATABASE_URL points at PostgreSQL. Either way each server thread
# keeps its connection for a minute: opening a SQLite file, setting its pragmas and closing it
# again (when the last connection to a WAL database closes, SQLite checkpoints it) cost about
# 3 ms a request, more than most pages spend in queries.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'putright.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["TEST"] = {"NAME": None}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "accounts:home"
LOGOUT_REDIRECT_URL = "accounts:sign-in"

# Sign-in throttling (django-axes): after PUTRIGHT_SIGN_IN_FAILURE_LIMIT failed attempts for one
# account, or from one address, sign-in is refused (even with the right password) until
# PUTRIGHT_SIGN_IN_LOCKOUT_MINUTES have passed since the last failure, or an administrator
# deletes the "Access attempts" rows in the admin. Axes' backend must come first.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("PUTRIGHT_SIGN_IN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("PUTRIGHT_SIGN_IN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # either one locks
AXES_USERNAME_FORM_FIELD = "username"
AXES_USERNAME_CALLABLE = "putright.accounts.signin.lockout_username"
AXES_CLIENT_IP_CALLABLE = "putright.accounts.signin.client_ip_address"
AXES_LOCKOUT_CALLABLE = "putright.accounts.views.locked_out"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failed sign-in, kept for the security log

# Second factor (django-otp): staff holding any of these roles must enter a code from an
# authenticator app after their password, and set one up first if they have none. Anyone else may
# set one up, and is then asked for it too. Empty: nobody must (`make run` does this for the demo).
PUTRIGHT_TWO_FACTOR_REQUIRED_FOR = env_list(
    "PUTRIGHT_TWO_FACTOR_REQUIRED_FOR", "Complaints manager,Administrator"
)
OTP_TOTP_ISSUER = "PutRight"  # the account's name in the authenticator app
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # no secret keys or QR codes in the admin
# Failed sign-ins are kept with what was posted: a second-factor code is masked, like a password.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]

# A password reset link works once, and only for this long.
PASSWORD_RESET_TIMEOUT = 60 * env_int("PUTRIGHT_PASSWORD_RESET_MINUTES", 60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j M Y"

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static_build"]
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env_bool("PUTRIGHT_MANIFEST_STATIC", False)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = True

# Email: console in development; SMTP settings from the environment in production.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "complaints@putright.invalid")
# Django's default (no timeout) would let a hung mail server stall the worker for good.
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
# `make run` keeps the demo's emails as files here (EMAIL_BACKEND filebased).
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", str(VAR_DIR / "sent-mail"))

# The outbox (putright.outbox): attempts before an email goes on the "Failed to send" list, and
# the first wait between attempts in seconds, doubled after each further failure.
# Contacts beside complaints: the organisation's response targets, in working days. Enquiries
# from MPs, councillors, the chief executive or board members (seed 003, 13.1: 10 working
# days), and contacts logged for the contact-demand table (seed 001, 9.1: 2 working days).
PUTRIGHT_ENQUIRY_RESPONSE_DAYS = env_int("PUTRIGHT_ENQUIRY_RESPONSE_DAYS", 10)
PUTRIGHT_CONTACT_RESPONSE_DAYS = env_int("PUTRIGHT_CONTACT_RESPONSE_DAYS", 2)

PUTRIGHT_OUTBOX_MAX_ATTEMPTS = env_int("PUTRIGHT_OUTBOX_MAX_ATTEMPTS", 5)
PUTRIGHT_OUTBOX_RETRY_SECONDS = env_int("PUTRIGHT_OUTBOX_RETRY_SECONDS", 60)

# Email in (putright.inbound): the complaints mailbox, polled every worker round; empty host: off.
PUTRIGHT_IMAP_HOST = os.environ.get("PUTRIGHT_IMAP_HOST", "")
PUTRIGHT_IMAP_PORT = env_int("PUTRIGHT_IMAP_PORT", 993)
PUTRIGHT_IMAP_USER = os.environ.get("PUTRIGHT_IMAP_USER", "")
PUTRIGHT_IMAP_PASSWORD = os.environ.get("PUTRIGHT_IMAP_PASSWORD", "")
PUTRIGHT_IMAP_FOLDER = os.environ.get("PUTRIGHT_IMAP_FOLDER", "INBOX")
PUTRIGHT_IMAP_FILED_FOLDER = os.environ.get("PUTRIGHT_IMAP_FILED_FOLDER", "PutRight/Filed")
PUTRIGHT_IMAP_SSL = env_bool("PUTRIGHT_IMAP_SSL", True)
# Providers' inbound webhooks (django-anymail): the basic authentication ("user:password") they
# must send; without it nothing is kept.
ANYMAIL = {
    key: value
    for key, value in {
        "WEBHOOK_SECRET": os.environ.get("ANYMAIL_WEBHOOK_SECRET", ""),
        "MAILGUN_WEBHOOK_SIGNING_KEY": os.environ.get("MAILGUN_WEBHOOK_SIGNING_KEY", ""),
    }.items()
    if value
}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

# Security by default. Cookies are secure unless DEBUG (plain-HTTP development server); secure
# cookies get the __Host- prefix, so a browser sends them only to this host, over HTTPS, whatever
# a neighbouring subdomain sets.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_NAME = "__Host-sessionid" if SESSION_COOKIE_SECURE else "sessionid"
CSRF_COOKIE_NAME = (
    "__Host-csrftoken" if SESSION_COOKIE_SECURE and CSRF_COOKIE_SECURE else "csrftoken"
)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Sessions: the cookie goes when the browser closes, and core.middleware.SessionLimitsMiddleware
# signs people out after PUTRIGHT_SESSION_IDLE_MINUTES without a request, and in any case
# PUTRIGHT_SESSION_MAX_HOURS after signing in. It slides the stored session's expiry at most once
# a minute (not a database write on every request), so that expiry, a minute longer than the idle
# limit, is the backstop.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
PUTRIGHT_SESSION_IDLE_TIMEOUT = 60 * env_int("PUTRIGHT_SESSION_IDLE_MINUTES", 30)
PUTRIGHT_SESSION_MAX_AGE = 60 * 60 * env_int("PUTRIGHT_SESSION_MAX_HOURS", 9)
SESSION_COOKIE_AGE = PUTRIGHT_SESSION_IDLE_TIMEOUT + 60
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", False) else None
)

# A strict policy: scripts only from our own origin or with this response's nonce.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}

# Retention (putright.privacy): a daily job anonymises what has passed its period. The complaints
# policy (seed 003, 15.1) defers to the landlord's Data Protection and Retention Policy and names no
# period; six years is the common choice (the Limitation Act 1980 allows six years for most
# claims). Complaints: years after the last step on a complaint that has ended. Residents: years
# after their tenancy ended and the last change to their record, once all their complaints are
# anonymised.
PUTRIGHT_RETAIN_COMPLAINT_YEARS = env_int("PUTRIGHT_RETAIN_COMPLAINT_YEARS", 6)
PUTRIGHT_RETAIN_RESIDENT_YEARS = env_int("PUTRIGHT_RETAIN_RESIDENT_YEARS", 6)

DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
PUTRIGHT_DOCUMENT_MAX_BYTES = int(os.environ.get("PUTRIGHT_DOCUMENT_MAX_BYTES", 10 * 1024 * 1024))

# Compensation approval limits in pence, by role (Code 4.2: authority to resolve). Whoever
# approves a payment must hold a role whose limit covers it; a person's limit is the highest of
# their roles'. A role not listed may approve nothing.
PUTRIGHT_COMPENSATION_APPROVAL_LIMITS = {
    "Case handler": env_int("PUTRIGHT_COMPENSATION_LIMIT_HANDLER", 25_000),
    "Quality reviewer": env_int("PUTRIGHT_COMPENSATION_LIMIT_REVIEWER", 50_000),
    "Complaints manager": env_int("PUTRIGHT_COMPENSATION_LIMIT_MANAGER", 200_000),
}
# Promised actions (putright.tracking): reminders to whoever owns one, in working days, and how
# often the resident is updated on a stage's outstanding actions unless another interval is agreed.
PUTRIGHT_ACTION_REMINDER_DAYS_BEFORE = env_int("PUTRIGHT_ACTION_REMINDER_DAYS_BEFORE", 2)
PUTRIGHT_ACTION_REMINDER_OVERDUE_EVERY = env_int("PUTRIGHT_ACTION_REMINDER_OVERDUE_EVERY", 5)
PUTRIGHT_ACTIONS_UPDATE_INTERVAL_DAYS = env_int("PUTRIGHT_ACTIONS_UPDATE_INTERVAL_DAYS", 20)
# Whether mediation findings count among those the maladministration rate divides by.
PUTRIGHT_MALRATE_MEDIATION_IN_DENOMINATOR = env_bool(
    "PUTRIGHT_MALRATE_MEDIATION_IN_DENOMINATOR", True
)
# Published reports (putright.reporting.editions): in breakdown tables a count from 1 to this
# less one is shown as "fewer than N" and a rate worked out from fewer than N is withheld, so
# nobody can be picked out of a small group. 1 turns suppression off.
PUTRIGHT_REPORT_SMALL_GROUP_THRESHOLD = env_int("PUTRIGHT_REPORT_SMALL_GROUP_THRESHOLD", 5)
# An upload over the limit is cut off before it is stored (putright.core.uploads).
FILE_UPLOAD_HANDLERS = [
    "putright.core.uploads.LimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]
# Residents' documents are readable by the service's own user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
