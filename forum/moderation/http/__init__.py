"""What the moderation pages and API share: guards, JSON shapes, highlighting what rules matched."""
