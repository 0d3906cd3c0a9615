"""tema.serve.words: the browser app says everything in both languages."""

from __future__ import annotations

import string

from tema.serve.words import WORDS, say


def test_every_text_is_in_both_languages_with_the_same_placeholders():
    norwegian, english = WORDS["nb"], WORDS["en"]
    assert set(norwegian) == set(english)
    for key, text in norwegian.items():
        fields = {name for _, name, _, _ in string.Formatter().parse(text) if name}
        assert fields == {
            name for _, name, _, _ in string.Formatter().parse(english[key]) if name
        }, key


def test_say_fills_in_and_falls_back_to_norwegian():
    assert say("nb", "delete_title", name="Bodø") == "Slette «Bodø»?"
    assert say("en", "delete_title", name="Bodø") == "Delete “Bodø”?"
    assert say("xx", "cancel") == "Avbryt"


def test_no_template_picks_a_word_by_language_itself():
    """Every word a page shows is in the word tables (where the tests above check that it
    is in both languages), not chosen in a template by `lang == 'nb'`. Only the page's
    own language code and the switch's other one are."""
    import re
    from pathlib import Path

    import tema.serve

    allowed = {"{{ 'nb' if lang == 'nb' else 'en' }}", "{{ 'en' if lang == 'nb' else 'nb' }}"}
    folder = Path(tema.serve.__file__).parent / "templates"
    found = [
        (template.name, choice)
        for template in sorted(folder.glob("*.html"))
        for choice in re.findall(r"\{\{[^}]*\bif lang ==[^}]*\}\}", template.read_text())
        if choice not in allowed
    ]
    assert found == []


def test_the_first_model_note_speaks_to_a_user_not_to_the_person_who_runs_tema():
    """The start page without a model says what happens, not where tema keeps its files
    (paths and commands are for «For den som drifter tema»)."""
    for language in ("nb", "en"):
        note = say(language, "first_model_note")
        assert "data/" not in note and "labeled" not in note, note
