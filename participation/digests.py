"""The digest of an evidence block: SHA-256 over the canonical JSON of what it says. Written
when a block is frozen (`participation.services.evidence_attach`), checked wherever it is shown
or exported."""

import hashlib
import json
from typing import Any

from participation.models import EvidenceBlock


def evidence_digest(*, kind: str, title: str, payload: Any, source: Any) -> str:
    """SHA-256 over the canonical JSON of what a block says (stable key order, no spaces)."""
    canonical = json.dumps(
        {"kind": kind, "title": title, "payload": payload, "source": source},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def evidence_verify(*, block: EvidenceBlock) -> bool:
    """Whether the stored figures still match the digest taken when they were frozen."""
    return block.digest == evidence_digest(
        kind=block.kind, title=block.title, payload=block.payload, source=block.source
    )
