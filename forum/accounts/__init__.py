"""Accounts: profiles, logins, sessions, sign-up, passwords, API tokens, and whether one may act."""
