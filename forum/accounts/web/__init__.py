"""The accounts' pages: joining, logging in and out, emailed links, one's profile, password and sessions."""
