"""Unguessable identifiers for reports: tracking tokens, references and device hashes."""

import base64
import hashlib
import hmac
import secrets

from django.conf import settings

REFERENCE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base32, no I L O U


def tracking_token_for(report_uuid: str) -> str:
    """The tracking token of a report: derived from its uuid with the secret key, so an
    idempotent replay of the same submission can hand out the same link again. Only its
    hash is stored."""
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"report-tracking:{report_uuid}".encode(), hashlib.sha256
    ).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")[:32]


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def reference_new() -> str:
    """A short human-friendly reference that does not reveal volumes: BS-XXXX-XXXX."""
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))
    return f"BS-{chars[:4]}-{chars[4:]}"


def device_hash(device_id: str) -> str:
    return hmac.new(
        settings.SECRET_KEY.encode(), f"device:{device_id}".encode(), hashlib.sha256
    ).hexdigest()
