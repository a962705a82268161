"""Typed readers for settings from the environment that fail loudly on a bad value."""

import os

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of {sorted(_TRUE | _FALSE)}, not {raw!r}")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}") from exc


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated list; blanks are dropped."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def cache_config(redis_url: str) -> dict:
    """CACHES for settings: per-process memory, or with REDIS_URL one Redis for all servers.

    Redis makes throttling counts and cached facet counts shared by every worker and app
    server. A Redis outage degrades to uncached (and unthrottled) reads, never to a 500.
    """
    if not redis_url:
        return {
            "default": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "timeline",
            },
            # timeline.response_cache: its own space, so pages never cull throttle counts.
            "responses": {
                "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
                "LOCATION": "timeline-responses",
                "OPTIONS": {"MAX_ENTRIES": 500},
            },
        }
    if not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise ImproperlyConfigured(
            f"REDIS_URL must start with redis://, rediss:// or unix://, not {redis_url!r}"
        )
    options = {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.5, "SOCKET_TIMEOUT": 0.5}
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": redis_url, "OPTIONS": options}
    return {
        "default": {**redis, "KEY_PREFIX": "timeline"},
        # timeline.response_cache: entries expire (RESPONSE_CACHE_TIMEOUT) rather than cull.
        "responses": {**redis, "KEY_PREFIX": "timeline-responses"},
    }
