"""The editors' pages under /admin."""
