"""Cleaning of supporter-typed text: names in any script, emails, free comments."""

import re
import unicodedata

# Zero-width joiner and non-joiner shape letters in several scripts, so they stay.
_KEEP_FORMAT_CHARS = {"\u200c", "\u200d"}
_SPACES = re.compile(r"\s+")
_NOT_REF = re.compile(r"[^A-Za-z0-9_-]")


def clean_line(value: str) -> str:
    """One line of text: NFC, no control or invisible formatting characters, single spaces.

    Strips CR/LF (they must never reach an email header), bidi overrides and zero-width
    characters that could disguise a name, and keeps letters of every script.
    """
    value = unicodedata.normalize("NFC", value or "")
    kept = []
    for char in value:
        category = unicodedata.category(char)
        if category == "Cc":
            kept.append(" ")
        elif category == "Cf" and char not in _KEEP_FORMAT_CHARS:
            continue
        elif category in ("Zl", "Zp"):
            kept.append(" ")
        else:
            kept.append(char)
    return _SPACES.sub(" ", "".join(kept)).strip()


def clean_paragraphs(value: str) -> str:
    """Free text such as a comment: like clean_line, but keeps line breaks (normalised to \\n)."""
    value = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    lines = [clean_line(line) for line in value.split("\n")]
    text = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", text)


def clean_source(value: str) -> str:
    """Where an action came from (a hidden field or ``?source=``): one line, at most 64 characters.

    One line also drops NUL, which PostgreSQL refuses in text.
    """
    return clean_line(value)[:64]


def clean_ref(value: str) -> str:
    """A referral code (``?ref=``): only the letters, digits, ``_`` and ``-`` codes are made of,
    at most 16 characters."""
    return _NOT_REF.sub("", value or "")[:16]


_GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}


def email_key(email: str) -> str:
    """The identity of an email address for de-duplication.

    Case-insensitive; a ``+tag`` is dropped for every domain (sub-addressing); for Gmail, dots
    in the local part are dropped and googlemail.com is gmail.com. The address as typed is kept
    separately for sending.
    """
    email = (email or "").strip().lower()
    local, _, domain = email.rpartition("@")
    if not local:
        return email
    local = local.split("+", 1)[0]
    if domain in _GMAIL_DOMAINS:
        domain = "gmail.com"
        local = local.replace(".", "")
    return f"{local}@{domain}"
