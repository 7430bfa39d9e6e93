"""Codebooks as data (framing.lexicon.codebook): the bundled two, the format's errors, a study's own."""

import pytest

from framing.errors import FramingError
from framing.lexicon.codebook import (
    bundled_codebooks,
    codebook_from_toml,
    new_codebook,
    read_codebook,
)

GOOD = """
[meta]
name = "tiny"
version = "1"
description = "two frames"
source = "a test"
licence = "CC0"

[frames.conflict]
definition = "sides disagree"
"""


def test_the_bundled_codebooks_carry_their_sources_and_frames():
    assert bundled_codebooks() == ["generic_frames", "policy_frames"]
    policy = read_codebook("policy_frames")
    assert len(policy.frames) == 15 and policy.frame_names[0] == "economic" and policy.frame_names[-1] == "other"
    assert "Boydstun" in policy.meta["source"] and "own words" in policy.meta["source"]
    generic = read_codebook("generic_frames")
    assert generic.frame_names == ["responsibility", "human_interest", "conflict", "morality", "economic_consequences"]
    assert [len(f.questions) for f in generic.frames] == [5, 5, 4, 3, 3]  # Semetko & Valkenburg's 20 questions
    assert "Semetko" in generic.meta["source"] and generic.meta["unit"] == "document"


def test_the_id_changes_with_a_definition_not_with_a_label():
    book = codebook_from_toml(GOOD)
    assert book.id.startswith("tiny@1#")
    assert codebook_from_toml(GOOD.replace('definition = "sides', 'label = "C"\ndefinition = "sides')).id == book.id
    assert codebook_from_toml(GOOD.replace("sides disagree", "two sides disagree")).id != book.id


@pytest.mark.parametrize("text, message", [
    ("[meta\nname=1", "src.toml: malformed TOML"),
    (GOOD.replace('licence = "CC0"\n', ""), "src.toml: [meta] licence is missing or empty"),
    (GOOD.replace("[frames.conflict]", "[frames.Conflict]"), "src.toml: [frames.Conflict]: a frame name becomes a sheet column"),
    (GOOD.replace("[frames.conflict]", "[frames.text]"), "src.toml: [frames.text]: a frame name becomes a sheet column"),
    (GOOD.replace('definition = "sides disagree"', 'definition = ""'), "src.toml: [frames.conflict]: definition is missing"),
    (GOOD + "colour = 'red'\n", "src.toml: [frames.conflict]: unknown key 'colour'"),
    (GOOD + "questions = 'one'\n", "src.toml: [frames.conflict]: questions must be a list of non-empty strings"),
    (GOOD.replace('licence = "CC0"', 'licence = "CC0"\nunit = "page"'), "src.toml: [meta] unit must be sentence"),
    (GOOD.replace("[frames.conflict]", "[frame.conflict]"), "src.toml: unknown table [frame]"),
])
def test_a_malformed_codebook_is_one_line_naming_file_and_key(text, message):
    with pytest.raises(FramingError) as err:
        codebook_from_toml(text, source="src.toml")
    assert str(err.value).startswith(message) and "\n" not in str(err.value)


def test_an_unknown_name_lists_the_bundled(tmp_path):
    with pytest.raises(FramingError, match="no codebook named 'nope'; bundled: generic_frames, policy_frames"):
        read_codebook("nope")
    with pytest.raises(FramingError, match="no such codebook file"):
        read_codebook(str(tmp_path / "missing.toml"))


def test_a_new_codebook_reads_back_and_is_never_written_twice(tmp_path):
    path = new_codebook("mine", folder=tmp_path)
    book = read_codebook(str(path))
    assert book.name == "mine" and book.frame_names == ["first_frame", "second_frame"]
    with pytest.raises(FramingError, match="exists already"):
        new_codebook("mine", folder=tmp_path)


def test_format_shows_rule_definitions_and_questions():
    text = read_codebook("generic_frames").format()
    assert text.splitlines()[0] == "generic_frames 1.0.0 (5 frames)"
    assert "conflict: Conflict" in text and "  - Does one party, person, group or country reproach or criticise another?" in text
