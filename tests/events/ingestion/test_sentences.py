from events.ingestion.sentences import paragraphs, sentences, split_sentences


def test_it_splits_at_full_stops_before_a_capital():
    assert split_sentences("The talks ended. The delegations left! Did they agree? No.") == [
        "The talks ended.",
        "The delegations left!",
        "Did they agree?",
        "No.",
    ]


def test_it_does_not_split_after_titles_initials_or_a_month_before_its_day():
    text = "Mr. Rubio met Sergei V. Lavrov on Feb. 18 in Riyadh. Gen. Kellogg was not there."
    assert split_sentences(text) == [
        "Mr. Rubio met Sergei V. Lavrov on Feb. 18 in Riyadh.",
        "Gen. Kellogg was not there.",
    ]


def test_a_dotted_abbreviation_ends_a_sentence_only_before_a_common_opener():
    assert split_sentences("The U.S. Secretary of State spoke to the U.S. The talks ended.") == [
        "The U.S. Secretary of State spoke to the U.S.",
        "The talks ended.",
    ]
    assert split_sentences("Kyiv should compensate the U.S. for past aid.") == [
        "Kyiv should compensate the U.S. for past aid."
    ]


def test_a_dateline_is_not_a_sentence_of_its_own():
    text = "PALM BEACH, Fla. — The president spoke. He left."
    assert split_sentences(text) == ["PALM BEACH, Fla. — The president spoke.", "He left."]


def test_closing_quotes_stay_with_their_sentence():
    assert split_sentences('He said "we have taken a step back." Then he left.') == [
        'He said "we have taken a step back."',
        "Then he left.",
    ]


def test_blank_lines_separate_paragraphs_and_a_line_break_ends_a_sentence():
    text = "Heading\n\nFirst sentence. Second one.\nA caption without a stop\n\nLast."
    assert paragraphs(text) == [
        "Heading",
        "First sentence. Second one.\nA caption without a stop",
        "Last.",
    ]
    assert [(s.paragraph, s.text) for s in sentences(text)] == [
        (1, "Heading"),
        (2, "First sentence."),
        (2, "Second one."),
        (2, "A caption without a stop"),
        (3, "Last."),
    ]


def test_text_without_blank_lines_has_a_paragraph_per_line():
    assert paragraphs("One paragraph.\nAnother one.\n") == ["One paragraph.", "Another one."]
