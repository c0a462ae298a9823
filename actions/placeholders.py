"""A small, safe placeholder syntax for editor-written message templates.

Editors write ``{first_name}`` style placeholders; ``{{`` and ``}}`` stand for literal braces.
There are no tags, filters, attribute lookups or loops, so a template can reach nothing but the
values it is given. Values are inserted as plain text and never re-read as templates, so
``{first_name}`` typed by a supporter shows literally.
"""

import re

_TOKEN = re.compile(r"\{\{|\}\}|\{([^{}]*)\}|[{}]")
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")

SUPPORTER_PLACEHOLDERS = {
    "first_name": "the supporter's first name",
    "last_name": "the supporter's last name",
    "full_name": "the supporter's full name",
    "city": "the supporter's city",
    "postal_code": "the supporter's ZIP or postal code",
    "personal_note": "the supporter's own words, if they added any",
}
TARGET_PLACEHOLDERS = {
    "target_name": "the target's name",
    "target_title": "the target's title or office",
    "salutation": 'the target\'s salutation, e.g. "Dear Governor Newsom"',
    "ask": "what this campaign asks of the target",
}
ALL_PLACEHOLDERS = {**SUPPORTER_PLACEHOLDERS, **TARGET_PLACEHOLDERS}


class PlaceholderError(ValueError):
    """A template uses an unknown placeholder or a stray brace. The message is editor-facing."""


def placeholders_in(template: str) -> list[str]:
    """The placeholder names a template uses, in order; raises PlaceholderError on bad syntax."""
    names = []
    for match in _TOKEN.finditer(template or ""):
        token = match.group(0)
        if token in ("{{", "}}"):
            continue
        name = match.group(1)
        if name is None:
            raise PlaceholderError(
                f"A single '{token}' at character {match.start() + 1}: write '{token * 2}' for a literal brace."
            )
        name = name.strip()
        if not _NAME.match(name):
            raise PlaceholderError(f"'{{{name}}}' is not a placeholder name (use letters, digits and _).")
        names.append(name)
    return names


def validate(template: str, allowed=ALL_PLACEHOLDERS) -> None:
    """Raise PlaceholderError naming each unknown placeholder and listing the allowed ones."""
    unknown = sorted({name for name in placeholders_in(template) if name not in allowed})
    if unknown:
        listed = ", ".join("{" + name + "}" for name in unknown)
        choices = ", ".join("{" + name + "}" for name in allowed)
        raise PlaceholderError(f"Unknown placeholder {listed}. You can use: {choices}.")


def render(template: str, values: dict[str, str]) -> str:
    """Fill in the placeholders. Unknown names render empty (templates are validated on save)."""

    def replace(match):
        piece = match.group(0)
        if piece in ("{{", "}}"):
            return piece[0]
        name = match.group(1)
        if name is None:
            return piece
        return str(values.get(name.strip(), ""))

    return _TOKEN.sub(replace, template or "")
