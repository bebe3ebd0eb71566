"""Exceptions raised by kimitsu."""
from __future__ import annotations

from typing import Optional


class KimitsuError(Exception):
    """A kimitsu call failed.

    ``status`` is the C API's ``kimitsu_status`` code (negative; e.g. -5,
    KIMITSU_E_IO, when a policy file cannot be read), or None when the
    failure was found on the Python side.
    """

    def __init__(self, message: str, *, status: Optional[int] = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    @property
    def status_name(self) -> Optional[str]:
        """The status's C name, e.g. ``"KIMITSU_E_POLICY"``."""
        if self.status is None:
            return None
        from ._ffi import STATUS_NAMES

        return STATUS_NAMES.get(self.status, str(self.status))


class PolicyError(KimitsuError):
    """A policy does not compile.

    ``message`` is the whole text, "source:line:column: rule 'id': what";
    ``line`` and ``column`` are 1-based positions in the policy text and
    ``rule`` the id of the rule concerned, each None when unknown.
    """

    def __init__(
        self,
        message: str,
        *,
        status: Optional[int] = None,
        line: Optional[int] = None,
        column: Optional[int] = None,
        rule: Optional[str] = None,
    ) -> None:
        super().__init__(message, status=status)
        self.line = line
        self.column = column
        self.rule = rule
