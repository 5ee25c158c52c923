"""Settings for the help center, read from the environment (see the README for every variable).

Local use needs no configuration: debug mode, a SQLite file, a local-memory cache. Production
(``DJANGO_DEBUG=0``) refuses to start without ``DJANGO_SECRET_KEY`` and turns HTTPS on unless
``DJANGO_HTTPS=0``.
"""

from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from helpcenter.env import env_bool, env_float, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DJANGO_DEBUG", default=True)

SECRET_KEY = env_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "django-insecure-local-development-only"  # noqa: S105 - debug mode only

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # modeltranslation patches the admin, so it must be registered before it.
    "modeltranslation",
    "guides.apps.HelpCenterAdminConfig",  # django.contrib.admin with our own site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "adminsortable2",
    "reversion",
    "django_htmx",
    "template_partials",
    "csp",
    "axes",
    "guides",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "helpcenter.api_cors.ApiCorsMiddleware",  # public reads of /api/ from any site
    "helpcenter.middleware.RequestHardeningMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "helpcenter.middleware.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "guides.readers.ReaderMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires
]

ROOT_URLCONF = "helpcenter.urls"
WSGI_APPLICATION = "helpcenter.wsgi.application"

# No "loaders" here: django-template-partials installs its own wrapping loader.
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
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


def database_options(engine: str) -> dict:
    """Default connection options for one database engine; DATABASE_URL's query overrides them."""
    if engine == "django.db.backends.postgresql":
        # A server that accepts and never answers must cost a request seconds, not minutes.
        options = {"connect_timeout": env_int("DJANGO_DB_CONNECT_TIMEOUT", 5)}
        statement_timeout = env_float("DJANGO_DB_STATEMENT_TIMEOUT", 30.0)
        if statement_timeout:  # 0 leaves the server's own setting (e.g. behind PgBouncer)
            options["options"] = f"-c statement_timeout={round(statement_timeout * 1000)}"
        return options
    if engine == "django.db.backends.sqlite3":
        # Several processes write to one file: readers' ticks while an editor saves. WAL lets
        # reads go on during a write; IMMEDIATE takes the write lock when a transaction begins,
        # so that a transaction never has to upgrade a read lock mid-way, which fails at once
        # with "database is locked" whatever the timeout; writers then queue for up to
        # ``timeout`` seconds instead of failing.
        return {
            "transaction_mode": "IMMEDIATE",
            "timeout": env_int("DJANGO_SQLITE_BUSY_TIMEOUT", 20),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
        }
    return {}


DATABASES = {
    "default": dj_database_url.config(
        env="DATABASE_URL",
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DJANGO_DB_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
DATABASES["default"]["OPTIONS"] = {
    **database_options(DATABASES["default"]["ENGINE"]),
    **DATABASES["default"].get("OPTIONS", {}),
}

# Without REDIS_URL each process keeps its own cache in memory. With it, the cache is shared,
# and optional: ResilientRedisCache answers as an empty cache while Redis is down or hangs,
# waiting at most DJANGO_CACHE_TIMEOUT_SECONDS per attempt and one attempt per few seconds.
REDIS_URL = env_str("REDIS_URL")
CACHE_TIMEOUT_SECONDS = env_float("DJANGO_CACHE_TIMEOUT_SECONDS", 0.25, minimum=0.01)
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "helpcenter.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"socket_connect_timeout": CACHE_TIMEOUT_SECONDS, "socket_timeout": CACHE_TIMEOUT_SECONDS},
        }
    }
else:
    # Pages and their parts, per process: enough entries for a catalogue's pages in two languages.
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "OPTIONS": {"MAX_ENTRIES": 20000}}
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Sign-in lockouts (django-axes): after DJANGO_LOGIN_FAILURE_LIMIT wrong passwords for one
# account from one address, that pair is locked for DJANGO_LOGIN_LOCKOUT_MINUTES, before any
# password is checked. Locking the account alone would let anyone lock editors out; the address
# alone would punish everyone behind one network. An address also gets at most
# DJANGO_LOGIN_ATTEMPTS_PER_WINDOW sign-in attempts per 10 minutes whatever the account, which
# bounds the password hashing one client can make the server do. Operators unlock with
# `manage.py axes_reset_username <name>` (or `axes_reset` for everyone).
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_FAILURE_LIMIT = env_int("DJANGO_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_LOGIN_LOCKOUT_MINUTES", 15))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "guides.adminsite.locked_out"
AXES_CLIENT_IP_CALLABLE = "helpcenter.clients.pseudonymous_address"  # no raw address is stored
AXES_DISABLE_ACCESS_LOG = True  # failures are what lockouts need; successful sign-ins are not kept
AXES_VERBOSE = False
LOGIN_ATTEMPTS_PER_WINDOW = env_int("DJANGO_LOGIN_ATTEMPTS_PER_WINDOW", 30)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Languages: French is the source, English the translation. modeltranslation falls back to
# French where an English field is empty; templates say so next to the text.
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("DJANGO_TIME_ZONE", "Europe/Paris")

MODELTRANSLATION_DEFAULT_LANGUAGE = "fr"
MODELTRANSLATION_LANGUAGES = ("fr", "en")
MODELTRANSLATION_FALLBACK_LANGUAGES = ("fr",)

# The tabbed translation admin would load jQuery UI from a CDN; ship it instead.
JQUERY_UI_URL = "vendor/jquery-ui/jquery-ui.min.js"

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("DJANGO_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(env_str("DJANGO_MEDIA_ROOT", str(BASE_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Sessions are for signed-in editors: kept in the database, never in the cache alone. Readers
# are anonymous: their key lives in a signed cookie of its own (guides.readers), created on
# their first action and kept this many days after their last one, so that progress survives
# weeks between visits.
GUIDES_READER_COOKIE_DAYS = env_int("GUIDES_READER_COOKIE_DAYS", 60)
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CSRF_FAILURE_VIEW = "guides.views.responses.csrf_failure"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365

# Security. Debug off means production: HTTPS unless explicitly turned off for local runs.
HTTPS = env_bool("DJANGO_HTTPS", default=not DEBUG)
SECURE_SSL_REDIRECT = HTTPS
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env_int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
# Preloading bakes HTTPS-only into browsers for months and is slow to undo: operators opt in.
SECURE_HSTS_PRELOAD = HTTPS and env_bool("DJANGO_HSTS_PRELOAD", default=False)
# check --deploy warns whenever preload is off; off is our deliberate default, not an oversight.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
if env_bool("DJANGO_BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies of ours append to X-Forwarded-For before the app (see
# helpcenter/clients.py). 0 ignores the header: anyone reaching the app directly could write it.
TRUSTED_PROXY_HOPS = env_int("DJANGO_TRUSTED_PROXY_HOPS", 0)
if TRUSTED_PROXY_HOPS < 0:
    raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXY_HOPS must be 0 or more; got {TRUSTED_PROXY_HOPS}.")
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Powerful browser features the site never uses, denied on every response, so that neither
# injected script nor an embedded page could ask a reader for them.
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "bluetooth",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
}

# The admin's own pages carry inline styles of Django's and its add-ons; the public site is
# held to a strict policy with no inline script or style at all.
CONTENT_SECURITY_POLICY = {
    "EXCLUDE_URL_PREFIXES": ["/admin/"],
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}

# Readers' reports: a notice appears on a step once this many readers have open reports on it.
# Per window of GUIDES_REPORT_WINDOW_SECONDS, one client may send at most
# GUIDES_REPORTS_PER_WINDOW reports and bring GUIDES_NEW_READERS_PER_WINDOW new readers (each
# action without a reader cookie makes one). The counters live in the database, shared by every
# process.
GUIDES_REPORT_NOTICE_READERS = env_int("GUIDES_REPORT_NOTICE_READERS", 2)
# Fewer are enough when they report from an app version newer than the guide was checked with.
GUIDES_VERSION_NOTICE_READERS = env_int("GUIDES_VERSION_NOTICE_READERS", 1, minimum=1)
GUIDES_REPORTS_PER_WINDOW = env_int("GUIDES_REPORTS_PER_WINDOW", 5)
GUIDES_NEW_READERS_PER_WINDOW = env_int("GUIDES_NEW_READERS_PER_WINDOW", 300)
GUIDES_REPORT_WINDOW_SECONDS = env_int("GUIDES_REPORT_WINDOW_SECONDS", 600)
# How long a shared cache in front (nginx, a CDN) may serve a page readers without cookies get
# before asking again; the app itself always serves the current version.
GUIDES_SHARED_CACHE_SECONDS = env_int("GUIDES_SHARED_CACHE_SECONDS", 60)

# Search: how each language's words are stemmed and which are too common to look for, by the
# name of its Snowball algorithm, which is also its PostgreSQL text search configuration.
# A language missing here is searched word for word ("simple").
GUIDES_SEARCH_LANGUAGES = {"fr": "french", "en": "english"}
# Searches that found nothing, kept for editors (admin, "Searches without results"), go after
# this many days (manage.py purge_expired_data).
GUIDES_MISSED_SEARCH_DAYS = env_int("GUIDES_MISSED_SEARCH_DAYS", 180, minimum=1)

# A step is flagged when the share of readers going on to it falls below half of what it was, in
# the last GUIDES_STALE_RECENT_DAYS against the GUIDES_STALE_BASELINE_DAYS before, with at least
# GUIDES_STALE_MIN_READERS readers of the step before it in each period (guides.stale_steps).
GUIDES_STALE_RECENT_DAYS = env_int("GUIDES_STALE_RECENT_DAYS", 14, minimum=1)
GUIDES_STALE_BASELINE_DAYS = env_int("GUIDES_STALE_BASELINE_DAYS", 42, minimum=1)
GUIDES_STALE_MIN_READERS = env_int("GUIDES_STALE_MIN_READERS", 20, minimum=1)

# manage.py import_guides and the admin's import refuse files larger than this many bytes.
GUIDES_IMPORT_MAX_BYTES = env_int("GUIDES_IMPORT_MAX_BYTES", 50_000_000, minimum=1)

# Screenshots: uploads larger than this many bytes or pixels are refused (guides.screenshots).
GUIDES_SCREENSHOT_MAX_BYTES = env_int("GUIDES_SCREENSHOT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
GUIDES_SCREENSHOT_MAX_PIXELS = env_int("GUIDES_SCREENSHOT_MAX_PIXELS", 25_000_000, minimum=1)

# Editors: a published guide is due for review when nobody verified it for this many days.
GUIDES_VERIFY_EVERY_DAYS = env_int("GUIDES_VERIFY_EVERY_DAYS", 90)
# Readers' contact e-mails on reports never fixed are erased after this many days
# (manage.py purge_expired_data); a fixed report's address goes once its notice is queued.
GUIDES_CONTACT_EMAIL_DAYS = env_int("GUIDES_CONTACT_EMAIL_DAYS", 90, minimum=1)
# The language of e-mails to editors (digests); readers get theirs in the language they used.
GUIDES_EDITORS_LANGUAGE = env_str("GUIDES_EDITORS_LANGUAGE", "fr")

# E-mail: printed on the console unless an SMTP server is configured.
EMAIL_BACKEND = env_str("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("DJANGO_EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("DJANGO_EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "help-center@localhost")
SITE_URL = env_str("DJANGO_SITE_URL", "http://127.0.0.1:8000")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO")},
    # django-axes logs every sign-in at INFO; failures and lockouts are warnings.
    "loggers": {"axes": {"level": "WARNING"}},
}
