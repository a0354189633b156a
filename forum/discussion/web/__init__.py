"""The discussion's pages: the article list, articles with their threads, posting forms, search and feeds."""
