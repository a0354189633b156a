"""What the editors' pages and the API share: the guard."""
