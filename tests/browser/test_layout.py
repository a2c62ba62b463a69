"""Layouts in Chromium: every page type from 320 to 1920 px wide, text at 200%,
and the declaration on paper.

"No horizontal overflow" is the page's own measure: the document is no wider
than the window (`scrollWidth <= innerWidth`), so nothing needs sideways
scrolling (WCAG 1.4.10). With the text at 200% (the browser's default font size
doubled, as a reader sets it; on a 1280 px and a 640 px wide window) nothing may
overflow either, and no text may be clipped by a box that hides its overflow
(WCAG 1.4.4).

Screenshots of the main pages at phone (375 px) and desktop (1280 px) width,
and the declaration as PDF, are left under artifacts/ for people to look at.
"""

import pytest

from .conftest import ARTIFACTS
from .test_axe import LANGUAGES, LOCALES, PAGE_TYPES

# django_db: the test database (see conftest.py); the seed is loaded per module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

# 640 px is also a 1280 px screen zoomed to 200% (the whole page, not only text).
WIDTHS = [320, 375, 640, 768, 1280, 1920]
SCREENSHOT_WIDTHS = {375: "phone", 1280: "desktop"}
MAIN_PAGES = [
    "home",
    "declaration_detail",
    "city_list",
    "city_detail",
    "region_detail",
    "team",
    "meeting_list",
    "meeting_detail",
    "initiative_detail",
    "search_results",
    "search_corrected",
    "open_data",
]

# The elements that stick out of the window, to say what overflows.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.body.querySelectorAll("*")) {
    const box = element.getBoundingClientRect();
    if (box.width && (box.right > width + 1 || box.left < -1)) {
      wide.push(`${element.tagName.toLowerCase()}.${element.className} ` +
                `${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    wide: wide.slice(0, 5),
  };
}"""

# Boxes that hide what does not fit and hold more than they show. Visually
# hidden text (screen-reader only) and the skip link off-screen are meant so.
CLIPPED = """() => {
  const clipped = [];
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    const hides = ["hidden", "clip"].includes(style.overflowX) ||
                  ["hidden", "clip"].includes(style.overflowY);
    const hidden = element.getBoundingClientRect().width <= 1 || style.clipPath !== "none";
    if (!hides || hidden || element.closest(".visually-hidden") || !element.textContent.trim()) {
      continue;
    }
    if (element.scrollWidth > element.clientWidth + 1 ||
        element.scrollHeight > element.clientHeight + 1) {
      clipped.push(`${element.tagName.toLowerCase()}.${element.className}`);
    }
  }
  return clipped;
}"""


def zoom_text(page, factor=2):
    """The browser's own text size setting (Chromium's "font size"), as a reader
    who needs larger text sets it: every rem and em grows, media queries in em
    too. 16 px is the default; 32 px is 200%."""
    session = page.context.new_cdp_session(page)
    session.send(
        "Page.setFontSizes", {"fontSizes": {"standard": 16 * factor, "fixed": 13 * factor}}
    )


def overflow_of(page):
    measure = page.evaluate(OVERFLOW)
    if measure["scrollWidth"] > measure["innerWidth"]:
        return measure
    return None


def layout_problems(page, seeded_site, language, widths, screenshots=False):
    """Each page type loaded once, then measured at each width in turn."""
    problems = []
    for page_type in PAGE_TYPES:
        page.set_viewport_size({"width": widths[0], "height": 900})
        page.goto(seeded_site(seeded_site.paths[language][page_type]))
        for width in widths:
            page.set_viewport_size({"width": width, "height": 900})
            if overflow := overflow_of(page):
                problems.append(f"{width} px {language} {page_type}: {overflow}")
            if clipped := page.evaluate(CLIPPED):
                problems.append(f"{width} px {language} {page_type}: clipped {clipped}")
            if screenshots and width in SCREENSHOT_WIDTHS and page_type in MAIN_PAGES:
                name = f"{page_type}-{language}-{SCREENSHOT_WIDTHS[width]}-{width}.png"
                page.screenshot(path=ARTIFACTS / "screenshots" / name, full_page=True)
    return problems


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_overflows_sideways_from_320_to_1920_px(seeded_site, open_page, language):
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page = open_page(locale=LOCALES[language])
    problems = layout_problems(page, seeded_site, language, WIDTHS, screenshots=True)
    assert problems == [], "\n".join(problems)


# Where the language switcher's links are, against the header they sit in.
SWITCHER = """() => {
  const links = [...document.querySelectorAll(".language-switcher__link")]
    .map((link) => link.getBoundingClientRect());
  const header = document.querySelector(".site-header__bar").getBoundingClientRect();
  return {
    tops: links.map((box) => Math.round(box.top)),
    left: Math.min(...links.map((box) => box.left)),
    right: Math.max(...links.map((box) => box.right)),
    bottom: Math.max(...links.map((box) => box.bottom)),
    smallest: Math.min(...links.map((box) => Math.min(box.width, box.height))),
    headerBottom: header.bottom,
    width: window.innerWidth,
  };
}"""


@pytest.mark.parametrize("width", [320, 390])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_switcher_fits_the_header_on_a_phone(seeded_site, open_page, language, width):
    """Every language on one row inside the header, each link a comfortable target."""
    page = open_page(width=width, locale=LOCALES[language])
    page.goto(seeded_site(seeded_site.paths[language]["city_detail"]))
    switcher = page.evaluate(SWITCHER)
    assert len(switcher["tops"]) == len(LANGUAGES)
    assert len(set(switcher["tops"])) == 1, f"one row: {switcher}"
    assert switcher["left"] >= 0 and switcher["right"] <= switcher["width"], switcher
    assert switcher["bottom"] <= switcher["headerBottom"], switcher
    assert switcher["smallest"] >= 24, "WCAG 2.5.8: targets of at least 24 by 24 px"
    ARTIFACTS.joinpath("screenshots").mkdir(parents=True, exist_ok=True)
    page.locator(".site-header").screenshot(
        path=ARTIFACTS / "screenshots" / f"header-{language}-{width}.png"
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_text_zoomed_to_200_percent_neither_overflows_nor_is_clipped(
    seeded_site, open_page, language
):
    page = open_page(locale=LOCALES[language])
    zoom_text(page)
    page.goto(seeded_site(seeded_site.paths[language]["home"]))
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "32px"
    problems = layout_problems(page, seeded_site, language, [640, 1280])
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_declaration_prints_cleanly(seeded_site, open_page, language):
    page = open_page(locale=LOCALES[language])
    page.goto(seeded_site(seeded_site.paths[language]["declaration_detail"]))
    page.emulate_media(media="print")

    for hidden in (".skip-link", ".site-header", ".site-nav", ".site-footer", ".breadcrumbs"):
        assert not page.locator(hidden).first.is_visible(), f"{hidden} is printed"
    heading = page.locator("main h1")
    assert heading.is_visible()
    body = page.locator(".prose--document")
    assert body.is_visible()
    assert len(body.inner_text()) > 2000, "the whole text is printed"
    style = page.evaluate(
        """() => {
          const text = getComputedStyle(document.querySelector(".prose--document p"));
          return {size: parseFloat(text.fontSize), color: text.color,
                  background: getComputedStyle(document.body).backgroundColor};
        }"""
    )
    assert style["size"] >= 13, "at least 10 pt"  # 10 pt = 13.3 CSS px
    assert style["color"] == "rgb(0, 0, 0)"
    assert style["background"] in {"rgb(255, 255, 255)", "rgba(0, 0, 0, 0)"}

    # Headless Chromium prints to PDF with the print stylesheet.
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF-")
    assert len(pdf) > 10_000
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    ARTIFACTS.joinpath(f"declaration-{language}.pdf").write_bytes(pdf)


@pytest.mark.parametrize(("page_type", "rows"), [("declaration_detail", 12), ("city_detail", 1)])
def test_tables_stacked_on_a_phone_keep_their_table_semantics(
    seeded_site, open_page, page_type, rows
):
    """At 390 px a table's rows are stacked blocks (`.table--stack`), with no ARIA
    role in the markup: Chromium's accessibility tree still has the table, its rows,
    their header cells and their cells, so a screen reader reads "row 2 of 12"."""
    page = open_page(width=390, locale=LOCALES["en"])
    page.goto(seeded_site(seeded_site.paths["en"][page_type]))
    assert page.evaluate(
        "getComputedStyle(document.querySelector('.table--stack tr')).display"
    ) == ("block")
    tables = page.locator(".table--stack")
    assert page.get_by_role("table").count() == tables.count()
    body_rows = sum(table.locator("tbody tr").count() for table in tables.all())
    assert body_rows >= rows
    assert page.get_by_role("rowheader").count() == body_rows
    assert page.get_by_role("cell").count() >= body_rows
    assert "- rowheader" in tables.first.aria_snapshot()
