"""An article, keyed by its slug so the comment API's object_pk reads like ours (bench-1000)."""

from django.db import models


class Article(models.Model):
    """Something to comment on."""

    slug = models.SlugField(primary_key=True)
    title = models.CharField(max_length=200)
    published_at = models.DateTimeField()

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/articles/{self.slug}"
