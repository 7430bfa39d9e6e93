"""The one error type users see: a single line naming the file, line or field and what to do."""


class FramingError(ValueError):
    """Bad input: unreadable file, malformed lexicon, unknown column, duplicate id, ...

    The message is one line and says where the problem is and how to fix it; the
    command-line interface prints it as ``framing: <message>`` and exits with 2.
    """


class NeedsSentences(FramingError):
    """A comparison must resample sentences (a group has too few documents) and was given none:
    callers that can supply them (the CLI, from a unit table) catch this type, never the message."""


class LeftOut(UserWarning):
    """Documents a family left out (a language it has no words for), or counted without some
    categories: ``template`` with ``{n}`` where their number goes. The engine adds up ``n`` over
    batches and says it once (:mod:`framing.engine`); elsewhere it is an ordinary warning.

    Examples
    --------
    >>> str(LeftOut("stance: {n} document(s) in German (de) left out", 3))
    'stance: 3 document(s) in German (de) left out'
    """

    def __init__(self, template: str, n: int):
        super().__init__(template.replace("{n}", str(n)))
        self.template, self.n = template, n

