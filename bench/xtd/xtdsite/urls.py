"""The comment URLs of django-comments-xtd (its web API under /comments/api/)."""

from django.urls import include, path

urlpatterns = [
    path("comments/", include("django_comments_xtd.urls")),
]
