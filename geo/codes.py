"""CBS area codes: validation and parent derivation (domain.md §3.1, §9.5)."""

import re

from django.db import models
from django.utils.translation import gettext_lazy as _


class AreaLevel(models.TextChoices):
    GEMEENTE = "gemeente", _("gemeente")
    WIJK = "wijk", _("wijk")
    BUURT = "buurt", _("buurt")


CODE_PATTERNS: dict[str, re.Pattern[str]] = {
    AreaLevel.GEMEENTE: re.compile(r"^GM\d{4}$"),
    AreaLevel.WIJK: re.compile(r"^WK\d{4}[0-9A-Z]{2}$"),
    AreaLevel.BUURT: re.compile(r"^BU\d{4}[0-9A-Z]{4}$"),
}

PARENT_LEVEL: dict[str, str | None] = {
    AreaLevel.GEMEENTE: None,
    AreaLevel.WIJK: AreaLevel.GEMEENTE,
    AreaLevel.BUURT: AreaLevel.WIJK,
}


def normalise_code(raw: object) -> str:
    """CBS codes arrive padded (OData) or lower-cased; normalise before validating."""
    return str(raw).strip().upper() if raw is not None else ""


def code_is_valid(code: str, level: str) -> bool:
    return bool(CODE_PATTERNS[level].match(code))


def level_of_code(code: str) -> str | None:
    for level, pattern in CODE_PATTERNS.items():
        if pattern.match(code):
            return level
    return None


def parent_code_of(code: str) -> str | None:
    """Derive the parent code by prefix: BU05460001 → WK054600, WK054600 → GM0546."""
    if code.startswith("BU") and len(code) == 10:
        return "WK" + code[2:8]
    if code.startswith("WK") and len(code) == 8:
        return "GM" + code[2:6]
    return None
