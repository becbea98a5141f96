"""API keys for Open311 clients: a random key is shown once, only its SHA-256 is stored.

A key looks like `bs311_<43 url-safe characters>` (256 random bits). `key_prefix` keeps the
first characters after `bs311_` so administrators can tell keys apart without the key.
Looking a key up by its hash needs no constant-time comparison: the hash of a guess says
nothing about the stored hashes.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction

from reports.exceptions import Open311KeyInvalidError
from reports.models import Open311Client

KEY_PREFIX = "bs311_"
KEY_MAX_LENGTH = 200


@dataclass(frozen=True)
class Open311ClientCreated:
    client: Open311Client
    api_key: str  # shown once; never stored


def open311_key_hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def open311_client_create(*, name: str) -> Open311ClientCreated:
    """Register a system that may POST service requests; returns the key (shown once)."""
    clean_name = (name or "").strip()
    if not clean_name or len(clean_name) > Open311Client._meta.get_field("name").max_length:
        raise ValueError("name must be 1-150 characters")
    random_part = secrets.token_urlsafe(32)
    key = KEY_PREFIX + random_part
    client = Open311Client.objects.create(
        name=clean_name, key_hash=open311_key_hash(key), key_prefix=random_part[:8]
    )
    return Open311ClientCreated(client=client, api_key=key)


def open311_client_for_key(*, key: str | None) -> Open311Client:
    """The active client holding this key; Open311KeyInvalidError (403) otherwise."""
    if not key or len(key) > KEY_MAX_LENGTH:
        raise Open311KeyInvalidError(extra={"field": "api_key"})
    client = Open311Client.objects.filter(key_hash=open311_key_hash(key), is_active=True).first()
    if client is None:
        raise Open311KeyInvalidError(extra={"field": "api_key"})
    return client
