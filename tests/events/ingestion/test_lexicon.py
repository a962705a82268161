import pytest

from events.ingestion.lexicon import Lexicon, compile_phrase, default_lexicon
from events.models import EventType


@pytest.mark.parametrize(
    ("sentence", "slug"),
    [
        ("The United States has paused all military aid to Ukraine.", "aid-suspension"),
        ("Its decision to halt military aid to Ukraine", "aid-suspension"),
        ("The U.S. was suspending arms deliveries.", "aid-suspension"),
        ("Washington said it would resume security assistance.", "aid-resumption"),
        ("The US lifted the pause on intelligence sharing.", "aid-resumption"),
        ("The General Assembly adopted a resolution on Ukraine.", "un-vote"),
        ("The Security Council voted on a US draft.", "un-vote"),
        ("The United States voted against it, alongside Russia.", "un-vote"),
        ("Officials held talks in Riyadh.", "bilateral-talks"),
        ("Negotiations on a ceasefire began.", "bilateral-talks"),
        ("Trump and Putin held a summit in Anchorage.", "summit"),
        ("Trump suggested Ukraine started the war.", "statement"),
        ("The Kremlin declared victory.", "statement"),
        ("The EU imposed new sanctions on Russian banks.", "sanctions"),
        ("They agreed to restore staffing at their embassies.", "diplomatic-relations"),
        ("Both sides will reopen their embassies.", "diplomatic-relations"),
        ("Rubio dismissed the idea as unrealistic.", "policy-position"),
        ("The weather was cold.", None),
    ],
)
def test_it_suggests_the_type_a_sentence_describes(sentence, slug):
    assert default_lexicon().suggest(sentence) == slug


def test_resumed_aid_is_not_read_as_a_pause():
    assert default_lexicon().suggest("The US resumed the aid it had paused.") == "aid-resumption"


def test_the_phrase_language_has_prefixes_gaps_and_alternatives():
    lexicon = Lexicon.from_toml(
        '[[types]]\nslug = "aid-suspension"\nphrases = ["halt* ... aid|assistance"]\n'
    )
    assert lexicon.suggest("They halted all American military aid.") == "aid-suspension"
    assert lexicon.suggest("They halted, after a long and heated debate in the end, aid.") is None
    assert lexicon.suggest("Aid was halted.") is None  # order matters
    assert compile_phrase("aid") == r"(?<![\w])aid(?![\w])"


@pytest.mark.django_db
def test_every_type_in_the_lexicon_exists_in_the_taxonomy():
    assert set(default_lexicon().slugs) <= set(EventType.objects.values_list("slug", flat=True))
