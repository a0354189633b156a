"""What the discussion's pages and API share: anonymous reads from the thread cache, JSON shapes."""
