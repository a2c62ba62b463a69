"""axe-core in Chromium: no WCAG 2.1 A or AA violation on any page type.

axe-core comes bundled in axe-playwright-python (MIT; axe-core itself MPL-2.0),
so nothing is fetched: the script is evaluated in the page. Every public page
type is checked in both languages with the real seed content, and so are the
admin pages city staff use, signed in as Gdańsk's staff, with the admin in
Polish and in English.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe

pytestmark = pytest.mark.browser

WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PAGE_TYPES = [
    "home",
    "declaration_list",
    "declaration_detail",
    "city_list",
    "city_list_filtered",
    "city_detail",
    "region_detail",
    "team",
    "meeting_list",
    "meeting_detail",
    "initiative_list",
    "initiative_detail",
    "search_results",
    "search_none",
    "open_data",
    "accessibility",
    "not_found",
]
LOCALES = {"pl": "pl-PL", "en": "en-GB"}
PASSWORD = "Gdańsk-deklaracja-2017-migracja"
axe = Axe()


def violations_on(page):
    """axe's report of the WCAG 2.1 A/AA rules the page breaks, one line per element."""
    results = axe.run(
        page,
        options={"runOnly": {"type": "tag", "values": WCAG_21_AA}, "resultTypes": ["violations"]},
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']}\n"
        f"    {', '.join(map(str, node['target']))}: {node['failureSummary']}\n"
        f"    {node['html'][:200]}"
        for violation in results.response["violations"]
        for node in violation["nodes"]
    ]


@pytest.mark.parametrize("language", ["pl", "en"])
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_has_no_wcag_violation(seeded_site, open_page, language, page_type):
    page = open_page(locale=LOCALES[language])
    url = seeded_site(seeded_site.paths[language][page_type])
    response = page.goto(url)
    assert response.status == (404 if page_type == "not_found" else 200), url
    assert page.get_attribute("html", "lang") == language
    problems = violations_on(page)
    assert problems == [], "\n".join([url, *problems])


@pytest.fixture(scope="module")
def gdansk_staff(seeded_site, django_db_blocker):
    """Gdańsk's city staff, made as the portal makes them."""
    from cities.models import City
    from cities.roles import grant_city_editor

    with django_db_blocker.unblock():
        gdansk = City.objects.get(slug="gdansk")
        user = grant_city_editor(gdansk, "staff-gdansk").user
        user.set_password(PASSWORD)
        user.save()
        return {"username": user.username, "city_pk": gdansk.pk}


@pytest.mark.parametrize("language", ["pl", "en"])
def test_admin_pages_city_staff_use_have_no_wcag_violation(
    seeded_site, gdansk_staff, open_page, language
):
    page = open_page(locale=LOCALES[language])
    problems = []

    def check(path):
        response = page.goto(seeded_site(path))
        assert response.status == 200, path
        assert page.get_attribute("html", "lang") == language, path
        problems.extend(f"{path}: {problem}" for problem in violations_on(page))

    check("/admin/login/")
    page.fill("#id_username", gdansk_staff["username"])
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), "signed in"
    problems.extend(f"/admin/: {problem}" for problem in violations_on(page))
    for path in (
        "/admin/cities/city/",
        f"/admin/cities/city/{gdansk_staff['city_pk']}/change/",
        "/admin/cities/mayor/",
        "/admin/cities/mayor/add/",
    ):
        check(path)
    assert problems == [], "\n".join(problems)
