"""What an app hands to `participation.services.evidence_attach`: an evidence block before it
is frozen. The apps that own the figures build them (`reports.evidence`, `surveys.evidence`)."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from importlib.metadata import PackageNotFoundError, version
from typing import Any


@dataclass(frozen=True)
class EvidenceDraft:
    kind: str
    title: str
    payload: dict[str, Any]
    source: dict[str, Any]

    def as_kwargs(self) -> dict[str, Any]:
        return asdict(self)


def software_version() -> str:
    try:
        return f"Buurtstem {version('buurtstem')}"
    except PackageNotFoundError:  # not installed as a package
        return "Buurtstem"
