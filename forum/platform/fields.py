"""Marshmallow fields every feature's schemas use: people's text (forum/platform/validation.py), ids."""

from __future__ import annotations

from typing import Any

from marshmallow import ValidationError, fields, validate

from forum.platform import validation
from forum.platform.errors import ValidationFailed
from forum.platform.ids import MAX_ID


class _CleanString(fields.String):
    """A string cleaned by one of the validation rules; documents its limits in the OpenAPI."""

    pattern = validation.TEXT_PATTERN

    def __init__(self, *, max_length: int, blank: str | None = None, **kwargs: Any) -> None:
        self.max_length = max_length
        self.blank = blank
        metadata = {"maxLength": max_length, "pattern": self.pattern, **kwargs.pop("metadata", {})}
        if blank:
            metadata["minLength"] = 1
        super().__init__(metadata=metadata, **kwargs)

    def _clean(self, value: str) -> str | None:
        raise NotImplementedError

    def _deserialize(  # type: ignore[override]  # an optional field cleans to None
        self, value: Any, attr: str | None, data: Any, **kwargs: Any
    ) -> str | None:
        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            return self._clean(raw)
        except ValidationFailed as exc:
            raise ValidationError(exc.errors["_"]) from exc


class Line(_CleanString):
    """One line: NFKC, whitespace collapsed, no control or bidi-override characters, length capped."""

    pattern = validation.LINE_PATTERN

    def _clean(self, value: str) -> str | None:
        return validation.clean_line(value, max_length=self.max_length, blank=self.blank)


class Text(_CleanString):
    """Several lines: NFC, ``\\n`` line breaks, no control characters, at most ``max_length``."""

    def _clean(self, value: str) -> str | None:
        return validation.clean_text(value, max_length=self.max_length, blank=self.blank)


def Id(**kwargs: Any) -> fields.Integer:
    """A field holding a record id: a whole number from 1 to ``MAX_ID``."""
    return fields.Integer(
        strict=kwargs.pop("strict", False), validate=validate.Range(min=1, max=MAX_ID), **kwargs
    )
