"""The interface's message catalogues: what must be translated, what is, and the compiled files.

Every string a supporter reads goes through gettext. This module finds those strings the way
Django looks them up at run time (it parses the templates with Django's own template engine and
reads ``gettext`` calls from the Python source), so no GNU gettext tools are needed:

- ``unmarked_template_text()``: text in a supporter-facing template that is not inside
  ``{% translate %}`` or ``{% blocktranslate %}`` (a test fails on any);
- ``wanted()``: every message the interface asks for (templates, Python, and the few of Django's
  own form errors supporters see);
- ``missing(language)``: messages a language's catalogue lacks or leaves empty (a test fails on any);
- ``catalogues_update()``: adds new messages to each ``locale/<lang>/LC_MESSAGES/django.po`` (empty,
  to be translated) and marks ones no longer used as obsolete (``make messages``);
- ``catalogues_compile()``: the ``.mo`` files Django reads, with polib (``make run``/``make test``).

Only supporter-facing templates and apps are read: the organisers' admin screens and reports
stay in English.
"""

import ast
import re
from pathlib import Path

import polib

BASE_DIR = Path(__file__).resolve().parent.parent
LOCALE_DIR = BASE_DIR / "locale"
TEMPLATES_DIR = BASE_DIR / "templates"
# Language codes (settings.LANGUAGES, less English) and their catalogue folders.
CATALOGUE_LANGUAGES = {"km": "km", "vi": "vi", "es": "es", "zh-hant": "zh_Hant"}
# Templates organisers read in the admin (English only), relative to templates/.
# and the daily digest offices receive (in the language chosen for each target: English here).
ADMIN_TEMPLATES = (
    "reports/",
    "actions/admin/",
    "actions/email/digest.txt",
    "events/paper_",
    "events/print.html",
    "wagtailadmin/",
    "integrations/admin/",
)
PYTHON_APPS = ("cms", "actions", "events", "advocacy")
# Modules only organisers meet (admin screens, paper imports, the targets' snippet) and the voice
# prompts Twilio speaks (English, like the offices the bridge rings).
ORGANISER_MODULES = (
    "events/models.py",
    "events/paper.py",
    "events/paper_views.py",
    "actions/targets.py",
    "actions/calls/twiml.py",
)
ORGANISER_NAMES = ("wagtail_hooks.py", "admin_views.py", "admin_login.py")
# Django's own messages a supporter can meet on our forms, held in our catalogues so every
# language has them (Django's own catalogues lack some, Khmer's most).
DJANGO_MESSAGES = [
    "This field is required.",
    "Enter a valid email address.",
    "Enter a valid URL.",
    "Enter a whole number.",
    "Select a valid choice. %(value)s is not one of the available choices.",
]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "gettext_noop", "_lazy"}
PLURAL_NAMES = {"ngettext", "ngettext_lazy"}
CONTEXT_NAMES = {"pgettext", "pgettext_lazy"}
HEADER = """The interface of the advocacy engine, {language}.
MACHINE-DRAFTED: written without a native speaker. Every message needs review by a native
speaker before a campaign launches in this language (see docs/architecture.md, "Languages").
"""

# Attributes whose values people read (or hear from a screen reader).
_READ_ATTRIBUTES = re.compile(r"""\b(?:alt|title|aria-label|placeholder)\s*=\s*(["'])(.*?)\1""", re.S)
_LETTERS = re.compile(r"[^\W\d_]{2,}")


def supporter_templates() -> list[Path]:
    paths = []
    for path in sorted(TEMPLATES_DIR.rglob("*")):
        name = path.relative_to(TEMPLATES_DIR).as_posix()
        if path.suffix in (".html", ".txt") and not name.startswith(ADMIN_TEMPLATES):
            paths.append(path)
    return paths


def _skeleton(source: str) -> str:
    """The template's own text, with every tag, variable and translated stretch replaced by \\x00."""
    from django.template.base import Lexer, TokenType

    parts, depth = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0] if token.contents else ""
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
        if token.token_type == TokenType.TEXT and depth == 0:
            parts.append(token.contents)
        else:
            parts.append("\x00")
    return "".join(parts)


def _unmarked(source: str) -> list[str]:
    text = _skeleton(source)
    text = re.sub(r"<(script|style)\b.*?</\1\s*>", "\x00", text, flags=re.S | re.I)
    text = re.sub(r"<!--.*?-->", "\x00", text, flags=re.S)
    found = [value for _, value in _READ_ATTRIBUTES.findall(text)]
    text = re.sub(r"<[^>]*>", "\x00", text)
    text = re.sub(r"&#?\w+;", " ", text)
    found += text.split("\x00")
    return [" ".join(piece.split()) for piece in found if _LETTERS.search(piece.replace("\x00", " "))]


def unmarked_template_text() -> dict[str, list[str]]:
    """{template: [text that is not marked for translation]} for every supporter-facing template."""
    result = {}
    for path in supporter_templates():
        pieces = [" ".join(p.replace("\x00", " ").split()) for p in _unmarked(path.read_text(encoding="utf-8"))]
        if pieces:
            result[path.relative_to(TEMPLATES_DIR).as_posix()] = pieces
    return result


def _template_messages(path: Path) -> set[tuple]:
    """(context, msgid, plural) for each translate/blocktranslate in one template, as Django asks."""
    from django.template import engines
    from django.templatetags.i18n import BlockTranslateNode, TranslateNode

    template = engines["django"].from_string(path.read_text(encoding="utf-8")).template
    found = set()
    for node in template.nodelist.get_nodes_by_type(TranslateNode):
        var = node.filter_expression.var
        literal = getattr(var, "literal", None) if not isinstance(var, str) else var
        if isinstance(literal, str):
            context = node.message_context.var.literal if node.message_context else ""
            found.add((context or "", str(literal), ""))
    for node in template.nodelist.get_nodes_by_type(BlockTranslateNode):
        singular, _vars = node.render_token_list(node.singular)
        plural = node.render_token_list(node.plural)[0] if node.plural else ""
        context = node.message_context.var.literal if node.message_context else ""
        found.add((context or "", singular, plural))
    return found


def _python_messages(path: Path) -> set[tuple]:
    found = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        strings = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        if name in GETTEXT_NAMES and strings and strings[0]:
            found.add(("", strings[0], ""))
        elif name in PLURAL_NAMES and len(strings) >= 2 and strings[0] and strings[1]:
            found.add(("", strings[0], strings[1]))
        elif name in CONTEXT_NAMES and len(strings) >= 2 and strings[0] and strings[1]:
            found.add((strings[0], strings[1], ""))
    return found


def wanted() -> set[tuple]:
    """Every (context, msgid, plural) the supporter-facing interface asks gettext for."""
    found = {("", message, "") for message in DJANGO_MESSAGES}
    for path in supporter_templates():
        found |= _template_messages(path)
    for app in PYTHON_APPS:
        for path in sorted((BASE_DIR / app).rglob("*.py")):
            name = path.relative_to(BASE_DIR).as_posix()
            if "migrations" in path.parts or name in ORGANISER_MODULES or path.name in ORGANISER_NAMES:
                continue
            found |= _python_messages(path)
    return found


def catalogue_path(language: str) -> Path:
    return LOCALE_DIR / CATALOGUE_LANGUAGES[language] / "LC_MESSAGES" / "django.po"


def _key(entry) -> tuple:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def missing(language: str, messages: set[tuple] | None = None) -> list[tuple]:
    """The wanted messages that ``language``'s catalogue lacks, leaves empty or marks fuzzy."""
    messages = wanted() if messages is None else messages
    path = catalogue_path(language)
    done = set()
    if path.exists():
        for entry in polib.pofile(str(path)):
            translated = entry.msgstr or (entry.msgstr_plural and all(entry.msgstr_plural.values()))
            if translated and "fuzzy" not in entry.flags and not entry.obsolete:
                done.add(_key(entry))
    return sorted(messages - done)


def catalogues_update() -> dict[str, int]:
    """Add every new message (empty) to each catalogue and mark unused ones obsolete; {lang: added}."""
    messages = wanted()
    added = {}
    for language, folder in CATALOGUE_LANGUAGES.items():
        path = catalogue_path(language)
        path.parent.mkdir(parents=True, exist_ok=True)
        po = polib.pofile(str(path)) if path.exists() else polib.POFile(wrapwidth=100)
        if not path.exists():
            po.header = HEADER.format(language=language)
            po.metadata = {"Content-Type": "text/plain; charset=UTF-8", "Language": folder}
        known = {_key(entry): entry for entry in po}
        for context, msgid, plural in sorted(messages - set(known)):
            entry = polib.POEntry(msgctxt=context or None, msgid=msgid, msgstr="")
            if plural:
                entry.msgid_plural, entry.msgstr_plural, entry.msgstr = plural, {0: ""}, ""
            po.append(entry)
        for key, entry in known.items():
            entry.obsolete = key not in messages
        added[language] = len(messages - set(known))
        po.save(str(path))
    return added


def catalogues_compile() -> list[Path]:
    """Write each catalogue's ``.mo`` beside it (what Django reads at run time)."""
    written = []
    for language in CATALOGUE_LANGUAGES:
        path = catalogue_path(language)
        if path.exists():
            target = path.with_suffix(".mo")
            polib.pofile(str(path)).save_as_mofile(str(target))
            written.append(target)
    return written
