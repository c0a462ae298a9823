"""The interface's catalogues: `update` (make messages), `compile` (make run/test), `check`.

python scripts/messages.py update    add new messages to locale/*/LC_MESSAGES/django.po
python scripts/messages.py compile   write the .mo files Django reads (polib; no gettext tools)
python scripts/messages.py check     list unmarked template text and untranslated messages
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(command: str) -> int:
    from advocacy import catalogues

    if command == "compile":
        written = catalogues.catalogues_compile()
        print(f"compiled {len(written)} catalogues")
        return 0
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "advocacy.settings.test")
    import django

    django.setup()
    if command == "update":
        for language, count in catalogues.catalogues_update().items():
            print(f"{language}: {count} new messages to translate in {catalogues.catalogue_path(language)}")
        return 0
    problems = 0
    for template, pieces in catalogues.unmarked_template_text().items():
        for piece in pieces:
            print(f"unmarked in templates/{template}: {piece!r}")
            problems += 1
    for language in catalogues.CATALOGUE_LANGUAGES:
        for context, msgid, _plural in catalogues.missing(language):
            print(f"{language} lacks: {msgid!r}" + (f" (context {context!r})" if context else ""))
            problems += 1
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "check"))
