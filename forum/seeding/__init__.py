"""Seeding: the five original pages and their comments, loaded through the services, idempotently."""
