"""The editorial domain: writing, publishing, archiving and closing articles (flush, never commit)."""
