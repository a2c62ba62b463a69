"""The admin in a real browser under the site's Content-Security-Policy.

Chromium (Debian's /usr/bin/chromium, driven by Playwright) signs in, opens
change lists and the translated forms with their language switch and markdown
preview, uses the admin's own JavaScript (date shortcuts, related-object links)
and saves an object. It records every CSP violation the page reports,
every console error and every request to another site: there must be none.
This also shows that the `__Host-` Secure cookies work over http://localhost.
"""

from urllib.parse import urlsplit

import pytest
from playwright import sync_api as playwright_api

from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.browser.conftest import record_failures
from tests.factories import CityFactory, DeclarationFactory, MeetingFactory, UserFactory

pytestmark = pytest.mark.browser

PASSWORD = "Gdańsk-deklaracja-2017-migracja"
# Listens for the browser's own report of each blocked resource or script.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}` +
      ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""


@pytest.fixture
def chromium(request, monkeypatch):
    """The package's shared Chromium (`browser` in tests/browser/conftest.py)
    when it is there: Playwright's sync API cannot run twice in one thread.
    Otherwise one of our own."""
    try:
        shared = request.getfixturevalue("browser")
    except pytest.FixtureLookupError:
        shared = None
    if shared is not None:
        yield shared
        return
    # Playwright's sync API runs an event loop in this thread; the test's own
    # database calls happen before or between its calls, never inside them.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def browser_page(chromium, live_server):
    context = chromium.new_context(locale="en-GB")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    page.problems = []
    page.foreign_requests = []
    own_host = urlsplit(live_server.url).netloc
    page.on(
        "console",
        lambda message: (
            page.problems.append(f"console {message.type}: {message.text}")
            if message.type in {"error", "warning"}
            and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    record_failures(page)
    page.on(
        "request",
        lambda request: (
            page.foreign_requests.append(request.url)
            if urlsplit(request.url).netloc not in {own_host, ""}
            and not request.url.startswith("data:")
            else None
        ),
    )
    yield page
    context.close()


def visit(page, url):
    response = page.goto(url)
    assert response.status == 200, url
    policy = response.headers["content-security-policy"]
    assert "unsafe-inline" not in policy
    assert "script-src 'self'" in policy
    return response


def assert_clean(page):
    violations = page.evaluate("window.__cspViolations")
    assert violations == [], violations
    assert page.problems == [], page.problems
    assert page.foreign_requests == [], page.foreign_requests


@pytest.mark.django_db(transaction=True)
def test_the_admin_works_under_the_content_security_policy(browser_page, live_server):
    UserFactory(
        username="editor", password=PASSWORD, is_staff=True, is_superuser=True
    )  # a superuser sees every admin page
    city = CityFactory(name_pl="Gdańsk", name_en="Gdansk", slug="gdansk")
    declaration = DeclarationFactory()
    MeetingFactory(host_city=city)
    page = browser_page

    visit(page, f"{live_server.url}/admin/login/")
    page.fill("#id_username", "editor")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert urlsplit(page.url).path == "/admin/", "signed in (the __Host- cookies were kept)"
    cookies = {cookie["name"]: cookie for cookie in page.context.cookies()}
    assert cookies["__Host-sessionid"]["secure"]
    assert cookies["__Host-sessionid"]["httpOnly"]
    assert_clean(page)

    # One language switch for the translated fields (static/js/admin_forms.js).
    visit(page, f"{live_server.url}/admin/cities/city/{city.pk}/change/")
    page.wait_for_selector(".language-switch", timeout=10_000)
    polish = page.locator(".language-switch__button[data-language=pl]")
    polish.click()
    assert polish.get_attribute("aria-pressed") == "true"
    assert page.is_visible("#id_name_pl")
    assert not page.is_visible("#id_name_en")
    # The markdown preview asks the server (connect-src 'self') and shows its HTML.
    page.fill("#id_description_pl", "**Opis** miasta")
    page.click(".field-description_pl .markdown-preview summary")
    page.wait_for_selector(".field-description_pl .markdown-preview__output strong")
    assert_clean(page)

    visit(page, f"{live_server.url}/admin/declarations/declaration/{declaration.pk}/change/")
    page.wait_for_selector(".language-switch", timeout=10_000)
    # Django's date shortcuts are added by its JavaScript: "Today" fills the field.
    today = page.locator(".datetimeshortcuts a", has_text="Today").first
    today.click()
    assert page.input_value("#id_date")
    assert_clean(page)

    for url in (
        "/admin/declarations/meeting/",
        "/admin/declarations/meeting/add/",
        "/admin/cities/city/?q=Gda",
        "/admin/auth/user/",
        "/admin/axes/accessattempt/",
    ):
        visit(page, f"{live_server.url}{url}")
        assert_clean(page)

    # A save: the form posts to the admin itself (form-action 'self') and the
    # redirect that follows shows the admin's message.
    visit(page, f"{live_server.url}/admin/declarations/organisation/add/")
    page.wait_for_selector(".language-switch", timeout=10_000)
    page.click(".language-switch__button[data-language=pl]")
    page.fill("#id_name_pl", "Międzynarodowa Organizacja ds. Migracji")
    page.click(".language-switch__button[data-language=en]")
    page.fill("#id_name_en", "International Organization for Migration")
    page.fill("#id_acronym", "IOM")
    with page.expect_navigation():
        page.click("input[name=_save]")
    assert page.locator(".messagelist .success").count() == 1
    assert_clean(page)


@pytest.mark.django_db(transaction=True)
def test_public_pages_load_nothing_from_elsewhere_and_break_no_rule(browser_page, live_server):
    city = CityFactory(slug="warszawa", latitude=52.2297, longitude=21.0122)
    DeclarationFactory()
    page = browser_page
    for path in ("/pl/", "/en/", city.get_absolute_url()):
        visit(page, f"{live_server.url}{path}")
        assert_clean(page)


@pytest.mark.django_db(transaction=True)
def test_the_policy_is_enforced_and_violations_are_seen(browser_page, live_server):
    """The check above would pass vacuously if nothing were ever reported:
    an inline script and an image from elsewhere must be blocked and reported."""
    page = browser_page
    visit(page, f"{live_server.url}/en/")
    page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__inlineRan = true";
          document.body.append(script);
          const image = document.createElement("img");
          image.src = "https://elsewhere.example/pixel.png";
          document.body.append(image);
        }"""
    )
    page.wait_for_function("window.__cspViolations.length >= 2", timeout=5_000)
    violations = " ".join(page.evaluate("window.__cspViolations"))
    assert "script-src" in violations
    assert "img-src" in violations
    assert page.evaluate("window.__inlineRan") is None
