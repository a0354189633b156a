"""The accounts domain: plain functions of the acting account and the settings; they flush, never commit."""
