"""The ``printgen`` entry point: the language is chosen before anything is imported that
prints or declares help text (see :mod:`generator.i18n`)."""

import sys


def main() -> None:
    from generator.i18n import language_from, use_language

    use_language(language_from(sys.argv[1:]))
    from generator.cli import main as run

    run()
