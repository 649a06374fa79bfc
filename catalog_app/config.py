"""Configuration classes: the only module that reads environment variables.

Every setting a deployment may change is read here once, so that the rest of the code
asks `current_app.config` and tests can override anything by passing a mapping to
`create_app`.
"""
from __future__ import annotations

import os
from pathlib import Path

from matching.weights import DEFAULT_WEIGHTS

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = PROJECT_ROOT / "instance"

DEFAULT_SECRET_KEY = "dev-only-not-secret"


def _bool_env(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _list_env(name: str) -> list[str]:
    """A comma-separated variable as a list, blanks dropped."""
    return [item.strip() for item in os.environ.get(name, "").split(",") if item.strip()]


# A server listening on every interface is reached, from the same machine, on loopback.
_WILDCARD_HOSTS = {"0.0.0.0": "127.0.0.1", "::": "[::1]", "": "127.0.0.1"}


def development_base_url(environ: dict | None = None) -> str:
    """Where the development server serves, so links in development e-mails open.

    `make run` passes HOST and PORT; a bare `flask run --port N` sets FLASK_RUN_PORT only
    when given through the environment, so both are read (HOST/PORT first). A wildcard
    listen address becomes loopback: http://0.0.0.0:5000 opens nothing in most browsers.
    """
    environ = os.environ if environ is None else environ
    host = (environ.get("HOST") or environ.get("FLASK_RUN_HOST") or "127.0.0.1").strip()
    port = (environ.get("PORT") or environ.get("FLASK_RUN_PORT") or "5000").strip()
    host = _WILDCARD_HOSTS.get(host, host)
    if ":" in host and not host.startswith("["):  # a bare IPv6 address
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _database_url() -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'catalog.db'}"
    # Heroku-style URLs and plain "postgresql://" both mean psycopg 3 here.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


class Config:
    """Development and embedded defaults: SQLite, no broker, Chinese first."""

    # --- Site, database, languages ---------------------------------------------------------
    # Signs sessions and tokens; production refuses to start without a random key of 32+ characters.
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)

    # The database: a SQLAlchemy URL; `postgresql://user@host/db` (or `postgres://`) means psycopg 3.
    # Unset: SQLite in instance/catalog.db.
    SQLALCHEMY_DATABASE_URI = _database_url()
    # Pooled connections are tested before use (a restarted PostgreSQL costs no request).
    SQLALCHEMY_ENGINE_OPTIONS: dict = {"pool_pre_ping": True}
    # Flask-SQLAlchemy's per-request query log; off (the tests count queries with an event).
    SQLALCHEMY_RECORD_QUERIES = False

    # The interface languages, Simplified Chinese first and the default for a new visitor.
    BABEL_DEFAULT_LOCALE = "zh"
    LANGUAGES = ("zh", "en")
    # The zone every time is shown in (stored times are UTC); catalog_app/formatting.py.
    BABEL_DEFAULT_TIMEZONE = os.environ.get("DISPLAY_TIMEZONE", "Asia/Shanghai")

    # Who runs this site, shown in the header, footer, e-mails and the legal pages. The default
    # is a neutral product name: a deployment names itself and its operator, and only an
    # operator holding an ICP filing sets ICP_NUMBER (shown in the footer, linked to MIIT).
    SITE_NAME = os.environ.get("SITE_NAME", "场景目录")
    SITE_NAME_EN = os.environ.get("SITE_NAME_EN", "Scenario Catalog")
    SITE_OPERATOR = os.environ.get("SITE_OPERATOR", "")
    SITE_CONTACT_EMAIL = os.environ.get("SITE_CONTACT_EMAIL", "privacy@scenario-catalog.local")
    ICP_NUMBER = os.environ.get("ICP_NUMBER", "")
    # The version of the terms and privacy policy a registration consents to; raise it when
    # templates/legal/ changes in substance (stored on the user with the consent time).
    LEGAL_DOCUMENTS_VERSION = os.environ.get("LEGAL_DOCUMENTS_VERSION", "2026-12-03")

    # --- Browsing, search and matching -----------------------------------------------------
    # Items per list page, and the most a `per_page` parameter may ask for.
    CATALOG_PAGE_SIZE = int(os.environ.get("CATALOG_PAGE_SIZE", "20"))
    CATALOG_MAX_PAGE_SIZE = 100
    # Characters of a search query kept (the rest is cut before parsing).
    SEARCH_MAX_QUERY_LENGTH = 200

    # Where the matching index is saved so that every gunicorn worker loads it
    # instead of each paying the build.
    MATCHING_INDEX_DIR = os.environ.get("MATCHING_INDEX_DIR", str(INSTANCE_DIR / "matching-index"))
    # How often a worker checks the database for changed rows to apply to its index.
    MATCHING_REFRESH_SECONDS = float(os.environ.get("MATCHING_REFRESH_SECONDS", "2"))
    # How often a worker checks for changed listings; a change is rebuilt into its facet
    # index in the background. The rows a page shows always come fresh from the database.
    FACET_INDEX_MIN_SECONDS = float(os.environ.get("FACET_INDEX_MIN_SECONDS", "3"))
    # How long figures that scan a whole table may lag: the home page's demand and
    # organization counts, newest demands, a listing's related demands (catalog_app.figures).
    FIGURES_MAX_AGE_SECONDS = float(os.environ.get("FIGURES_MAX_AGE_SECONDS", "30"))

    # --- read cache (catalog_app/read_cache.py) ---
    # How often a worker reads the data version (counts and newest updated_at of listings,
    # organizations, demands) that keys cached counts and figures: a change made on any node
    # shows on this node within this many seconds.
    READ_CACHE_VERSION_SECONDS = float(os.environ.get("READ_CACHE_VERSION_SECONDS", "2"))
    # How long a whole page is served to anonymous visitors when no data version moved
    # (catalog_app/page_cache.py); 0 turns the page cache off.
    PAGE_CACHE_MAX_AGE_SECONDS = float(os.environ.get("PAGE_CACHE_MAX_AGE_SECONDS", "120"))
    # Where the gunicorn workers of one machine share whole pages (a diskcache directory on
    # local disk; each machine has its own, the data version keeps them consistent). Empty:
    # each process keeps its own pages in memory.
    READ_CACHE_DIR = os.environ.get("READ_CACHE_DIR", str(INSTANCE_DIR / "read-cache"))
    # The most the shared pages may take on disk, in megabytes (the oldest are dropped).
    READ_CACHE_SIZE_MB = int(os.environ.get("READ_CACHE_SIZE_MB", "512"))
    # --- end read cache ---

    # --- Events (catalog_app/events, meetings, challenges) ---
    # After an event ends, both sides of each held meeting are asked for the outcome (by the
    # e-mail worker or the Celery beat task `meetings.follow_ups`) during this many days.
    MEETING_FOLLOW_UP_WINDOW_DAYS = float(os.environ.get("MEETING_FOLLOW_UP_WINDOW_DAYS", "14"))
    # How often the Celery beat asks for meeting outcomes (the embedded worker asks each scan).
    MEETING_FOLLOW_UP_SECONDS = float(os.environ.get("MEETING_FOLLOW_UP_SECONDS", "600"))

    # --- Requests, sessions and accounts ----------------------------------------------------
    # Number of reverse proxies in front of the app (nginx: 1). With it, the client address
    # (per-IP rate limits, audit log), scheme and host come from their X-Forwarded-* headers;
    # 0 trusts no such header, which is right when clients reach gunicorn directly.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    # CSRF tokens live as long as the session (a form left open over lunch still submits).
    WTF_CSRF_TIME_LIMIT = None
    # Seconds of inactivity, and in all, before a session ends (catalog_app/accounts/sessions.py).
    SESSION_IDLE_TIMEOUT = int(os.environ.get("SESSION_IDLE_TIMEOUT", str(2 * 3600)))
    SESSION_ABSOLUTE_TIMEOUT = int(os.environ.get("SESSION_ABSOLUTE_TIMEOUT", str(12 * 3600)))
    # No "remember me" cookie; the session cookie is not readable by scripts nor sent cross-site.
    REMEMBER_COOKIE_DURATION = 0
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # The largest request body (uploads included); larger ones get 413.
    MAX_CONTENT_LENGTH = 16 * 1024 * 1024

    # Rate limits use the `limits` notation ("5 per minute; 20 per hour"); the
    # storage must be shared by every worker in production (redis://127.0.0.1:6379).
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # Logins: no account lock-out. After LOGIN_BACKOFF_FREE_FAILURES wrong passwords an
    # address waits BASE seconds, doubling with each further failure up to MAX; the count is
    # forgotten RESET seconds after the first failure or on success. Hard limits are per IP.
    LOGIN_BACKOFF_FREE_FAILURES = int(os.environ.get("LOGIN_BACKOFF_FREE_FAILURES", "5"))
    LOGIN_BACKOFF_BASE_SECONDS = float(os.environ.get("LOGIN_BACKOFF_BASE_SECONDS", "2"))
    LOGIN_BACKOFF_MAX_SECONDS = float(os.environ.get("LOGIN_BACKOFF_MAX_SECONDS", "120"))
    LOGIN_BACKOFF_RESET_SECONDS = float(os.environ.get("LOGIN_BACKOFF_RESET_SECONDS", str(24 * 3600)))
    LOGIN_LIMIT_PER_IP = os.environ.get("LOGIN_LIMIT_PER_IP", "30 per minute; 200 per hour")
    # Mail an outsider can make the platform send: per recipient address (verification,
    # reset, "you already have an account"), per client address, per inviting member,
    # per organization and per invited address.
    ACCOUNT_EMAIL_LIMIT = os.environ.get("ACCOUNT_EMAIL_LIMIT", "3 per 10 minutes; 10 per day")
    PASSWORD_RESET_LIMIT_PER_IP = os.environ.get("PASSWORD_RESET_LIMIT_PER_IP", "10 per 10 minutes; 50 per day")
    REGISTRATION_LIMIT_PER_IP = os.environ.get("REGISTRATION_LIMIT_PER_IP", "10 per hour")
    INVITATION_LIMIT_PER_SENDER = os.environ.get("INVITATION_LIMIT_PER_SENDER", "10 per 10 minutes; 50 per day")
    INVITATION_LIMIT_PER_ORGANIZATION = os.environ.get("INVITATION_LIMIT_PER_ORGANIZATION", "20 per hour; 100 per day")
    INVITATION_LIMIT_PER_ADDRESS = os.environ.get("INVITATION_LIMIT_PER_ADDRESS", "2 per hour; 5 per day")
    # Messages in a proposal thread, each of which emails the other side: per author and
    # per thread and side (several members of one organization share the thread's budget).
    PROPOSAL_MESSAGE_LIMIT_PER_AUTHOR = os.environ.get("PROPOSAL_MESSAGE_LIMIT_PER_AUTHOR", "30 per hour; 200 per day")
    PROPOSAL_MESSAGE_LIMIT_PER_THREAD = os.environ.get("PROPOSAL_MESSAGE_LIMIT_PER_THREAD", "10 per 10 minutes; 60 per day")
    # Enquiries (询价/咨询), each of which e-mails every member of the supplier: new enquiries
    # per sending member and per sending organization, and thread messages per author.
    ENQUIRY_LIMIT_PER_SENDER = os.environ.get("ENQUIRY_LIMIT_PER_SENDER", "5 per hour; 20 per day")
    ENQUIRY_LIMIT_PER_ORGANIZATION = os.environ.get("ENQUIRY_LIMIT_PER_ORGANIZATION", "20 per hour; 60 per day")
    ENQUIRY_MESSAGE_LIMIT_PER_AUTHOR = os.environ.get("ENQUIRY_MESSAGE_LIMIT_PER_AUTHOR", "30 per hour; 200 per day")
    # Listing page views (the beacon of static/js/listing-views.js): per client address over
    # all listings, and per address and listing, so that a script fetching fresh sessions
    # cannot inflate a listing's count (an office behind one address still counts a few).
    LISTING_VIEW_LIMIT_PER_IP = os.environ.get("LISTING_VIEW_LIMIT_PER_IP", "30 per minute; 600 per day")
    LISTING_VIEW_LIMIT_PER_LISTING = os.environ.get("LISTING_VIEW_LIMIT_PER_LISTING", "20 per day")
    # A supplier's reply figures appear on its profile from this many received enquiries on.
    ENQUIRY_FIGURES_MIN_RECEIVED = int(os.environ.get("ENQUIRY_FIGURES_MIN_RECEIVED", "3"))
    # Registration and password-reset requests take at least this long whether or not the
    # address has an account, so response time does not tell who is registered.
    ACCOUNT_RESPONSE_FLOOR_SECONDS = float(os.environ.get("ACCOUNT_RESPONSE_FLOOR_SECONDS", "0.4"))
    # Argon2id cost of password hashes: passes, memory in KiB, lanes (argon2-cffi's defaults,
    # RFC 9106's low-memory profile, ~50 ms a hash). Older hashes are rehashed at login.
    PASSWORD_HASH_TIME_COST = int(os.environ.get("PASSWORD_HASH_TIME_COST", "3"))
    PASSWORD_HASH_MEMORY_KIB = int(os.environ.get("PASSWORD_HASH_MEMORY_KIB", "65536"))
    PASSWORD_HASH_PARALLELISM = int(os.environ.get("PASSWORD_HASH_PARALLELISM", "4"))
    # Lifetime in seconds of the signed links e-mailed for address verification, password
    # reset and invitations.
    EMAIL_VERIFICATION_MAX_AGE = int(os.environ.get("EMAIL_VERIFICATION_MAX_AGE", str(3 * 24 * 3600)))
    PASSWORD_RESET_MAX_AGE = int(os.environ.get("PASSWORD_RESET_MAX_AGE", "3600"))
    INVITATION_MAX_AGE = int(os.environ.get("INVITATION_MAX_AGE", str(7 * 24 * 3600)))

    # --- Email outbox (catalog_app/notifications, docs/emails.md) -----------------------
    # send_email() writes a row; `flask emails dispatch` or the Celery worker sends it over SMTP.
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "Scenario Catalog <noreply@scenario-catalog.local>")
    # The SMTP server, and its login when MAIL_USERNAME is set.
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = int(os.environ.get("MAIL_PORT", "25"))
    MAIL_USE_TLS = _bool_env("MAIL_USE_TLS")  # STARTTLS after connecting
    MAIL_USE_SSL = _bool_env("MAIL_USE_SSL")  # implicit TLS (port 465)
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME") or None
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD") or None
    MAIL_TIMEOUT = float(os.environ.get("MAIL_TIMEOUT", "30"))  # seconds per SMTP operation
    # Temporary failures before a row is `failed`; the delay after the Nth is BASE·2^(N-1)
    # seconds, capped at MAX (BASE is also the wait after an SMTP outage).
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    MAIL_RETRY_BASE_SECONDS = float(os.environ.get("MAIL_RETRY_BASE_SECONDS", "60"))
    MAIL_RETRY_MAX_SECONDS = float(os.environ.get("MAIL_RETRY_MAX_SECONDS", str(6 * 3600)))
    # Rows a dispatcher claims at a time.
    OUTBOX_BATCH_SIZE = int(os.environ.get("OUTBOX_BATCH_SIZE", "20"))
    # A claimed row is another dispatcher's to take once its lease ends (crash recovery).
    OUTBOX_LEASE_SECONDS = float(os.environ.get("OUTBOX_LEASE_SECONDS", "300"))
    # Celery: the broker new rows are pushed through (Redis or RabbitMQ URL; unset: no push,
    # `flask emails work` or `flask emails dispatch` sends), and beat's sweep of due rows.
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL") or None
    OUTBOX_SWEEP_SECONDS = float(os.environ.get("OUTBOX_SWEEP_SECONDS", "30"))
    # How a dispatcher hands a message over: "smtp" (MAIL_SERVER), or "mailbox", which only
    # marks it sent so that it is read on /dev/mailbox (development: `make run` sets it).
    MAIL_TRANSPORT = os.environ.get("MAIL_TRANSPORT", "smtp").strip().lower()
    # The page /dev/mailbox lists every queued and sent e-mail with its HTML and text. It
    # shows password-reset links to whoever opens it, so development only (never production).
    DEV_MAILBOX = _bool_env("DEV_MAILBOX", _bool_env("FLASK_DEBUG"))
    # The embedded e-mail worker (`flask emails work`, started by `make run`): it drains the
    # outbox every OUTBOX_DISPATCH_INTERVAL_SECONDS and looks for newly published listings
    # to announce to enterprises every LISTING_LEADS_SCAN_SECONDS. Their sum bounds how long
    # a published listing takes to reach an enterprise's mailbox (60 s promised).
    OUTBOX_DISPATCH_INTERVAL_SECONDS = float(os.environ.get("OUTBOX_DISPATCH_INTERVAL_SECONDS", "5"))
    LISTING_LEADS_SCAN_SECONDS = float(os.environ.get("LISTING_LEADS_SCAN_SECONDS", "20"))
    # A starting worker also announces listings published this long before it started
    # (a restart loses nothing shorter); `flask emails strong-matches` covers any gap.
    LISTING_LEADS_LOOKBACK_SECONDS = float(os.environ.get("LISTING_LEADS_LOOKBACK_SECONDS", "600"))
    # Open demands a new listing is compared with: the best this many by the demand index.
    LISTING_LEADS_CANDIDATE_DEMANDS = int(os.environ.get("LISTING_LEADS_CANDIDATE_DEMANDS", "50"))
    # Listings ranked for a demand before the e-mail keeps the qualifying ones (top N stored as matches).
    RECOMMENDATION_EMAIL_CANDIDATES = int(os.environ.get("RECOMMENDATION_EMAIL_CANDIDATES", "20"))
    # Celery beat: the full rescan of every open demand (`notifications.strong_matches`).
    STRONG_MATCH_SCAN_SECONDS = float(os.environ.get("STRONG_MATCH_SCAN_SECONDS", "900"))

    # --- Links, matching thresholds ---------------------------------------------------------
    # Every absolute link (e-mails, exports, the API's `url` fields) starts with this, never
    # with the request's Host header, which the client chooses (catalog_app/public_urls.py).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or development_base_url()
    # Host names accepted besides PUBLIC_BASE_URL's, in production (comma-separated).
    EXTRA_TRUSTED_HOSTS = _list_env("TRUSTED_HOSTS")
    # Lifetime of the signed links in notification e-mails (feedback, tracked opens; unsubscribe).
    NOTIFICATIONS_LINK_MAX_AGE = int(os.environ.get("NOTIFICATIONS_LINK_MAX_AGE", str(30 * 24 * 3600)))
    NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE = int(os.environ.get("NOTIFICATIONS_UNSUBSCRIBE_MAX_AGE", str(180 * 24 * 3600)))
    # The matching engine's calibrated confidence (0..1) from which a match is a "strong match":
    # the demand page's headline, the API's `strong` flag and the unmet-demand map use it.
    STRONG_MATCH_CONFIDENCE = float(os.environ.get("STRONG_MATCH_CONFIDENCE",
                                                   str(DEFAULT_WEIGHTS.strong_match_confidence)))
    # Floor of recommendation e-mails (suppliers and enterprises); unset means the strong-match
    # threshold. A lower value is raised to it: nothing below a strong match is ever e-mailed.
    RECOMMENDATION_EMAIL_MIN_CONFIDENCE = (float(os.environ["RECOMMENDATION_EMAIL_MIN_CONFIDENCE"])
                                           if os.environ.get("RECOMMENDATION_EMAIL_MIN_CONFIDENCE") else None)
    # Ranking weights fitted on users' feedback by `flask matching tune`; absent: the defaults.
    MATCHING_WEIGHTS_PATH = os.environ.get("MATCHING_WEIGHTS_PATH", str(INSTANCE_DIR / "matching-weights.json"))

    # --- JSON API ------------------------------------------------------------------------
    # The JSON API (/api/v1): requests per window in the `limits` notation, keyed by the
    # client address without a token and by the token with one; and the largest JSON body.
    API_RATE_LIMIT_ENABLED = _bool_env("API_RATE_LIMIT_ENABLED", True)
    API_RATE_LIMIT_ANONYMOUS = os.environ.get("API_RATE_LIMIT_ANONYMOUS", "120 per minute")
    API_RATE_LIMIT_TOKEN = os.environ.get("API_RATE_LIMIT_TOKEN", "600 per minute")
    API_MAX_BODY_BYTES = int(os.environ.get("API_MAX_BODY_BYTES", str(256 * 1024)))
    # --- Listing import (catalog_app/listings/spreadsheet.py, import_jobs.py) ----------------
    # A file is refused at the first byte, row, cell or second past these bounds, before
    # it is parsed whole; the limits are stated to the user in the refusal.
    LISTING_IMPORT_MAX_BYTES = int(os.environ.get("LISTING_IMPORT_MAX_BYTES", str(2 * 1024 * 1024)))
    LISTING_IMPORT_MAX_ROWS = int(os.environ.get("LISTING_IMPORT_MAX_ROWS", "2000"))
    # Cells in the sheet (and strings in an XLSX string table); cells in any one row.
    LISTING_IMPORT_MAX_CELLS = int(os.environ.get("LISTING_IMPORT_MAX_CELLS", "100000"))
    LISTING_IMPORT_MAX_ROW_CELLS = int(os.environ.get("LISTING_IMPORT_MAX_ROW_CELLS", "1000"))
    # XLSX: all parts inflated together; any XML part other than sheets and strings.
    LISTING_IMPORT_MAX_UNCOMPRESSED = int(os.environ.get("LISTING_IMPORT_MAX_UNCOMPRESSED", str(40 * 1024 * 1024)))
    LISTING_IMPORT_MAX_PART_BYTES = int(os.environ.get("LISTING_IMPORT_MAX_PART_BYTES", str(4 * 1024 * 1024)))
    # Reading one file stops after this many seconds.
    LISTING_IMPORT_MAX_SECONDS = int(os.environ.get("LISTING_IMPORT_MAX_SECONDS", "20"))
    # Files this large are checked in the background while the page shows progress.
    LISTING_IMPORT_BACKGROUND_BYTES = int(os.environ.get("LISTING_IMPORT_BACKGROUND_BYTES", str(256 * 1024)))
    # How a background check runs: "thread" (a daemon thread of the worker) or "inline" (in
    # the request); a job silent for STALE seconds is reported failed.
    LISTING_IMPORT_JOB_RUNNER = os.environ.get("LISTING_IMPORT_JOB_RUNNER", "thread")
    LISTING_IMPORT_JOB_STALE_SECONDS = int(os.environ.get("LISTING_IMPORT_JOB_STALE_SECONDS", "300"))

    # --- Uploaded files (demand and proposal attachments, listing images, import files) -------
    # Each kind in its own folder, by default under instance/uploads/; in production a
    # persistent volume shared by every worker. Sizes are bytes per file, counts per object.
    DEMAND_UPLOAD_DIR = os.environ.get("DEMAND_UPLOAD_DIR", str(INSTANCE_DIR / "uploads" / "demands"))
    DEMAND_ATTACHMENT_MAX_BYTES = int(os.environ.get("DEMAND_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
    DEMAND_ATTACHMENT_MAX_COUNT = int(os.environ.get("DEMAND_ATTACHMENT_MAX_COUNT", "10"))
    PROPOSAL_UPLOAD_DIR = os.environ.get("PROPOSAL_UPLOAD_DIR", str(INSTANCE_DIR / "uploads" / "proposals"))
    PROPOSAL_ATTACHMENT_MAX_BYTES = int(os.environ.get("PROPOSAL_ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))
    PROPOSAL_ATTACHMENT_MAX_COUNT = int(os.environ.get("PROPOSAL_ATTACHMENT_MAX_COUNT", "5"))
    LISTING_MEDIA_DIR = os.environ.get("LISTING_MEDIA_DIR", str(INSTANCE_DIR / "uploads" / "listings"))
    LISTING_MEDIA_MAX_BYTES = int(os.environ.get("LISTING_MEDIA_MAX_BYTES", str(2 * 1024 * 1024)))
    LISTING_MEDIA_MAX_COUNT = int(os.environ.get("LISTING_MEDIA_MAX_COUNT", "8"))
    # Listing import spreadsheets kept between an import's preview and its confirmation.
    LISTING_IMPORT_DIR = os.environ.get("LISTING_IMPORT_DIR", str(INSTANCE_DIR / "uploads" / "imports"))

    # --- Statistics, API description, debug ------------------------------------------------
    # Platform statistics (/stats, catalog_app/stats/cache.py): how long the figures may lag,
    # and the least time between two rebuilds of the unmet-demand map (a heavy query).
    STATS_CACHE_SECONDS = float(os.environ.get("STATS_CACHE_SECONDS", "900"))
    STATS_UNMET_MIN_SECONDS = float(os.environ.get("STATS_UNMET_MIN_SECONDS", "300"))

    # flask-smorest's settings for the JSON API's description (code, not deployment: the
    # prefix is catalog_app.api.PREFIX).
    API_TITLE = "Scenario Catalog API"
    API_VERSION = "1.0"
    OPENAPI_VERSION = "3.1.0"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"

    # Debug mode (production refuses to start with it); ProductionConfig sets IS_PRODUCTION.
    DEBUG = _bool_env("FLASK_DEBUG")
    IS_PRODUCTION = False


class ProductionConfig(Config):
    """Selected with APP_ENV=production: refuses to start with unsafe defaults."""

    IS_PRODUCTION = True
    SESSION_COOKIE_SECURE = True
    SESSION_COOKIE_NAME = "__Host-session"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "redis://127.0.0.1:6379")
    PREFERRED_URL_SCHEME = "https"
    # No development default: e-mailed links must name the real site (checked at start-up).
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL") or None
    DEV_MAILBOX = False  # never, whatever the environment says


class TestConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret-key-that-is-long-enough-0123456789"
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    MATCHING_INDEX_DIR = None
    READ_CACHE_DIR = ""
    MATCHING_WEIGHTS_PATH = None
    MATCHING_REFRESH_SECONDS = 0.0
    FACET_INDEX_MIN_SECONDS = 0.0
    FIGURES_MAX_AGE_SECONDS = 0.0
    READ_CACHE_VERSION_SECONDS = 0.0
    MAIL_SERVER = "127.0.0.1"
    MAIL_PORT = 2525
    MAIL_USE_TLS = MAIL_USE_SSL = False
    MAIL_USERNAME = MAIL_PASSWORD = None
    MAIL_TIMEOUT = 5.0
    LISTING_IMPORT_JOB_RUNNER = "inline"
    CELERY_BROKER_URL = None
    # The test client's default host, so that a test can follow an e-mailed link with its cookies.
    PUBLIC_BASE_URL = "http://localhost"
    ACCOUNT_RESPONSE_FLOOR_SECONDS = 0.0  # the timing tests set it
    # The cheapest Argon2id (tests hash and verify thousands of times); still real Argon2id.
    PASSWORD_HASH_TIME_COST = 1
    PASSWORD_HASH_MEMORY_KIB = 8
    PASSWORD_HASH_PARALLELISM = 1
    MAIL_TRANSPORT = "smtp"
    DEV_MAILBOX = False  # the mailbox tests switch it on


def config_for_environment() -> type[Config]:
    return ProductionConfig if os.environ.get("APP_ENV", "").lower() == "production" else Config
