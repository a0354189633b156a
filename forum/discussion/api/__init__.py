"""The discussion's JSON API: articles, threads, comments, profiles, search."""
