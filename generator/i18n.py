"""Messages in the user's language: Japanese first, English when the locale or ``--lang`` says so.

The messages are written in English in the code, wrapped in :func:`_`; the Japanese catalogue is
``generator/locale/ja/LC_MESSAGES/printgen.po`` (compiled to ``printgen.mo`` by
``scripts/compile_messages.py``; a test keeps the two in step and finds any message missing
from it). printgen's domain becomes gettext's global one, so Click's own usage messages, which
it asks gettext for, come from the same catalogue.
"""

from __future__ import annotations

import gettext
import os
from pathlib import Path

DOMAIN = "printgen"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
LANGUAGES = ("ja", "en")
_language: str | None = None
_catalogue: gettext.NullTranslations = gettext.NullTranslations()


def language_from(argv: list[str], environ=os.environ) -> str:
    """``--lang X`` on the command line, else English when LC_ALL, LC_MESSAGES or LANG (the
    first one set, as POSIX orders them) starts with ``en``, else Japanese."""
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in LANGUAGES else "ja"
        if arg.startswith("--lang="):
            value = arg.partition("=")[2]
            return value if value in LANGUAGES else "ja"
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return "en" if value.startswith("en") else "ja"
    return "ja"


def use_language(language: str) -> None:
    """Print every message (printgen's and Click's) in ``language`` from now on."""
    global _language, _catalogue
    _language = language if language in LANGUAGES else "ja"
    os.environ["LANGUAGE"] = _language  # what gettext looks up for Click (also in worker processes)
    gettext.bindtextdomain(DOMAIN, str(LOCALE_DIR))
    gettext.textdomain(DOMAIN)
    _catalogue = gettext.translation(DOMAIN, str(LOCALE_DIR), languages=[_language], fallback=True)


def language() -> str:
    if _language is None:
        use_language(language_from([]))
    return _language


def _(message: str) -> str:
    """``message`` (English) in the language in use."""
    language()
    return _catalogue.gettext(message)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue where it is defined; it is translated where used."""
    return message


def ngettext(singular: str, plural: str, count: int) -> str:
    """``singular`` or ``plural`` by ``count``, translated (both are catalogue entries: Japanese
    has one form, English two, so no plural rules are needed)."""
    return _(singular if count == 1 else plural)
