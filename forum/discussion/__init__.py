"""The discussion: articles and threads, posting and editing, counts, search, feeds, caching."""
