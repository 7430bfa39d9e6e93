"""The one error type users see: a single line naming the file, line or field and what to do."""


class FramingError(ValueError):
    """Bad input: unreadable file, malformed lexicon, unknown column, duplicate id, ...

    The message is one line and says where the problem is and how to fix it; the
    command-line interface prints it as ``framing: <message>`` and exits with 2.
    """


class NeedsSentences(FramingError):
    """A comparison must resample sentences (a group has too few documents) and was given none:
    callers that can supply them (the CLI, from a unit table) catch this type, never the message."""
