"""`makemessages` without fuzzy matching.

msgmerge's fuzzy matching pre-fills a new msgid with the translation of a similar old one and
marks it "#, fuzzy"; gettext then ignores it, so the English page silently falls back to
Dutch. Every new msgid starts empty instead and is translated on purpose (`make messages`).
"""

from django.core.management.commands import makemessages


class Command(makemessages.Command):
    msgmerge_options = [*makemessages.Command.msgmerge_options, "--no-fuzzy-matching"]
