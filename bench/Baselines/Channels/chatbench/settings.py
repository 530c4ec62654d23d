"""Settings for the benchmark's Channels baseline: the tutorial's, with the channel layer on the redis-server the
harness starts (CHANNELS_REDIS_URL, default redis://127.0.0.1:6379) and logging kept to warnings."""
import os

SECRET_KEY = "benchmark-only-not-secret"
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "channels",
    "chat",
]
# No client sends a cookie, so the auth middleware never reads a session; signed cookies need no database anyway.
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
ROOT_URLCONF = "chatbench.urls"
ASGI_APPLICATION = "chatbench.asgi.application"
USE_TZ = True

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {
            "hosts": [os.environ.get("CHANNELS_REDIS_URL", "redis://127.0.0.1:6379")],
            # channels_redis drops a message to a channel that already holds `capacity` (default 100) unread ones.
            # A consumer that falls behind in the chat scenario (50 messages/s into each channel) would lose messages
            # at the layer; the bench counts lateness as latency and wants loss to mean the server lost it, so the
            # capacity is raised (the tutorial keeps the default).
            "capacity": 10000,
        },
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
