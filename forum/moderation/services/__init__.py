"""The moderation domain: functions of the acting moderator; they flush, never commit, and log."""
