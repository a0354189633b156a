"""Notifications: what a member is told about their comments, and where they read it."""
