"""Page weight, measured in Chromium on what each page really loads.

- No page needs JavaScript: with JavaScript off every page type shows the same
  main content and the same navigation.
- CSS and JavaScript together stay under 30 KB gzip-compressed on every page
  (each file compressed here at gzip's level 9, as WhiteNoise stores them for
  `make serve`; the test server sends them uncompressed).
- The declaration page stays under 100 KB transferred, counting every response
  as the test server sends it: HTML, CSS, images, uncompressed.
- Every image has its width and height in the markup and is in a modern format;
  an uploaded coat of arms is stored as WebP.

The measured figures are left in artifacts/page-weight/.
"""

import gzip
import io
import json
from pathlib import Path

import pytest

from .conftest import ARTIFACTS
from .test_axe import LANGUAGES, LOCALES, PAGE_TYPES

# django_db: the test database (see conftest.py); the seed is loaded per module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

CSS_AND_JS_BUDGET = 30 * 1024
DECLARATION_BUDGET = 100 * 1024
MODERN_IMAGE_TYPES = {"image/webp", "image/avif", "image/svg+xml"}


def record_figures(name, figures):
    """Leaves the measured bytes in artifacts/page-weight/ for the README's figures."""
    folder = ARTIFACTS / "page-weight"
    folder.mkdir(parents=True, exist_ok=True)
    folder.joinpath(f"{name}.json").write_text(json.dumps(figures, indent=2) + "\n")


MAIN_AND_NAV = """() => ({
  main: document.querySelector("main").innerText,
  nav: [...document.querySelectorAll(".site-nav a")].map((link) => link.href),
})"""


def uncached_page(open_page, **options):
    """A page whose every load fetches every file again, as a first visit does."""
    page = open_page(**options)
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    return page


def load(page, url):
    """Opens `url` and returns every response the page needed."""
    responses = []

    def record(response):
        responses.append(response)

    page.on("response", record)
    page.goto(url, wait_until="load")
    page.remove_listener("response", record)
    return responses


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_page_needs_javascript(seeded_site, open_page, language):
    with_script = open_page(locale=LOCALES[language])
    without = open_page(locale=LOCALES[language], java_script_enabled=False)
    for page_type in PAGE_TYPES:
        url = seeded_site(seeded_site.paths[language][page_type])
        with_script.goto(url)
        without.goto(url)
        assert without.evaluate(MAIN_AND_NAV) == with_script.evaluate(MAIN_AND_NAV), url
    # Links lead on without JavaScript too.
    with without.expect_navigation():
        without.locator(".site-nav a").first.click()
    assert without.locator("h1").count() == 1


@pytest.mark.parametrize("language", LANGUAGES)
def test_css_and_javascript_stay_under_30_kb_compressed_and_images_are_modern(
    seeded_site, open_page, language
):
    page = uncached_page(open_page, locale=LOCALES[language])
    weights = {}
    for page_type in PAGE_TYPES:
        responses = load(page, seeded_site(seeded_site.paths[language][page_type]))
        files = {
            response.url: len(gzip.compress(response.body(), compresslevel=9))
            for response in responses
            if response.request.resource_type in {"stylesheet", "script"}
        }
        assert files, "the stylesheet was loaded"
        weights[page_type] = sum(files.values())
        for response in responses:
            if response.request.resource_type == "image":
                assert response.headers["content-type"] in MODERN_IMAGE_TYPES, response.url
        for image in page.locator("img").all():
            assert image.get_attribute("width"), image.evaluate("image => image.outerHTML")
            assert image.get_attribute("height"), image.evaluate("image => image.outerHTML")
    heaviest = max(weights, key=weights.get)
    assert weights[heaviest] < CSS_AND_JS_BUDGET, f"{heaviest}: {weights[heaviest]} bytes"
    record_figures(f"css-js-gzip-{language}", weights)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_declaration_page_is_under_100_kb_transferred(seeded_site, open_page, language):
    page = uncached_page(open_page, locale=LOCALES[language])
    responses = load(page, seeded_site(seeded_site.paths[language]["declaration_detail"]))
    sizes = {}
    for response in responses:
        size = response.request.sizes()
        sizes[response.url] = size["responseBodySize"] + size["responseHeadersSize"]
    total = sum(sizes.values())
    assert total < DECLARATION_BUDGET, sizes
    record_figures(f"declaration-transferred-{language}", {"total": total, **sizes})
    # The resource timing of the page itself agrees on the document's size.
    document = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
    assert 0 < document < DECLARATION_BUDGET


@pytest.fixture(scope="module")
def gdansk_coat_of_arms(seeded_site, django_db_blocker, tmp_path_factory):
    """A coat of arms uploaded for Gdańsk as an editor would (the seed content
    has no pictures), committed so that the server sees it; its file's path."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import override_settings
    from PIL import Image

    from cities.models import City
    from core.images import COAT_OF_ARMS_SIZE, clean_image

    png = io.BytesIO()
    Image.new("RGB", (640, 800), (200, 30, 40)).save(png, format="PNG")
    stored = clean_image(SimpleUploadedFile("herb.png", png.getvalue()), COAT_OF_ARMS_SIZE)
    media_root = tmp_path_factory.mktemp("media")
    with override_settings(MEDIA_ROOT=media_root), django_db_blocker.unblock():
        city = City.objects.get(slug="gdansk")
        city.coat_of_arms.save(stored.name, stored)
        yield media_root, Path(city.coat_of_arms.path)
        city.coat_of_arms.delete(save=True)


def test_an_uploaded_coat_of_arms_is_webp_with_its_size_in_the_markup(
    seeded_site, open_page, gdansk_coat_of_arms, settings
):
    from PIL import Image

    media_root, path = gdansk_coat_of_arms
    settings.MEDIA_ROOT = media_root  # the page reads the picture's size from the file
    with Image.open(path) as picture:
        assert picture.format == "WEBP"
        assert picture.size == (256, 320)
    page = open_page()
    # The test server, like gunicorn, serves no uploads (the proxy does).
    page.route("**/media/**", lambda route: route.fulfill(path=path))
    response = page.goto(seeded_site(seeded_site.paths["en"]["city_detail"]))
    assert response.status == 200
    image = page.locator("img.profile-header__arms")
    assert image.get_attribute("src").endswith(".webp")
    assert (image.get_attribute("width"), image.get_attribute("height")) == ("256", "320")
    assert image.evaluate("image => image.complete && image.naturalWidth") == 256
    assert image.get_attribute("alt")
