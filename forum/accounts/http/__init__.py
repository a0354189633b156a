"""What accounts give every view: who is asking (flask-login, bearer tokens), account JSON shapes."""
