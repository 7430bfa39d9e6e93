"""Documents: read every input format in batches (:mod:`.read`), clean them with a report
(:mod:`.clean`), tokenize once (:mod:`.tokens`), and hold them as a :class:`~.corpus.Corpus`
(:mod:`.corpus`). The first floor above the shapes: nothing here knows a lexicon or a family."""
