"""The one domain error shape used by every app.

Services raise `DomainError` subclasses; the API renders them as
`{"code", "detail", "extra"}` and the frontend as a form error.
"""

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    code: str = "domain_error"
    http_status: int = 400
    default_message: Any = _("The request could not be processed.")

    def __init__(self, message: Any = None, *, extra: dict[str, Any] | None = None) -> None:
        self.message = message if message is not None else self.default_message
        self.extra = extra or {}
        super().__init__(str(self.message))

    def __str__(self) -> str:
        return str(self.message)
