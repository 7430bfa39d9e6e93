"""Reductions of count tables: rates with intervals and contrasts (:mod:`.rates`), profiles,
similarity and maps (:mod:`.profiles`), trends over time (:mod:`.trends`) and the rate model
(:mod:`.models`). Tables in, tables out: nothing here reads, cleans, tokenizes or counts text."""
