"""Moderation: publication policy and rules, decisions, queue, reports, sanctions, members, audit."""
