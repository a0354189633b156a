"""Settings of the minimal Django site that serves django-comments-xtd's comment API for the benchmark."""

import os

SECRET_KEY = os.environ.get("XTD_SECRET_KEY", "bench-secret-not-for-production")
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
ROOT_URLCONF = "xtdsite.urls"
WSGI_APPLICATION = "xtdsite.wsgi.application"
SITE_ID = 1
USE_TZ = True
TIME_ZONE = "UTC"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sites",
    "django_comments_xtd",
    "django_comments",
    "rest_framework",
    "rest_framework.authtoken",
    "articles.apps.ArticlesConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
]
TEMPLATES = [{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True, "OPTIONS": {}}]

# Persistent connections, as Django's deployment checklist advises (ours keeps a pool too); the
# default (0) would open a PostgreSQL connection per request.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ.get("XTD_DATABASE", "forum_bench_xtd_peer"),
        "USER": "postgres",
        "HOST": "127.0.0.1",
        "PORT": "5432",
        "CONN_MAX_AGE": 600,
        "CONN_HEALTH_CHECKS": True,
    }
}

# Bearer-style tokens (DRF's "Authorization: Token ..."), like our API's personal tokens; no sessions.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.TokenAuthentication"],
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

COMMENTS_APP = "django_comments_xtd"
# The workload nests up to depth 5: levels 0 to 4.
COMMENTS_XTD_MAX_THREAD_LEVEL = 4
COMMENTS_XTD_CONFIRM_EMAIL = False  # members are logged in: xtd skips the confirmation mail for them anyway
COMMENTS_XTD_APP_MODEL_OPTIONS = {
    "default": {
        "who_can_post": "users",  # members only, like ours
        "allow_flagging": False,
        "allow_feedback": False,
        "show_feedback": False,
    }
}
COMMENT_MAX_LENGTH = 3000
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
