"""The notifications domain: leaving, counting and marking members' notices."""
