"""Settings for the UMP migration portal.

Everything that differs between a laptop and production comes from environment
variables (see `.env.example` and the README). With `DJANGO_DEBUG` off, a missing
secret key or host list stops the start instead of falling back to a default.
"""

import os
import sys
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import dj_database_url
import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

# django-environ reads and casts the variables; one set but empty counts as unset
# (as `${NAME:-}` in a compose file leaves it), so it takes the default.
env = environ.Env()
env.ENVIRON = {name: value for name, value in os.environ.items() if value.strip()}

DEBUG = env.bool("DJANGO_DEBUG", default=False)

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])

# Commands that only read or write the code base (migrations, message catalogues)
# never start the site, so they run on any clone without production secrets: a bare
# `manage.py makemigrations --check` works. Everything else, `check` and the WSGI
# application included, stops below. Django itself still refuses to use an empty
# SECRET_KEY should one of these commands ever read it.
CODE_ONLY_COMMANDS = {"makemigrations", "makemessages", "compilemessages"}
RUNS_CODE_ONLY_COMMAND = (
    Path(sys.argv[0]).name == "manage.py"
    and len(sys.argv) > 1
    and sys.argv[1] in CODE_ONLY_COMMANDS
)

if not DEBUG and not RUNS_CODE_ONLY_COMMAND:
    if not SECRET_KEY:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random string, "
            "or set DJANGO_DEBUG=true for local development."
        )
    if not ALLOWED_HOSTS:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS is not set. Give the host names this site answers to, "
            "separated by commas (for example portal.example.org)."
        )
else:
    # Only ever used with DEBUG on, on a developer's machine.
    SECRET_KEY = SECRET_KEY or "django-insecure-local-development-only"
    ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]

INSTALLED_APPS = [
    # modeltranslation must come before the admin to patch its forms.
    "modeltranslation",
    # Django's admin with the portal's site (ump_portal/admin_site.py).
    "ump_portal.admin_apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Widget templates found like any other (FORM_RENDERER below).
    "django.forms",
    # /sitemap.xml (ump_portal/sitemaps.py) needs the framework's templates.
    "django.contrib.sitemaps",
    # Content-Security-Policy header (CONTENT_SECURITY_POLICY below).
    "csp",
    # Locks out repeated failed sign-ins (AXES_* below).
    "axes",
    # Every change made in the admin is kept as a version (history, restore).
    "reversion",
    # Ours, from the bottom layer up (docs/ARCHITECTURE.md, "Layers").
    "core",
    "cities",
    "declarations",
    "search",
    "open_data",
    "ump_portal",
]

MIDDLEWARE = [
    # First, so that every response and every log line carries the request id.
    "ump_portal.middleware.request_id.RequestIDMiddleware",
    # The security headers come before anything that answers on its own (static
    # files, /healthz, the language redirect), so every response carries them.
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_permissions_policy.PermissionsPolicyMiddleware",
    "ump_portal.middleware.security.CrossOriginResourcePolicyMiddleware",
    # Before anything reads the host: see ump_portal/middleware/health.py.
    "ump_portal.middleware.health.HealthCheckMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # ETag on pages without one and 304 to a matching If-None-Match, for pages
    # served from the page cache below as well as for rendered ones.
    "django.middleware.http.ConditionalGetMiddleware",
    # Whole pages for anonymous visitors, before sessions are read; every page's
    # Cache-Control (public for a CDN, or private and no-store).
    "ump_portal.middleware.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # The admin speaks only ADMIN_LANGUAGES (ump_portal/middleware/admin_language.py).
    "ump_portal.middleware.admin_language.AdminLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A database that does not answer gives the 503 page (ump_portal/middleware/database_down.py).
    "ump_portal.middleware.database_down.DatabaseUnavailableMiddleware",
    # Bodies too large for who sends them, and sign-ins past their lifetime
    # (ump_portal/middleware/limits.py), before any view reads a body; below the
    # 503 page, since both ask the database who the user is.
    "ump_portal.middleware.limits.RequestBodyLimitMiddleware",
    "ump_portal.middleware.limits.SessionLifetimeMiddleware",
    # django-axes asks to be last.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ump_portal.urls"

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
                "core.context_processors.language_alternates",
            ],
        },
    },
]

# Widgets render with the templates above, so templates/admin/widgets/ can add one.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

WSGI_APPLICATION = "ump_portal.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env.int("DJANGO_CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database host that does not answer fails the request in seconds (503 page)
    # instead of holding a gunicorn worker until its timeout.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env.int("DJANGO_DB_CONNECT_TIMEOUT", default=5)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# CACHE_URL: redis://host:6379/0 for a cache shared by every worker and machine;
# unset, each worker keeps its own in memory.
CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}
# How long an anonymous page is kept; any content change drops every page at once.
# 0 switches the page cache off (`make bench` measures the pages so too).
PAGE_CACHE_SECONDS = env.int("PAGE_CACHE_SECONDS", default=600)
# What a CDN or proxy cache in front may do with an anonymous page (README, "Scaling
# out"): keep it this long (s-maxage), then serve it this much longer while it asks
# again with the page's ETag (stale-while-revalidate). Browsers always ask again.
CDN_MAX_AGE = env.int("DJANGO_CDN_MAX_AGE", default=60)
CDN_STALE_WHILE_REVALIDATE = env.int("DJANGO_CDN_STALE_WHILE_REVALIDATE", default=300)
# With the local-memory cache, each worker's cache is its own; the modification
# time of this file tells every worker that content changed.
PAGE_CACHE_STAMP_FILE = Path(
    env.str("PAGE_CACHE_STAMP_FILE", default=str(BASE_DIR / ".page-cache-stamp"))
)

# E-mail (review notifications and reminders, cities/review.py): EMAIL_URL in
# django-environ's form, e.g. smtp+tls://user:password@smtp.example.org:587. Unset,
# messages are printed to the console with DEBUG on, and go to an SMTP server on
# this machine (port 25) with DEBUG off. Tests use Django's in-memory backend.
vars().update(
    env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="portal@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("DJANGO_EMAIL_TIMEOUT", default=10)

# Site search (search/analysers.py, search/index.py). The analyser that gives each
# language's words their dictionary forms or stems, by language code; a language
# without one is matched by its folded words alone.
SEARCH_ANALYSERS = {
    "pl": "search.analysers.polish",
    "en": "search.analysers.english",
    "uk": "search.analysers.ukrainian",
}
# The language a query word's script gives away, whatever the page's language (the
# first word of the script's Unicode character names): "у Кракові" typed on the Polish
# or English page is analysed as Ukrainian and finds Kraków.
SEARCH_SCRIPT_LANGUAGES = {"CYRILLIC": "uk"}
# What tells the search index kept by each worker that content changed: the page
# cache's generation, bumped by the same save and delete signals.
SEARCH_CONTENT_VERSION = "ump_portal.middleware.page_cache.current_generation"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# Failed sign-ins are counted per user name and address together, so one person
# guessing cannot lock everybody out (all clients share 127.0.0.1 behind a proxy
# that is not configured as one; see TRUSTED_PROXY_COUNT).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env.int("DJANGO_AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("DJANGO_AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "ump_portal.sign_in.lockout_response"
AXES_CLIENT_IP_CALLABLE = "ump_portal.sign_in.client_ip"
# How many reverse proxies in front of gunicorn append to X-Forwarded-For
# (1 for compose.yaml's Caddy); 0 trusts no such header.
TRUSTED_PROXY_COUNT = env.int("DJANGO_TRUSTED_PROXY_COUNT", default=0)

# Languages: Polish is the default and the fallback for every translated field.
# Adding a language is this list, a catalogue in locale/ and a migration for the new
# columns (docs/ARCHITECTURE.md, "Languages").
LANGUAGE_CODE = "pl"
LANGUAGES = [
    ("pl", _("Polish")),
    ("en", _("English")),
    ("uk", _("Ukrainian")),
]
# The admin speaks fewer languages than the public site: the editors and city staff
# work in Polish or English (ump_portal/middleware/admin_language.py).
ADMIN_LANGUAGES = ["pl", "en"]
# Each language with the country its pages are written for, as Open Graph's og:locale
# names them (ump_portal/templatetags/sharing.py).
OG_LOCALES = {"pl": "pl_PL", "en": "en_GB", "uk": "uk_UA"}
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Warsaw"
USE_I18N = True
USE_TZ = True

MODELTRANSLATION_DEFAULT_LANGUAGE = "pl"
MODELTRANSLATION_FALLBACK_LANGUAGES = ("pl",)

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]

# WhiteNoise serves the hashed files with far-future caching (10 years, immutable).
# No other site needs our files, so no `Access-Control-Allow-Origin: *`.
WHITENOISE_ALLOW_ALL_ORIGINS = False

# --- Storage: where uploaded files live --------------------------------------------
# Without AWS_STORAGE_BUCKET_NAME, on the local disk under MEDIA_ROOT, served at
# MEDIA_URL by the proxy in front (one machine: make run, make serve, compose.yaml).
# With it, in S3-compatible object storage through django-storages, shared by every
# replica (README, "Scaling out"):
# - "default" (cities' coats of arms, declarations' PDFs): public-read objects at an
#   unsigned address, AWS_S3_CUSTOM_DOMAIN's (a CDN, or the bucket's public host and
#   path) when set, else the bucket's own;
# - "documents" (meetings' documents, declarations' PDFs, core/storage.py): private objects, in
#   AWS_DOCUMENTS_BUCKET_NAME when set, reachable only through a signed address valid
#   for AWS_DOCUMENTS_URL_SECONDS (15 minutes by default: longer than a page stays in
#   the page cache, so a link on a cached page still opens).
# The credentials are boto3's own: AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the
# environment, or the machine's or pod's role; they never pass through these settings.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("DJANGO_MEDIA_ROOT", default=str(BASE_DIR / "media")))
S3_BUCKET = env.str("AWS_STORAGE_BUCKET_NAME", default="")
# Origins besides our own that pages load uploaded images from (CONTENT_SECURITY_POLICY).
MEDIA_ORIGINS = []
if S3_BUCKET:
    _s3_endpoint = env.str("AWS_S3_ENDPOINT_URL", default="")
    _s3_region = env.str("AWS_S3_REGION_NAME", default="")
    # S3-compatible servers (MinIO, Ceph, Garage, moto) answer at one host name with
    # the bucket in the path; AWS prefers the bucket in the host name.
    _s3_addressing = env.str(
        "AWS_S3_ADDRESSING_STYLE", default="path" if _s3_endpoint else "virtual"
    )
    _s3_custom_domain = env.str("AWS_S3_CUSTOM_DOMAIN", default="")
    _s3_url_protocol = env.str("AWS_S3_URL_PROTOCOL", default="https:")
    # Buckets whose owner enforces object ownership refuse ACLs: set false there and
    # make the bucket's public part readable with a bucket policy instead.
    _s3_acls = env.bool("AWS_S3_OBJECT_ACLS", default=True)
    _s3_common = {
        "endpoint_url": _s3_endpoint or None,
        "region_name": _s3_region or None,
        "addressing_style": _s3_addressing,
        "signature_version": "s3v4",
        # Never replace another upload of the same name, as on the local disk.
        "file_overwrite": False,
    }
    _media_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_common,
            "bucket_name": S3_BUCKET,
            "default_acl": "public-read" if _s3_acls else None,
            "querystring_auth": False,
            "custom_domain": _s3_custom_domain or None,
            "url_protocol": _s3_url_protocol,
            # A new upload gets a new name, so a day in browsers and CDNs is safe.
            "object_parameters": {"CacheControl": "public, max-age=86400"},
        },
    }
    _documents_storage = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_common,
            "bucket_name": env.str("AWS_DOCUMENTS_BUCKET_NAME", default=S3_BUCKET),
            "default_acl": "private" if _s3_acls else None,
            "querystring_auth": True,
            "querystring_expire": env.int("AWS_DOCUMENTS_URL_SECONDS", default=900),
            # A signed address must name the bucket's own host, never a CDN's.
            "custom_domain": None,
            "object_parameters": {"CacheControl": "private, no-store"},
        },
    }
    if _s3_custom_domain:
        _media_host = f"{_s3_url_protocol}//{_s3_custom_domain.split('/')[0]}"
    elif _s3_endpoint:
        _endpoint = urlsplit(_s3_endpoint)
        _media_host = (
            f"{_endpoint.scheme}://{_endpoint.netloc}"
            if _s3_addressing == "path"
            else f"{_endpoint.scheme}://{S3_BUCKET}.{_endpoint.netloc}"
        )
    else:
        _aws_host = f"s3.{_s3_region}.amazonaws.com" if _s3_region else "s3.amazonaws.com"
        _media_host = (
            f"https://{_aws_host}"
            if _s3_addressing == "path"
            else f"https://{S3_BUCKET}.{_aws_host}"
        )
    MEDIA_ORIGINS.append(_media_host)
else:
    _media_storage = _documents_storage = {"BACKEND": "django.core.files.storage.FileSystemStorage"}

STORAGES = {
    "default": _media_storage,
    "documents": _documents_storage,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# --- end of Storage -------------------------------------------------------------------

LOGIN_URL = "admin:login"
# A web address typed without a scheme is taken as https in every form: Django 6's
# default, chosen here with Django's transitional setting (remove it with Django 6).
FORMS_URLFIELD_ASSUME_HTTPS = True

# Security. With DEBUG off everything is on by default; each switch can be turned
# off from the environment for a plain-HTTP local run (`make serve` does) and
# SECURE_PROXY_SSL_HEADER is set only when the proxy in front is known to set it.
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^healthz/?$"]
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", not DEBUG)
if proxy_ssl_header := env.str("DJANGO_SECURE_PROXY_SSL_HEADER", default=""):
    # The header's name, such as X-Forwarded-Proto; its value must be "https".
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + proxy_ssl_header.strip().upper().replace("-", "_"),
        "https",
    )
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# No page uses a camera, a microphone or the visitor's location: every powerful
# feature browsers know is switched off (django-permissions-policy).
PERMISSIONS_POLICY = {
    feature: []
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
    )
}

# Cookies: Secure with DEBUG off, never readable from JavaScript, SameSite=Lax.
# The `__Host-` prefix (the browser then refuses the cookie unless it is Secure,
# for this host only and for path /) needs Secure, so it comes with it.
SECURE_COOKIES = env.bool("DJANGO_SECURE_COOKIES", default=not DEBUG)
_COOKIE_PREFIX = "__Host-" if SECURE_COOKIES else ""
SESSION_COOKIE_NAME = f"{_COOKIE_PREFIX}sessionid"
CSRF_COOKIE_NAME = f"{_COOKIE_PREFIX}csrftoken"
LANGUAGE_COOKIE_NAME = f"{_COOKIE_PREFIX}django_language"
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = LANGUAGE_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
# A sign-in ends after two hours without a request and twelve hours after it began
# (ump_portal/middleware/limits.py).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_IDLE_SECONDS", default=2 * 60 * 60)
SESSION_MAX_SECONDS = env.int("DJANGO_SESSION_MAX_SECONDS", default=12 * 60 * 60)

# Request bodies (ump_portal/middleware/limits.py; the proxy caps them too): an
# anonymous visitor sends at most a sign-in form; a signed-in user the largest
# upload (PORTAL_MAX_DOCUMENT_BYTES, core/documents.py) with 1 MB for its form.
# Non-file fields are held in memory up to DATA_UPLOAD_MAX_MEMORY_SIZE, uploads up
# to FILE_UPLOAD_MAX_MEMORY_SIZE and on disk beyond (Django's defaults, 2.5 MB).
PORTAL_MAX_DOCUMENT_BYTES = 20 * 1024 * 1024
PORTAL_MAX_ANONYMOUS_REQUEST_BYTES = env.int(
    "DJANGO_MAX_ANONYMOUS_REQUEST_BYTES", default=64 * 1024
)
PORTAL_MAX_REQUEST_BYTES = env.int(
    "DJANGO_MAX_REQUEST_BYTES", default=PORTAL_MAX_DOCUMENT_BYTES + 1024 * 1024
)

# Messages in the session, not in a cookie of their own (which has no prefix).
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Content-Security-Policy (django-csp 4): only our own files, no inline script or
# style, no plugins, no framing, forms post only to us. The admin works under it
# (tests/browser/test_admin_csp.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, *MEDIA_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "upgrade-insecure-requests": SECURE_SSL_REDIRECT,
    }
}

# Logs: one line per record on stderr, each with the request id
# (ump_portal/middleware/request_id.py); gunicorn writes the access log with the same id.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ump_portal.middleware.request_id.RequestIDFilter"}},
    "formatters": {
        "line": {
            "()": "ump_portal.middleware.request_id.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s request_id=%(request_id)s %(message)s",
        }
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    # Django's own console handler would print each record a second time.
    "loggers": {
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # axes announces its configuration at every start; lockouts are warnings.
        "axes": {"handlers": ["console"], "level": "WARNING", "propagate": False},
        # pymorphy3 (the search's Ukrainian analyser) announces its dictionary on loading.
        "pymorphy3": {"handlers": ["console"], "level": "WARNING", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
