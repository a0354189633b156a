"""Privacy: what the forum holds about a person, given back to them (the download of your data)."""
