"""Unified social credit codes (统一社会信用代码), validated per GB 32100-2015.

Layout: registration authority (1) + organization type (1) + administrative division (6)
+ subject identifier (9) + check character (1). The check character makes a typo in any
one position detectable, so a code that fails it was mistyped or invented.
"""
from __future__ import annotations

import re

# The 31 characters allowed by the standard: digits and capitals without I, O, S, V, Z.
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_WEIGHTS = [pow(3, i, 31) for i in range(17)]
_SHAPE = re.compile(r"^[1-9A-HJ-NP-RTUWXY][1-9][0-9]{6}[0-9A-HJ-NP-RTUWXY]{9}[0-9A-HJ-NP-RTUWXY]$")


def check_character(first17: str) -> str:
    """The check character for the first 17 characters of a code."""
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, _WEIGHTS))
    return ALPHABET[(31 - total % 31) % 31]


def normalize_credit_code(raw: str) -> str:
    return (raw or "").strip().upper()


def is_valid_credit_code(raw: str) -> bool:
    """True when the code has the right shape and its check character matches.

    :param raw: the code as typed; surrounding spaces and lower case are tolerated.
    :returns: whether the code is a well-formed GB 32100-2015 code.
    """
    code = normalize_credit_code(raw)
    if len(code) != 18 or not _SHAPE.match(code):
        return False
    return check_character(code[:17]) == code[17]


def make_credit_code(first17: str) -> str:
    """Complete 17 characters with their check character (used by the demo data)."""
    return first17 + check_character(first17)
