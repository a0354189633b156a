"""The discussion domain: functions of the acting account, viewer and settings; flush, never commit."""
