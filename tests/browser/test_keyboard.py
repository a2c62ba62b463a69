"""The site with the keyboard alone, in Chromium.

Tab and Enter only (and typing into fields): the skip link is the first stop
and moves focus to the main content; every link, button and field on a page is
reached by Tab, in an order that ends (no trap), and shows where focus is; the
main navigation, the language switcher, the city filter form, the search form
and the map's list of cities all work from the keyboard.
"""

import pytest

from .test_axe import LANGUAGES, LOCALES

# django_db: the test database (see conftest.py); the seed is loaded per module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# Marks every element that should take focus from Tab, in document order.
MARK_FOCUSABLE = """() => {
  const selector = "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), " +
    "select:not([disabled]), textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";
  const focusable = [...document.querySelectorAll(selector)].filter((element) =>
    element.checkVisibility({visibilityProperty: true}) &&
    !element.closest("details:not([open]) > :not(summary)"));
  focusable.forEach((element, index) => element.setAttribute("data-tab-stop", index));
  return focusable.length;
}"""

# What has focus now and how it shows it.
FOCUSED = """() => {
  const element = document.activeElement;
  if (!element || element === document.body) {
    return null;
  }
  const style = getComputedStyle(element);
  const svgLabel = element.closest("svg") && element.querySelector("text");
  const box = element.getBoundingClientRect();
  return {
    stop: element.getAttribute("data-tab-stop"),
    tag: element.tagName.toLowerCase(),
    id: element.id,
    name: (element.getAttribute("aria-label") || element.textContent || element.value || "")
      .trim().replace(/\\s+/g, " ").slice(0, 60),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2 &&
      !/rgba\\(.*, 0\\)$|transparent/.test(style.outlineColor),
    boxShadow: style.boxShadow !== "none",
    svgLabelStroke: svgLabel ? getComputedStyle(svgLabel).stroke : null,
    onScreen: box.bottom > 0 && box.top < window.innerHeight &&
      box.right > 0 && box.left < window.innerWidth,
  };
}"""
FOCUS_YELLOW = "rgb(255, 221, 0)"


def focused(page):
    return page.evaluate(FOCUSED)


def tab_to(page, matches, limit=200):
    """Presses Tab until the focused element matches; returns it."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        element = focused(page)
        if element and matches(element):
            return element
    raise AssertionError("never reached by Tab")


def shows_focus(element):
    if element["svgLabelStroke"] is not None:
        # A city on the map: its label gets the yellow focus halo.
        return element["svgLabelStroke"] == FOCUS_YELLOW
    return element["outline"] or element["boxShadow"]


@pytest.mark.parametrize(
    ("language", "page_type"),
    [("pl", "home"), ("en", "declaration_detail"), ("pl", "city_detail"), ("en", "open_data")],
)
def test_the_skip_link_is_the_first_stop_and_moves_focus_to_main(
    seeded_site, open_page, language, page_type
):
    page = open_page(width=375, locale=LOCALES[language])
    page.goto(seeded_site(seeded_site.paths[language][page_type]))

    page.keyboard.press("Tab")
    skip = page.locator(".skip-link")
    assert page.evaluate("document.activeElement.classList.contains('skip-link')")
    assert focused(page)["onScreen"], "the focused skip link is seen"
    assert skip.get_attribute("href") == "#main"

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    page.keyboard.press("Tab")
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)"), (
        "the next stop is in the main content, past the header and navigation"
    )


@pytest.mark.parametrize(
    ("language", "page_type", "width"),
    [
        ("pl", "home", 1280),
        ("en", "home", 375),
        ("en", "city_list", 1280),
        ("pl", "city_detail", 375),
        ("pl", "declaration_detail", 1280),
        ("en", "search_results", 375),
        ("pl", "meeting_detail", 1280),
        ("en", "not_found", 1280),
    ],
)
def test_tab_reaches_every_control_in_order_and_shows_where_focus_is(
    seeded_site, open_page, language, page_type, width
):
    page = open_page(width=width, locale=LOCALES[language])
    page.goto(seeded_site(seeded_site.paths[language][page_type]))
    expected = page.evaluate(MARK_FOCUSABLE)
    assert expected > 10

    reached, without_focus_style = [], []
    for _ in range(expected + 5):
        page.keyboard.press("Tab")
        element = focused(page)
        if element is None:  # past the last stop, out to the browser
            break
        assert element["stop"] is not None, f"focus went to an unexpected element: {element}"
        reached.append(int(element["stop"]))
        if not shows_focus(element):
            without_focus_style.append(element)
        assert element["onScreen"] or element["stop"] == "0", f"focus off screen: {element}"
    assert reached == list(range(expected)), "every control once, in document order"
    assert without_focus_style == [], without_focus_style


def test_the_main_navigation_works_with_tab_and_enter(seeded_site, open_page):
    page = open_page(width=375, locale="pl-PL")
    page.goto(seeded_site(seeded_site.paths["pl"]["home"]))
    tab_to(page, lambda element: element["name"] == "Miasta")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == seeded_site(seeded_site.paths["pl"]["city_list"])
    current = page.locator(".site-nav [aria-current]")
    assert current.inner_text() == "Miasta"


def test_the_language_switcher_works_with_tab_and_enter(seeded_site, open_page):
    page = open_page(locale="pl-PL")
    page.goto(seeded_site(seeded_site.paths["pl"]["declaration_detail"]))
    tab_to(page, lambda element: element["name"] == "English")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url == seeded_site(seeded_site.paths["en"]["declaration_detail"])
    assert page.get_attribute("html", "lang") == "en"


def test_the_city_filter_works_from_the_keyboard(seeded_site, open_page):
    page = open_page(locale="en-GB")
    page.goto(seeded_site(seeded_site.paths["en"]["city_list"]))
    tab_to(page, lambda element: element["id"] == "id_voivodeship")
    page.keyboard.type("Pomeranian")  # a closed <select> picks the option typed
    assert page.input_value("#id_voivodeship") == "pomorskie"
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_declaration"
    page.keyboard.press("ArrowDown")
    declaration = page.input_value("#id_declaration")
    assert declaration
    button = tab_to(page, lambda element: element["tag"] == "button")
    assert shows_focus(button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "voivodeship=pomorskie" in page.url
    assert f"declaration={declaration}" in page.url
    names = page.locator(".city-card__title").all_inner_texts()
    assert names, "the filtered list"
    assert all("Pomeranian" in meta for meta in page.locator(".city-card__meta").all_inner_texts())


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_search_forms_work_from_the_keyboard(seeded_site, open_page, language):
    page = open_page(width=320, locale=LOCALES[language])
    page.goto(seeded_site(seeded_site.paths[language]["home"]))
    tab_to(page, lambda element: element["id"] == "site-search-q")
    page.keyboard.type("Gdańsk")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Gda%C5%84sk" in page.url
    assert page.locator(".search-result").count() > 0

    # The results page's own form: a new search, sent with the button.
    tab_to(page, lambda element: element["id"] == "search-q")
    page.keyboard.press("Control+A")
    page.keyboard.type("Lublin")
    button = tab_to(page, lambda element: element["tag"] == "button")
    assert shows_focus(button)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Lublin" in page.url
    assert "Lublin" in page.locator(".search-results").inner_text()

    # A typing error: "Did you mean Wrocław?" is a link that runs the corrected search.
    tab_to(page, lambda element: element["id"] == "search-q")
    page.keyboard.press("Control+A")
    page.keyboard.type("Wroclw")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    suggestion = tab_to(page, lambda element: element["name"] == "Wrocław")
    assert shows_focus(suggestion)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "q=Wroc%C5%82aw" in page.url
    assert page.locator(".search-suggestion").count() == 0
    # Wrocław's page, by its name in the page's language (Вроцлав on the Ukrainian one).
    assert "/wroclaw/" in page.locator(".search-result a").first.get_attribute("href")


def test_the_map_list_opens_from_the_keyboard(seeded_site, open_page):
    page = open_page(locale="en-GB")
    page.goto(seeded_site(seeded_site.paths["en"]["home"]))
    summary = tab_to(page, lambda element: element["tag"] == "summary")
    assert shows_focus(summary)
    page.keyboard.press("Enter")
    assert page.evaluate("document.querySelector('.signatory-map__list').open")
    link = tab_to(page, lambda element: element["tag"] == "a")
    assert link["onScreen"]
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/en/cities/" in page.url
