"""Passwords are hashed with Argon2id at production cost outside the test suite's fast profile."""

from __future__ import annotations

import pytest
from argon2 import extract_parameters

from forum import create_app
from forum.accounts.services import passwords
from forum.platform.config import ConfigError


def test_the_standard_profile_is_rfc_9106_low_memory_and_checks_what_it_hashed(tmp_path):
    app = create_app(
        {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}", "PASSWORD_HASHING": "standard"}
    )
    with app.app_context():
        hashed = passwords.hash_password("correct horse battery")
        found = extract_parameters(hashed)
        assert (found.memory_cost, found.time_cost, found.parallelism) == (65536, 3, 4)
        assert passwords.check_password(hashed, "correct horse battery")
        assert not passwords.check_password(hashed, "wrong horse battery")
        assert not passwords.check_password(None, "correct horse battery")  # unknown account: same work
        assert not passwords.needs_rehash(hashed)


def test_a_hash_made_with_the_fast_profile_is_rehashed_at_standard_cost(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    with create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASHING": "fast"}).app_context():
        cheap = passwords.hash_password("correct horse battery")
    with create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASHING": "standard"}).app_context():
        assert passwords.check_password(cheap, "correct horse battery")
        assert passwords.needs_rehash(cheap)


def test_production_refuses_the_fast_profile():
    with pytest.raises(ConfigError, match="standard Argon2id"):
        create_app(
            {
                "FORUM_ENV": "production",
                "SECRET_KEY": "x" * 40,
                "SQLALCHEMY_DATABASE_URI": "postgresql://postgres@127.0.0.1:5432/postgres",
                "MAIL_BACKEND": "log",
                "PASSWORD_HASHING": "fast",
            }
        )
