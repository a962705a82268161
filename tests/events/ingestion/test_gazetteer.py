import pytest

from events.ingestion.gazetteer import ActorNames, Gazetteer, iso_names
from tests.factories import ActorFactory


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer(
        [
            ActorNames(
                "united-states", ("United States", "US", "U.S.", "Washington", "the White House")
            ),
            ActorNames("russia", ("Russian Federation", "Russia", "Moscow", "the Kremlin")),
            ActorNames("ukraine", ("Ukraine", "Kyiv")),
            ActorNames("united-nations", ("United Nations", "UN")),
            ActorNames("un-general-assembly", ("UN General Assembly", "General Assembly")),
            ActorNames("donald-trump", ("Donald Trump", "Trump")),
            ActorNames("georgia-state", ("Georgia",)),
            ActorNames("georgia-country", ("Georgia",)),
        ]
    )


def test_metonyms_name_their_state(gazetteer):
    text = "The White House said Kremlin officials would fly from Moscow; Kyiv objected."
    assert gazetteer.find(text) == ["united-states", "russia", "ukraine"]


def test_the_longest_name_wins(gazetteer):
    assert gazetteer.find("The UN General Assembly voted.") == ["un-general-assembly"]
    assert gazetteer.find("The UN voted.") == ["united-nations"]


def test_a_short_name_matches_only_with_its_case(gazetteer):
    assert gazetteer.find("Let us tell us what US officials said.") == ["united-states"]
    assert gazetteer.find("That would trump everything.") == []


def test_longer_names_ignore_case_and_a_leading_the(gazetteer):
    assert gazetteer.find("the general assembly met; the Kremlin said") == [
        "un-general-assembly",
        "russia",
    ]


def test_names_are_whole_words_and_joined_names_are_read_apart(gazetteer):
    assert gazetteer.find("Russian troops, Ukrainians and Trumpism") == []
    assert gazetteer.find("U.S.-Russia talks on Ukraine’s future") == [
        "united-states",
        "russia",
        "ukraine",
    ]


def test_each_actor_is_named_once_in_order_of_first_mention(gazetteer):
    assert gazetteer.find("Russia and the U.S. and Moscow and Washington") == [
        "russia",
        "united-states",
    ]


def test_a_name_two_actors_share_says_nothing(gazetteer):
    assert gazetteer.find("Georgia voted.") == []


def test_iso_names_come_from_pycountry():
    assert "United States of America" in iso_names("USA")
    assert iso_names(None) == ()


@pytest.mark.django_db
def test_it_is_built_from_actor_names_short_names_aliases_and_iso_names():
    ActorFactory(
        slug="russia",
        name="Russian Federation",
        short_name="Russia",
        aliases="Moscow\n  the Kremlin  \n",
        iso3="RUS",
        kind="state",
    )
    ActorFactory(slug="sergei-lavrov", name="Sergei Lavrov", aliases="Lavrov", kind="person")
    gazetteer = Gazetteer.from_database()
    assert gazetteer.find("The Kremlin and Lavrov") == ["russia", "sergei-lavrov"]
    assert gazetteer.find("The Russian Federation") == ["russia"]
    assert gazetteer.find("Moscow said") == ["russia"]
