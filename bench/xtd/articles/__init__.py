"""The one model the benchmark comments on: an article, keyed by its slug."""
