"""Lexicons: the model and its term grammar (:mod:`.model`), the readers and the search path
(:mod:`.read`), the matcher that finds terms in token sequences (:mod:`.match`), and the
authoring tools behind ``framing lexicon`` (:mod:`.tools`). The bundled lexicons are data
files in :mod:`framing.lexicons`."""
