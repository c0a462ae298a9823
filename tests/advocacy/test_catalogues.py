"""The interface's catalogues: every supporter-facing string marked, every language complete."""

import re

import pytest
from django.utils import translation
from django.utils.translation import gettext

from advocacy import catalogues

HOW_TO_FIX = (
    "Run `make messages`, then fill each empty msgstr in locale/<language>/LC_MESSAGES/django.po "
    "(keep every %(name)s placeholder and HTML tag), then `make test`."
)


def test_every_supporter_facing_template_string_is_marked_for_translation():
    unmarked = catalogues.unmarked_template_text()
    lines = [f"templates/{name}: {text!r}" for name, pieces in unmarked.items() for text in pieces]
    assert not lines, "Text not inside {% translate %} / {% blocktranslate %}:\n" + "\n".join(lines)


@pytest.mark.parametrize("language", sorted(catalogues.CATALOGUE_LANGUAGES))
def test_every_language_has_every_message(language):
    missing = catalogues.missing(language)
    lines = [f"  msgid {msgid!r}" + (f" (msgctxt {ctx!r})" if ctx else "") for ctx, msgid, _plural in missing]
    assert not missing, (
        f"{catalogues.catalogue_path(language)} lacks {len(missing)} message(s):\n"
        + "\n".join(lines)
        + "\n"
        + HOW_TO_FIX
    )


def test_translations_keep_every_placeholder():
    import polib

    wrong = []
    for language in catalogues.CATALOGUE_LANGUAGES:
        for entry in polib.pofile(str(catalogues.catalogue_path(language))):
            wanted = set(re.findall(r"%\(\w+\)s", entry.msgid))
            texts = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
            wrong += [(language, entry.msgid) for text in texts if set(re.findall(r"%\(\w+\)s", text)) != wanted]
    assert wrong == []


def test_the_checker_finds_unmarked_text_and_accepts_marked_text():
    assert catalogues._unmarked("<p>Sign now</p>") == ["Sign now"]
    assert catalogues._unmarked('<img alt="A father and his son" src="x.png">') == ["A father and his son"]
    assert catalogues._unmarked('{% load i18n %}<p>{% translate "Sign now" %}</p>') == []
    assert catalogues._unmarked("<p>{% blocktranslate %}Hi {{ name }}{% endblocktranslate %}</p>") == []
    assert catalogues._unmarked("<script>const label = 'Copied';</script><p>{{ page.title }} ✓ 42</p>") == []


def test_a_new_string_is_reported_missing_until_translated(tmp_path, monkeypatch):
    monkeypatch.setattr(catalogues, "LOCALE_DIR", tmp_path)
    wanted = {("", "Sign now", ""), ("", "A brand new sentence.", "")}
    path = catalogues.catalogue_path("km")
    path.parent.mkdir(parents=True)
    path.write_text(
        'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\nmsgid "Sign now"\nmsgstr "ចុះហត្ថលេខាឥឡូវនេះ"\n'
    )
    assert catalogues.missing("km", wanted) == [("", "A brand new sentence.", "")]


def test_compiled_catalogues_are_what_django_reads():
    assert catalogues.catalogues_compile()
    for language, expected in {"km": "ចុះហត្ថលេខាឥឡូវនេះ", "es": "Firma ahora", "zh-hant": "立即簽名"}.items():
        with translation.override(language):
            assert gettext("Sign now") == expected
    with translation.override("en"):
        assert gettext("Sign now") == "Sign now"
