"""Build the application configuration from the environment."""

from __future__ import annotations

import os
import re
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET_KEY = "dev-only-secret-key-do-not-use-in-production"  # noqa: S105 - deliberately public


class ConfigError(RuntimeError):
    """Raised when the environment cannot yield a safe configuration."""


def default_database_url() -> str:
    """Return the embedded SQLite database, ``instance/forum.db``.

    The path is relative so Flask-SQLAlchemy resolves it inside the instance folder
    and creates that folder when the engine is first used.
    """
    return "sqlite:///forum.db"


def normalise_database_url(url: str) -> str:
    """Point PostgreSQL URLs at the psycopg 3 driver whatever spelling was given."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def load_config(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Read settings from the environment, apply ``overrides`` and check them.

    :raises ConfigError: in production without a real secret key or with SQLite.
    """
    env = os.environ
    forum_env = (overrides or {}).get("FORUM_ENV") or env.get("FORUM_ENV", "development")
    production = forum_env == "production"
    config: dict[str, Any] = {
        "FORUM_ENV": forum_env,
        "SECRET_KEY": env.get("SECRET_KEY") or (None if production else DEV_SECRET_KEY),
        "SQLALCHEMY_DATABASE_URI": normalise_database_url(env.get("DATABASE_URL") or default_database_url()),
        # Redis: shared rate-limit counters and the thread cache (optional; unset means neither).
        "REDIS_URL": env.get("REDIS_URL") or None,
        "REDIS_PREFIX": env.get("REDIS_PREFIX", "forum:"),
        "THREAD_CACHE_TTL": int(env.get("THREAD_CACHE_TTL", "300")),
        # Each worker's in-process copies of built threads, in MB (0: off; forum/local_cache.py).
        "THREAD_CACHE_LOCAL_MB": int(env.get("THREAD_CACHE_LOCAL_MB", "32")),
        # Learn of changes by subscribing to Redis (no round trip per read); 0 asks Redis on every read,
        # for a Redis without pub/sub (some proxies): 5-19 % fewer warm reads a second (docs/performance.md).
        "THREAD_CACHE_SUBSCRIBE": env.get("THREAD_CACHE_SUBSCRIBE", "1") != "0",
        # Members' thread pages from a shared frame with their marks laid on (discussion/web/overlay.py);
        # 0 builds each from scratch. Needs THREAD_CACHE_LOCAL_MB > 0.
        "THREAD_OVERLAY": env.get("THREAD_OVERLAY", "1") != "0",
        # Each worker's copies of members' pages built from the frame, in MB (discussion/web/member_pages.py):
        # a member reading a page again is answered after one statement. 0: off.
        "MEMBER_PAGES_MB": int(env.get("MEMBER_PAGES_MB", "32")),
        # On PostgreSQL with Redis, hear of members' changes (LISTEN, one connection per worker): a kept
        # page whose member changed nothing is answered with no statement at all. 0: one statement each.
        "MEMBER_PAGES_LISTEN": env.get("MEMBER_PAGES_LISTEN", "1") != "0",
        # Each worker's copies of the API's moderation queue, in MB (moderation/http/queue_copies.py): on
        # PostgreSQL a moderator's read is answered from it while nothing the queue shows changed. 0: off.
        "QUEUE_COPIES_MB": int(env.get("QUEUE_COPIES_MB", "8")),
        # SQLite: how long a writer waits for the write lock before giving up (forum/database.py).
        "SQLITE_BUSY_TIMEOUT_MS": int(env.get("SQLITE_BUSY_TIMEOUT_MS", "10000")),
        # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0: none).
        "TRUSTED_PROXY_COUNT": int(env.get("TRUSTED_PROXY_COUNT", "0")),
        # Who may read /metrics: addresses or networks, comma-separated (forum/platform/http/metrics.py).
        "METRICS_ALLOW": [
            a.strip() for a in env.get("METRICS_ALLOW", "127.0.0.1,::1").split(",") if a.strip()
        ],
        "SEEDS_DIR": str(PROJECT_ROOT / "seeds"),
        "ARTICLES_PER_PAGE": 20,
        # Times on pages are shown in this zone to readers who have not chosen their own.
        "DEFAULT_TIME_ZONE": "Europe/London",
        # A member's visit to a thread ends after this long without reading it: what comes later is "New".
        "VISIT_GAP_MINUTES": 30,
        "MAX_INDENT_DEPTH": 4,
        # Replies nest at most this deep; a reply to a comment this deep is hung beside it. JSON
        # nests two levels a reply, and orjson refuses more than 255 (docs/security.md).
        "REPLY_DEPTH_MAX": 32,
        # OpenAPI document served by flask-smorest at /api/v1/openapi.json.
        "API_TITLE": "forum",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
        # Accounts and posting.
        "PASSWORD_MIN_LENGTH": 10,
        # Argon2id parameters: "standard" (RFC 9106 low memory); "fast" only outside production (tests).
        "PASSWORD_HASHING": "standard" if production else env.get("PASSWORD_HASHING", "standard"),
        "COMMENT_MAX_LENGTH": 10_000,
        "EDIT_WINDOW_MINUTES": int(env.get("EDIT_WINDOW_MINUTES", "15")),
        "WTF_CSRF_TIME_LIMIT": None,
        # Moderation policy.
        "TRUST_AFTER_APPROVED": int(env.get("TRUST_AFTER_APPROVED", "3")),
        "FLAGS_TO_HIDE": int(env.get("FLAGS_TO_HIDE", "3")),
        "DUPLICATE_WINDOW_MINUTES": 10,  # tokens live as long as the session
        # Where someone who may be in crisis can turn now (forum/discussion/services/support.py): a JSON
        # list of {"name", "action": "call"|"text", "number", "note", "body"}; UK services by default.
        "SAFEGUARDING_SIGNPOSTS": env.get("SAFEGUARDING_SIGNPOSTS") or None,
        # Rate limits (Flask-Limiter); Redis in production via RATELIMIT_STORAGE_URI.
        # Always explicit: Flask-Limiter otherwise inherits the previous app's setting.
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI") or env.get("REDIS_URL") or "memory://",
        "RATELIMIT_KEY_PREFIX": env.get("REDIS_PREFIX", "forum:") + "limits",
        # Retry-After on 429s only (errors.py): X-RateLimit-* on every answer cost a Redis call each.
        "RATELIMIT_HEADERS_ENABLED": False,
        "RATELIMIT_STRATEGY": "moving-window",  # no burst of twice the limit across a window boundary
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_LOGIN_IP": env.get("RATELIMIT_LOGIN_IP", "20 per minute;200 per day"),
        "RATELIMIT_LOGIN_ACCOUNT": env.get("RATELIMIT_LOGIN_ACCOUNT", "5 per minute;50 per day"),
        "RATELIMIT_REGISTER_IP": env.get("RATELIMIT_REGISTER_IP", "10 per hour"),
        "RATELIMIT_POST_ACCOUNT": env.get("RATELIMIT_POST_ACCOUNT", "10 per minute;300 per day"),
        # Previews of comments (page and API together), per account: more than posts, still bounded.
        "RATELIMIT_PREVIEW_ACCOUNT": env.get("RATELIMIT_PREVIEW_ACCOUNT", "30 per minute;600 per day"),
        # "This helped me" and official responses, per account (web and API share the count).
        "RATELIMIT_THANKS_ACCOUNT": env.get("RATELIMIT_THANKS_ACCOUNT", "30 per minute;500 per day"),
        # The organisation that publishes the articles: its verified staff may answer officially.
        "PUBLISHER_NAME": env.get("PUBLISHER_NAME") or "The King's Fund",
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": production,
        # Security (forum/security.py, forum/services/sessions.py; docs/security.md).
        "REMEMBER_COOKIE_DURATION": timedelta(days=int(env.get("SESSION_IDLE_DAYS", "30"))),
        "SESSION_IDLE_DAYS": int(env.get("SESSION_IDLE_DAYS", "30")),  # unused this long, a session ends
        "SESSION_TOUCH_SECONDS": 300,  # last_seen_at (sessions, API tokens) is written at most this often
        # Big enough for a 10,000-character comment of 4-byte characters, percent- or \u-escaped.
        "MAX_CONTENT_LENGTH": int(env.get("MAX_CONTENT_LENGTH", str(128 * 1024))),
        "HSTS_SECONDS": int(env.get("HSTS_SECONDS", "31536000")) if production else 0,
        # Retention (forum/privacy/services/retention.py; docs/privacy.md): what is purged, and when.
        "RETAIN_REJECTED_DAYS": int(env.get("RETAIN_REJECTED_DAYS", "90")),
        "RETAIN_REVISIONS_DAYS": int(env.get("RETAIN_REVISIONS_DAYS", "365")),
        "CONFIRM_LINK_HOURS": 48,
        "RESET_LINK_MINUTES": 30,
        "RATELIMIT_EMAIL": env.get("RATELIMIT_EMAIL", "5 per hour"),  # emails sent to one address
        # Mail (forum/mail.py): an in-memory outbox outside production, SMTP in it.
        "MAIL_SMTP_URL": env.get("MAIL_SMTP_URL") or None,
        # Links in emails start with this (https://forum.example.org); never with a client's Host header.
        "PUBLIC_URL": env.get("PUBLIC_URL") or None,
        "MAIL_FROM": env.get("MAIL_FROM", "forum@localhost"),
        "MAIL_BACKEND": env.get("MAIL_BACKEND")
        or ("smtp" if env.get("MAIL_SMTP_URL") else "log" if production else "outbox"),
        # The outbox backend also writes each message here as an .eml file, so /dev/outbox shows what
        # any process sent (the CLI's digests, a worker); unset: memory only (tests).
        "MAIL_OUTBOX_DIR": env.get("MAIL_OUTBOX_DIR") or None,
        # Jobs after the commit (forum/platform/jobs.py): worker (procrastinate, PostgreSQL), inline, manual.
        "JOB_RUNNER": env.get("JOB_RUNNER") or ("worker" if production else "inline"),
        "JOB_RETRY_BASE_SECONDS": float(env.get("JOB_RETRY_BASE_SECONDS", "30")),
        "JOB_RETRY_MAX_SECONDS": float(env.get("JOB_RETRY_MAX_SECONDS", "3600")),
        "WORKER_CONCURRENCY": int(env.get("WORKER_CONCURRENCY", "4")),
        "WORKER_POLL_SECONDS": float(env.get("WORKER_POLL_SECONDS", "5")),
        "WORKER_HEARTBEAT_SECONDS": float(env.get("WORKER_HEARTBEAT_SECONDS", "10")),
        "WORKER_STALLED_SECONDS": float(env.get("WORKER_STALLED_SECONDS", "30")),
        # Email notifications (docs/notifications.md).
        "MAIL_MAX_ATTEMPTS": int(env.get("MAIL_MAX_ATTEMPTS", "15")),  # temporary failures before giving up
        "MAIL_BOUNCE_AFTER": int(env.get("MAIL_BOUNCE_AFTER", "3")),  # hard failures before "bouncing"
        "MODERATION_ALERT_AFTER": float(env.get("MODERATION_ALERT_AFTER", "4")),  # hours waiting
        # Sites that may frame /embed/articles/<slug> and read /api/v1/articles/<slug>/summary: origins
        # (https://www.example.org) separated by spaces or commas; unset: framing refused everywhere.
        "EMBED_ALLOWED_ORIGINS": env.get("EMBED_ALLOWED_ORIGINS", ""),
    }
    if overrides:
        config.update(overrides)
        if "SQLALCHEMY_DATABASE_URI" in overrides:
            config["SQLALCHEMY_DATABASE_URI"] = normalise_database_url(overrides["SQLALCHEMY_DATABASE_URI"])
    chosen = "MAIL_OUTBOX_DIR" in env or "MAIL_OUTBOX_DIR" in (overrides or {})
    if config["MAIL_BACKEND"] == "outbox" and not chosen and not config.get("TESTING"):
        config["MAIL_OUTBOX_DIR"] = str(PROJECT_ROOT / "instance" / "outbox")  # make run, its CLI, a worker
    if "SQLALCHEMY_ENGINE_OPTIONS" not in (overrides or {}):
        config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(config["SQLALCHEMY_DATABASE_URI"], env)
    if production:
        if config["PASSWORD_HASHING"] != "standard":  # noqa: S105 - a profile name, not a secret
            raise ConfigError("FORUM_ENV=production hashes passwords with the standard Argon2id parameters")
        if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY:
            raise ConfigError("FORUM_ENV=production needs a SECRET_KEY from the environment")
        if config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
            raise ConfigError("FORUM_ENV=production needs a PostgreSQL DATABASE_URL")
        if config["MAIL_BACKEND"] == "outbox":
            raise ConfigError("FORUM_ENV=production cannot keep mail in the outbox; set MAIL_SMTP_URL")
        if config["JOB_RUNNER"] != "worker":
            raise ConfigError("FORUM_ENV=production sends no email inside a request: JOB_RUNNER=worker")
    if config["MAIL_BACKEND"] == "smtp" and not config.get("MAIL_SMTP_URL"):
        raise ConfigError("MAIL_BACKEND=smtp needs MAIL_SMTP_URL")
    config["EMBED_ALLOWED_ORIGINS"] = parse_origins(config["EMBED_ALLOWED_ORIGINS"])
    _public_origin(config, env, overrides or {}, production)
    return config


def _public_origin(config: dict[str, Any], env: Any, overrides: dict[str, Any], production: bool) -> None:
    """Build absolute URLs from PUBLIC_URL, never from the Host a client sends, and refuse unknown hosts.

    A forged ``Host: evil.example`` once built the shared cached page, the feeds and the API's URLs
    with ``http://evil.example/...`` links. With PUBLIC_URL set, SERVER_NAME and the scheme come from
    it (every url_for(_external=True) uses them, in requests and outside them), and TRUSTED_HOSTS
    (comma-separated; in production its host by default) makes any other Host a 400 before a view
    runs (Flask's own check). Production refuses to start without PUBLIC_URL.

    :raises ConfigError: in production without PUBLIC_URL, or with one that is not an http(s) URL.
    """
    public = config.get("PUBLIC_URL")
    if not public:
        if production:
            raise ConfigError("FORUM_ENV=production builds links from PUBLIC_URL: set it (https://your.site)")
        if env.get("TRUSTED_HOSTS") and "TRUSTED_HOSTS" not in overrides:
            config["TRUSTED_HOSTS"] = [h.strip() for h in env["TRUSTED_HOSTS"].split(",") if h.strip()]
        return
    parts = urlsplit(public)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"PUBLIC_URL must be an http or https URL, not {public!r}")
    if "SERVER_NAME" not in overrides:
        config["SERVER_NAME"] = parts.netloc
    config["PREFERRED_URL_SCHEME"] = parts.scheme
    if "TRUSTED_HOSTS" in overrides:
        return
    listed = [h.strip() for h in env.get("TRUSTED_HOSTS", "").split(",") if h.strip()]
    if listed or production:
        config["TRUSTED_HOSTS"] = sorted({parts.hostname, *listed})


_ORIGIN = re.compile(r"^https?://[a-z0-9.-]+(?::\d{1,5})?$")


def parse_origins(value: str | list[str] | tuple[str, ...] | None) -> tuple[str, ...]:
    """Read a list of origins ("https://www.example.org http://localhost:8080"), lower-cased.

    :raises ConfigError: for anything that is not a scheme, a host and perhaps a port (no path, no *).
    """
    items = value.replace(",", " ").split() if isinstance(value, str) else list(value or ())
    origins = []
    for item in items:
        origin = item.strip().rstrip("/").lower()
        if not _ORIGIN.fullmatch(origin):
            raise ConfigError(
                f"EMBED_ALLOWED_ORIGINS: {item!r} is not an origin like https://www.example.org"
            )
        origins.append(origin)
    return tuple(origins)


def engine_options(url: str, env: Any) -> dict[str, Any]:
    """Pool and timeout settings; PostgreSQL's come from the environment.

    No pool_pre_ping: it costs a round trip per request; database.py checks pooled PostgreSQL
    connections for free, and an SQLite file never goes away.
    """
    options: dict[str, Any] = {}
    if url.startswith("postgresql"):
        options.update(
            pool_size=int(env.get("DB_POOL_SIZE", "5")),
            max_overflow=int(env.get("DB_MAX_OVERFLOW", "5")),
            pool_timeout=float(env.get("DB_POOL_TIMEOUT", "5")),
            pool_recycle=int(env.get("DB_POOL_RECYCLE", "1800")),
            connect_args={
                "connect_timeout": int(env.get("DB_CONNECT_TIMEOUT", "3")),
                "options": f"-c statement_timeout={int(env.get('DB_STATEMENT_TIMEOUT_MS', '5000'))}",
                "application_name": "forum",
            },
        )
    return options
