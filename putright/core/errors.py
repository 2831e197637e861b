"""Domain errors: a refused step carries a stable code and a message a case handler understands.

Screens show ``message`` (beside ``field`` where one is named); an API maps ``kind`` to a status
code without parsing text.
"""

from __future__ import annotations


class DomainError(Exception):
    """A step the rules do not allow, or whose preconditions are not met."""

    kind = "refused"  # "refused" -> 409 Conflict, "invalid" -> 422 Unprocessable

    def __init__(self, code: str, message: str, *, field: str | None = None, **context):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.context = context
        # Further problems found by the same check, for a form to show all at once.
        self.also: list[DomainError] = []

    def __str__(self) -> str:
        return self.message

    def as_dict(self) -> dict:
        return {"code": self.code, "message": self.message, "field": self.field, "kind": self.kind}

    def every(self) -> list[DomainError]:
        """This problem and any others found with it."""
        return [self, *self.also]


class Problems:
    """What a service's checks found, raised together: the first problem, carrying the rest in
    ``also``, so a screen shows every one beside its field instead of one per submit."""

    def __init__(self) -> None:
        self.found: list[DomainError] = []

    def add(self, error: DomainError) -> None:
        self.found.append(error)

    def raise_any(self) -> None:
        if self.found:
            first, *rest = self.found
            first.also = rest
            raise first


class StepRefused(DomainError):
    """The Code, the policy or the case's state forbids this step."""

    kind = "refused"


class InvalidInput(DomainError):
    """The step is allowed but what was given is incomplete or inconsistent."""

    kind = "invalid"


class StaleVersion(DomainError):
    """Someone else changed the record since it was read: reload and try again."""

    kind = "conflict"
