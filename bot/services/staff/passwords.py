"""Staff passwords: scrypt from Python's standard library (hashlib.scrypt, RFC 7914).

scrypt is memory-hard, so guessing passwords from a stolen database is slow even on graphics
cards; it needs no extra package. Parameters: N=2**15, r=8, p=1 (32 MiB, about 0.1 s here),
a 16-byte random salt per password, a 32-byte key. The stored form names its parameters
("scrypt$15$8$1$salt$key"), so they can be raised later and old hashes still check
(`needs_rehash` says when to re-hash at the next sign-in).

A new password needs 12 characters or more (NCSC: length over complexity rules) and must not be
common or easy to guess: zxcvbn (Dropbox's estimator, with lists of common passwords, words,
names, keyboard patterns, dates and repeats) must put it at MIN_GUESSES_LOG10 or more, counting
the person's username and name as things an attacker would try first. We say why in our own
plain words, not zxcvbn's.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from collections.abc import Iterable

from zxcvbn import zxcvbn

LOG2_N, R, P = 15, 8, 1
SALT_BYTES, KEY_BYTES = 16, 32
MAX_MEMORY = 64 * 1024 * 1024
MIN_LENGTH, MAX_LENGTH = 12, 256
_PREFIX = "scrypt"
# 10**9 guesses: a little above zxcvbn's "safely unguessable" line (score 3, 10**8), so the
# season-year-symbol passwords sprayers try first ("Summer2024!!", about 10**8.4) are refused
# while three ordinary words together ("fish tree lamp") pass.
MIN_GUESSES_LOG10 = 9
# Words anyone attacking this service would try with a password.
SERVICE_WORDS = ("alongside", "dashboard", "coordinator", "wrap")
ZXCVBN_MAX_LENGTH = 72  # zxcvbn refuses longer input; a strong start makes a strong password


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(SALT_BYTES)
    key = _derive(password, salt, LOG2_N, R, P)
    return "$".join([_PREFIX, str(LOG2_N), str(R), str(P), _b64(salt), _b64(key)])


def verify_password(password: str, stored: str | None) -> bool:
    """True if the password matches. A missing or malformed stored hash never matches."""
    if not stored:
        _derive(password, b"\x00" * SALT_BYTES, LOG2_N, R, P)  # same time as a real check
        return False
    try:
        prefix, log2_n, r, p, salt, key = stored.split("$")
        if prefix != _PREFIX:
            return False
        expected = base64.b64decode(key)
        actual = _derive(password, base64.b64decode(salt), int(log2_n), int(r), int(p), len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def needs_rehash(stored: str) -> bool:
    return not stored.startswith(f"{_PREFIX}${LOG2_N}${R}${P}$")


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why a new password is not acceptable, in words for the person choosing it; else None.
    `user_inputs`: the account's username and display name, which make a password weak."""
    if len(password) < MIN_LENGTH:
        return f"A password needs at least {MIN_LENGTH} characters. A few ordinary words together work well."
    if len(password) > MAX_LENGTH:
        return f"A password can be at most {MAX_LENGTH} characters."
    if password != password.strip():
        return "A password cannot start or end with a space."
    if len(set(password)) < 5:
        return "That password repeats too few different characters. Try a few ordinary words together."
    if too_easy_to_guess(password, user_inputs):
        return (
            "That password is too common or too easy to guess (for example a well-known password, "
            "a name, a date or a keyboard pattern). Try three or four ordinary words together "
            "that have nothing to do with you or your work."
        )
    return None


def too_easy_to_guess(password: str, user_inputs: Iterable[str] = ()) -> bool:
    inputs = [part for given in (*user_inputs, *SERVICE_WORDS) if given for part in _pieces(given)]
    estimate = zxcvbn(password[:ZXCVBN_MAX_LENGTH], user_inputs=inputs)
    return float(estimate["guesses_log10"]) < MIN_GUESSES_LOG10


def _pieces(given: str) -> list[str]:
    """ "sam.jones" -> sam.jones, sam, jones: each is a guess an attacker would try."""
    words = [word for word in given.lower().replace(".", " ").replace("_", " ").replace("-", " ").split() if word]
    return [given.lower(), *words]


def _derive(password: str, salt: bytes, log2_n: int, r: int, p: int, length: int = KEY_BYTES) -> bytes:
    if not 10 <= log2_n <= 20:
        raise ValueError("scrypt cost out of range")
    return hashlib.scrypt(password.encode("utf-8"), salt=salt, n=2**log2_n, r=r, p=p, maxmem=MAX_MEMORY, dklen=length)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")
