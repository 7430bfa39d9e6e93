"""Bundled codebooks: TOML files read with importlib.resources by framing.lexicon.codebook."""
