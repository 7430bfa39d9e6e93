"""Keywords: term counts per group (:mod:`.terms`), keyness against the rest or a reference
(:mod:`.keyness`), concordance lines (:mod:`.kwic`), collocations (:mod:`.collocations`) and
the bundled background frequencies (:mod:`.background`)."""
