"""axe-core in Chromium: no WCAG 2.1 A or AA violation on any page type.

axe-core comes bundled in axe-playwright-python (MIT; axe-core itself MPL-2.0),
so nothing is fetched: the script is evaluated in the page. Every public page
type is checked in every language with the real seed content, then every page
the sitemap lists (each city, declaration, meeting and initiative: content can
break a rule its page type passes), and so are the admin pages city staff use,
signed in as Gdańsk's staff, with the admin in Polish and in English (the admin's
only languages), the page
where new staff choose their password, and the main forms of editors.
"""

from urllib.parse import urlsplit
from xml.etree import ElementTree

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings

# django_db: the test database (see conftest.py); the seed is loaded per module.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

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
    "search_corrected",
    "search_none",
    "open_data",
    "accessibility",
    "not_found",
]
LANGUAGES = [code for code, _name in settings.LANGUAGES]
LOCALES = {"pl": "pl-PL", "en": "en-GB", "uk": "uk-UA"}
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


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("page_type", PAGE_TYPES)
def test_public_page_has_no_wcag_violation(seeded_site, open_page, language, page_type):
    page = open_page(locale=LOCALES[language])
    url = seeded_site(seeded_site.paths[language][page_type])
    response = page.goto(url)
    assert response.status == (404 if page_type == "not_found" else 200), url
    assert page.get_attribute("html", "lang") == language
    problems = violations_on(page)
    assert problems == [], "\n".join([url, *problems])


def test_every_page_in_the_sitemap_has_no_wcag_violation(seeded_site, open_page):
    page = open_page()
    body = page.request.get(seeded_site("/sitemap.xml")).body()
    sitemap = ElementTree.fromstring(body)  # noqa: S314 - our own server's output
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    paths = [urlsplit(loc.text).path for loc in sitemap.iterfind("s:url/s:loc", namespace)]
    assert len(paths) > len(LANGUAGES) * len(PAGE_TYPES), "the seed's pages, in every language"

    problems = []
    for path in paths:
        response = page.goto(seeded_site(path))
        assert response.status == 200, path
        problems.extend(f"{path}: {problem}" for problem in violations_on(page))
    assert problems == [], "\n".join(problems)


@pytest.fixture(scope="module")
def admin_users(seeded_site, django_db_blocker):
    """Gdańsk's city staff, made as the portal makes them, and an editor; with
    the primary keys of the objects whose forms they open."""
    from django.contrib.auth.models import Group

    from cities.models import City
    from cities.permissions import EDITORS_GROUP
    from cities.roles import grant_city_editor, password_set_path
    from declarations.models import Declaration, Initiative, Meeting, Team
    from tests.factories import UserFactory

    with django_db_blocker.unblock():
        gdansk = City.objects.get(slug="gdansk")
        staff = grant_city_editor(gdansk, "staff-gdansk").user
        staff.set_password(PASSWORD)
        staff.save()
        editor = UserFactory(username="editor", password=PASSWORD, is_staff=True)
        editor.groups.add(Group.objects.get(name=EDITORS_GROUP))
        newcomer = grant_city_editor(gdansk, "new-staff-gdansk").user
        return {
            "password_set": password_set_path(newcomer),
            "city": gdansk.pk,
            "mayor": gdansk.mayors.first().pk,
            "declaration": Declaration.objects.get(slug="deklaracja-ump-2017").pk,
            "meeting": Meeting.objects.first().pk,
            "initiative": Initiative.objects.first().pk,
            "team": Team.objects.first().pk,
        }


def admin_problems(seeded_site, page, username, paths, language, refused=()):
    """Signs in on the login page, then runs axe on each admin page, and on the
    `refused` ones, which answer with the 403 page."""
    problems = []

    def check(path, status=200):
        response = page.goto(seeded_site(path))
        assert response.status == status, path
        assert page.get_attribute("html", "lang") == language, path
        problems.extend(f"{path}: {problem}" for problem in violations_on(page))

    check("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("input[type=submit]")
    assert page.url.endswith("/admin/"), "signed in"
    for path in paths:
        check(path)
    for path in refused:
        check(path, status=403)
    return problems


@pytest.mark.parametrize("language", settings.ADMIN_LANGUAGES)
def test_admin_pages_city_staff_use_have_no_wcag_violation(
    seeded_site, admin_users, open_page, language
):
    page = open_page(locale=LOCALES[language])
    paths = [
        "/admin/",
        "/admin/cities/city/",
        f"/admin/cities/city/{admin_users['city']}/change/",
        f"/admin/cities/city/{admin_users['city']}/history/",
        "/admin/cities/mayor/",
        "/admin/cities/mayor/add/",
        f"/admin/cities/mayor/{admin_users['mayor']}/change/",
        "/admin/password_change/",
    ]
    problems = admin_problems(
        seeded_site, page, "staff-gdansk", paths, language, refused=["/admin/auth/user/"]
    )
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("language", settings.ADMIN_LANGUAGES)
def test_the_page_where_new_staff_choose_a_password_has_no_wcag_violation(
    seeded_site, admin_users, open_page, language
):
    page = open_page(locale=LOCALES[language])
    page.goto(seeded_site(admin_users["password_set"]))
    assert page.locator("#id_new_password1").is_visible(), "the link is valid"
    assert page.get_attribute("html", "lang") == language
    problems = violations_on(page)
    assert problems == [], "\n".join(problems)


def test_the_editors_forms_have_no_wcag_violation(seeded_site, admin_users, open_page):
    """Beyond the pages of city staff: the forms editors fill in most."""
    page = open_page(locale=LOCALES["pl"])
    paths = [
        "/admin/declarations/declaration/",
        f"/admin/declarations/declaration/{admin_users['declaration']}/change/",
        "/admin/declarations/meeting/add/",
        f"/admin/declarations/meeting/{admin_users['meeting']}/change/",
        f"/admin/declarations/initiative/{admin_users['initiative']}/change/",
        f"/admin/declarations/team/{admin_users['team']}/change/",
        "/admin/declarations/signatory/add/",
        f"/admin/cities/city/{admin_users['city']}/change/",
        f"/admin/cities/city/{admin_users['city']}/staff/",
    ]
    problems = admin_problems(seeded_site, page, "editor", paths, "pl")
    assert problems == [], "\n".join(problems)


def test_axe_does_find_violations(seeded_site, open_page):
    """The checks above would pass vacuously if axe never reported anything."""
    page = open_page()
    page.goto(seeded_site(seeded_site.paths["en"]["home"]))
    page.evaluate(
        """() => {
          const image = document.createElement("img");
          image.src = "/static/img/favicon.svg";
          const field = document.createElement("input");
          document.querySelector("main").append(image, field);
        }"""
    )
    found = " ".join(violations_on(page))
    assert "image-alt" in found
    assert "label" in found
