"""Polish typesetting and card summaries (core/typography.py) and where they are
applied: the template tags, markdown and whole Polish pages."""

import pytest
from django.utils import translation

from core.markdown import render_markdown
from core.typography import (
    bind_single_letters,
    bind_single_letters_html,
    card_summary,
    excerpt,
    quoted_name,
)
from tests.factories import DeclarationFactory, MeetingFactory
from tests.html import parse, with_class

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Miasta i regiony", f"Miasta i{NBSP}regiony"),
        ("w Gdańsku i w Lublinie", f"w{NBSP}Gdańsku i{NBSP}w{NBSP}Lublinie"),
        ("Z miastami, a także U nas", f"Z{NBSP}miastami, a{NBSP}także U{NBSP}nas"),
        ("(o migracji) „z bliska”", f"(o{NBSP}migracji) „z{NBSP}bliska”"),
        ("koniec zdania w", "koniec zdania w"),  # nothing follows: nothing to bind
        ("Kraków", "Kraków"),  # a letter inside a word is no word
        ("line i\nnext", "line i\nnext"),  # a line break in plain text stays one
    ],
)
def test_one_letter_words_keep_to_the_next_word(text, expected):
    assert bind_single_letters(text) == expected


def test_in_html_only_text_changes():
    html = (
        '<p title="a b i c">i w domu</p><a href="/a b">o nas</a>'
        "<code>a b</code><pre>w x</pre><script>var a = i ? 1 : 2;</script>"
    )
    assert bind_single_letters_html(html) == (
        f'<p title="a b i c">i{NBSP}w{NBSP}domu</p><a href="/a b">o{NBSP}nas</a>'
        "<code>a b</code><pre>w x</pre><script>var a = i ? 1 : 2;</script>"
    )


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>w <b>Gdańsku</b></p>", "<p>w <b>Gdańsku</b></p>"),  # a tag follows: text ends
        ("<b>Gdańsk</b> i Gdynia", f"<b>Gdańsk</b> i{NBSP}Gdynia"),
        ("<li>z\nbliska</li>", f"<li>z{NBSP}bliska</li>"),  # a line break is a space
        ('<img alt="Herb w Gdańsku"> w Gdańsku', f'<img alt="Herb w Gdańsku"> w{NBSP}Gdańsku'),
        ('<a title="x &gt; w y">', '<a title="x &gt; w y">'),
        ("", ""),
    ],
)
def test_in_html_text_next_to_tags(html, expected):
    assert bind_single_letters_html(html) == expected


def test_polish_markdown_is_bound_and_english_is_not():
    assert f"i{NBSP}w{NBSP}Gdańsku" in render_markdown("Spotkanie i w Gdańsku.", language="pl")
    assert "a b" in render_markdown("Write a book.", language="en")


def test_polish_pages_bind_one_letter_words_and_english_pages_do_not(client, db):
    DeclarationFactory(title_pl="Deklaracja o migracji i integracji", title_en="A declaration")
    polish = client.get("/pl/deklaracje/").content.decode()
    assert f"o{NBSP}migracji i{NBSP}integracji" in polish
    # The interface text of a Polish page too, not only its content.
    assert f"w{NBSP}dziedzinie" in polish or f"i{NBSP}" in polish.split("<main")[1]
    english = client.get("/en/declarations/").content.decode()
    assert "A declaration" in english
    assert f"A{NBSP}declaration" not in english


def test_a_polish_fallback_on_an_english_page_is_bound(client, db):
    MeetingFactory(title_pl="Spotkanie w Lublinie", title_en="")
    english = client.get("/en/meetings/").content.decode()
    assert f"Spotkanie w{NBSP}Lublinie" in english


THEME = (
    "Program Miasta Międzykulturowe (ICC) wspólna inicjatywa Rady Europy i Komisji Europejskiej. "
    "Spotkanie z Ireną Guidikovą szefową działu programów integracji w Radzie Europy. "
    "Projekt „Lublin dla wszystkich. Partycypacyjny model zarządzania różnorodnością”."
)


@pytest.mark.parametrize("words", range(3, 40))
def test_an_excerpt_never_ends_inside_a_quotation(words):
    cut = excerpt(THEME, words)
    assert cut.count("„") == cut.count("”"), cut
    assert THEME.startswith(cut.removesuffix("…"))


def test_an_excerpt_ends_at_a_sentence_when_one_fits():
    assert excerpt(THEME, 25) == THEME[: THEME.index("Europy.", 120) + len("Europy.")]
    assert excerpt("Jedno krótkie zdanie.", 25) == "Jedno krótkie zdanie."
    # Abbreviations and lower-case words after a full stop end no sentence.
    assert excerpt("Zespół ds. Migracji powstał w 2017 r. podczas konferencji w Gdańsku.", 6) == (
        "Zespół ds. Migracji powstał w 2017…"
    )


@pytest.mark.parametrize(
    ("summary", "title", "expected"),
    [
        (
            "Miasta Integrujące. Integracja = Bezpieczeństwo",
            "Konferencja „Miasta Integrujące. Integracja = Bezpieczeństwo”",
            "",
        ),
        ("The Migrant Info Point in Poznań.", "Migrant Info Point in Poznań", ""),
        ("Lublin4All. A participatory model.", "Lublin4All", "A participatory model."),
        (
            "Migrant Info Point. Help for foreigners in their language, at the city hall.",
            "Migrant Info Point",
            "Help for foreigners in their language, at the city hall.",
        ),
    ],
)
def test_a_card_summary_never_repeats_its_title(summary, title, expected):
    assert card_summary(summary, title, 30) == expected


def test_cards_leave_out_a_summary_that_repeats_the_title(client, db):
    MeetingFactory(
        title_pl="Konferencja „Miasta Integrujące. Integracja = Bezpieczeństwo”",
        theme_pl="Miasta Integrujące. Integracja = Bezpieczeństwo",
    )
    page = parse(client.get("/pl/spotkania/"))
    [card] = with_class(page, "card--meeting")
    assert not with_class(card, "card__text")


def test_a_short_name_comes_from_the_field_or_the_quotation(db):
    assert (
        quoted_name("Deklaracja „Przyjazne i Bezpieczne Pomorze”")
        == "„Przyjazne i Bezpieczne Pomorze”"
    )
    assert quoted_name("No quotation") == ""
    declaration = DeclarationFactory(
        title_pl="Deklaracja „Przyjazne Pomorze”", title_en="Declaration “Friendly Pomerania”"
    )
    with translation.override("en"):
        assert declaration.short_name().text == "“Friendly Pomerania”"
    declaration.short_title_en = "Pomeranian declaration"
    with translation.override("en"):
        assert declaration.short_name().text == "Pomeranian declaration"
    with translation.override("pl"):
        assert declaration.short_name().text == "„Przyjazne Pomorze”"
