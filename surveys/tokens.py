"""Secrets for surveys: invitation tokens, resume tokens and device hashes.

Only hashes are stored. The same resume token is hashed twice with different prefixes: once
on the Response (to resume it) and, for invitation responses, once on the Invitation (to
record that the invitation was answered). Without the token, which only the respondent
holds, the two rows cannot be connected (see docs in surveys/services/responses.py).
"""

import hashlib
import secrets

from django.utils.crypto import salted_hmac

TOKEN_MAX_LENGTH = 200
REF_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford base32, lower case


def token_new() -> str:
    """An unguessable URL-safe token (256 bits)."""
    return secrets.token_urlsafe(32)


def invitation_token_hash(token: str) -> str:
    return hashlib.sha256(f"surveys.invitation:{token}".encode()).hexdigest()


def resume_token_hash(token: str) -> str:
    return hashlib.sha256(f"surveys.resume:{token}".encode()).hexdigest()


def receipt_hash(token: str) -> str:
    """The one-way reference an Invitation keeps to the response started from it."""
    return hashlib.sha256(f"surveys.invitation-receipt:{token}".encode()).hexdigest()


def device_hash(*, survey_id: int, device_id: str) -> str:
    """Keyed hash (HMAC with the SECRET_KEY) of a browser's random device id, salted per
    survey so the same device cannot be followed across surveys."""
    return salted_hmac("surveys.device", f"{survey_id}:{device_id}", algorithm="sha256").hexdigest()


def ip_throttle_key(*, survey_id: int, ip_address: str) -> str:
    digest = salted_hmac("surveys.ip", f"{survey_id}:{ip_address}", algorithm="sha256")
    return f"surveys:open-start:{digest.hexdigest()[:40]}"


def response_ref_new() -> str:
    """A short random public id for a response (export rows); reveals no order or volume."""
    return "".join(secrets.choice(REF_ALPHABET) for _ in range(12))
