"""The seed content and `manage.py load_seed_content`: the facts of the five source
documents, idempotency, and never overwriting what an editor has changed."""

import datetime
import io
import re

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from cities.models import City, Mayor
from core.languages import TextOrigin
from declarations.models import Declaration, Initiative, Meeting, Organisation, Signatory, Team
from tests.factories import CityFactory
from ump_portal.models import SeedRecord
from ump_portal.seed import CONTENT_FILE

pytestmark = pytest.mark.django_db

UMP = "deklaracja-ump-2017"
POMORSKIE = "przyjazne-i-bezpieczne-pomorze"
ACADEMY = "akademia-integracji-migrantow-i-uchodzcow"
UMP_CITIES = {
    "bialystok", "bydgoszcz", "gdansk", "katowice", "krakow", "lublin",
    "lodz", "poznan", "rzeszow", "szczecin", "warszawa", "wroclaw",
}  # fmt: skip
SIGNED = UMP_CITIES - {"katowice"}
ACADEMY_CITIES = UMP_CITIES - {"bydgoszcz", "szczecin"} | {"czestochowa", "hrubieszow", "leszno"}
OBJECTS_IN_DATA = 66


def load(verbosity=1, **options):
    """Run the command and return what it printed."""
    out = io.StringIO()
    call_command("load_seed_content", verbosity=verbosity, stdout=out, **options)
    return out.getvalue()


def totals(output):
    """The counts of the command's closing line, e.g. {"created": 0, "updated": 1, ...}."""
    line = next(line for line in output.splitlines() if line.startswith("Total:"))
    return {label: int(number) for number, label in re.findall(r"(\d+) ([a-z]+)", line)}


def modified_content(tmp_path, *replacements):
    """A copy of the data file with some texts replaced, as a later version would be."""
    text = CONTENT_FILE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "content.toml"
    path.write_text(text, encoding="utf-8")
    return path


def snapshot():
    """Every seeded object's last change and every record, to prove nothing moved."""
    return {
        "records": list(SeedRecord.objects.values_list("key", "object_id", "values", "loaded_at")),
        "updated": [
            list(model.objects.order_by("pk").values_list("pk", "updated_at"))
            for model in (City, Declaration, Initiative, Meeting)
        ],
    }


class TestCitiesAndMayors:
    def test_the_twelve_ump_cities_the_academy_cities_and_the_region(self, seeded):
        assert set(City.objects.ump_members().values_list("slug", flat=True)) == UMP_CITIES
        others = City.objects.filter(is_ump_member=False)
        assert set(others.values_list("slug", flat=True)) == {
            "czestochowa",
            "hrubieszow",
            "leszno",
            "pomorskie",
        }
        assert City.objects.get(slug="hrubieszow").kind == City.Kind.MUNICIPALITY
        region = City.objects.get(slug="pomorskie")
        assert region.kind == City.Kind.VOIVODESHIP
        assert (region.name_pl, region.name_en) == (
            "Województwo pomorskie",
            "Pomeranian Voivodeship",
        )
        # One English name for the region, the one the voivodeship lists use.
        with translation.override("en"):
            assert region.get_voivodeship_display() in region.name_en

    def test_names_in_both_languages_with_diacritics(self, seeded):
        names = dict(City.objects.values_list("slug", "name_en"))
        assert names["warszawa"] == "Warsaw"
        assert names["krakow"] == "Kraków"
        assert names["lodz"] == "Łódź"
        assert City.objects.get(slug="warszawa").name_pl == "Warszawa"
        for city in City.objects.all():
            assert city.name_pl and city.name_en and city.summary_pl and city.summary_en

    def test_cities_have_their_voivodeship_and_coordinates(self, seeded):
        gdansk = City.objects.get(slug="gdansk")
        assert gdansk.voivodeship == "pomorskie"
        assert City.objects.get(slug="czestochowa").voivodeship == "slaskie"
        assert City.objects.get(slug="leszno").voivodeship == "wielkopolskie"
        assert 54.3 < gdansk.latitude < 54.4 and 18.6 < gdansk.longitude < 18.7
        assert not City.objects.exclude(slug="pomorskie").filter(latitude__isnull=True).exists()

    @pytest.mark.parametrize(
        ("slug", "current", "former"),
        [
            ("warszawa", "Rafał Trzaskowski", "Hanna Gronkiewicz-Waltz"),
            ("wroclaw", "Jacek Sutryk", "Rafał Dutkiewicz"),
            ("gdansk", "Aleksandra Dulkiewicz", "Paweł Adamowicz"),
            ("krakow", "Aleksander Miszalski", "Jacek Majchrowski"),
            ("rzeszow", "Konrad Fijołek", "Tadeusz Ferenc"),
        ],
    )
    def test_current_mayor_is_derived_from_the_terms(self, seeded, slug, current, former):
        city = City.objects.get(slug=slug)
        assert city.current_mayor.full_name == current
        assert city.mayors.get(full_name=former).term_end is not None
        in_office = Mayor.objects.in_office().filter(city=city)
        assert list(in_office.values_list("full_name", flat=True)) == [current]

    def test_mayors_still_in_office(self, seeded):
        assert City.objects.get(slug="lodz").current_mayor.full_name == "Hanna Zdanowska"
        assert City.objects.get(slug="katowice").current_mayor.full_name == "Marcin Krupa"
        assert City.objects.get(slug="pomorskie").current_mayor is None


class TestDeclarations:
    def test_both_declarations_are_published(self, seeded):
        assert set(Declaration.objects.published().values_list("slug", flat=True)) == {
            UMP,
            POMORSKIE,
        }

    def test_ump_declaration_texts_original_and_official(self, seeded):
        declaration = Declaration.objects.get(slug=UMP)
        assert declaration.date == datetime.date(2017, 6, 30)
        assert declaration.place_pl == declaration.place_en == "Gdańsk"
        assert declaration.body_pl.startswith("Gdańsk, 30 czerwca 2017 r.\n\nMigracje to procesy")
        assert "**M**" not in declaration.body_pl
        assert "- **Hanna Gronkiewicz-Waltz** Prezydent M. St. Warszawy" in declaration.body_pl
        assert declaration.body_en.startswith("We \N{EN DASH} representatives of metropolises")
        # The official English text is kept as published, slips included.
        assert "called a good reception. ." in declaration.body_en
        assert declaration.body_en.endswith("- Warsaw\n- Wrocław")
        assert len(declaration.body_en) > len(declaration.body_pl)
        assert declaration.summary_pl and declaration.summary_en
        assert declaration.text_origin("pl") == TextOrigin.ORIGINAL
        assert declaration.text_origin("en") == TextOrigin.OFFICIAL

    def test_pomorskie_declaration_english_is_our_translation(self, seeded):
        declaration = Declaration.objects.get(slug=POMORSKIE)
        assert declaration.title_pl.endswith("„Przyjazne i Bezpieczne Pomorze”")
        assert "Zasobność Pomorza zawsze budowały pracowitość" in declaration.body_pl
        assert "Friendly and Safe Pomerania" in declaration.body_en
        assert declaration.date is None
        assert "no date" in declaration.summary_en
        assert "nie podaje daty" in declaration.summary_pl
        assert declaration.text_origin("pl") == TextOrigin.ORIGINAL
        assert declaration.text_origin("en") == TextOrigin.EDITORIAL

    def test_eleven_signed_and_katowice_did_not(self, seeded):
        entries = Signatory.objects.filter(declaration__slug=UMP)
        assert entries.count() == 12
        assert set(entries.signed().values_list("city__slug", flat=True)) == SIGNED
        assert set(City.objects.signatories_of(UMP).values_list("slug", flat=True)) == SIGNED
        for entry in entries.signed().select_related("mayor"):
            assert entry.date == datetime.date(2017, 6, 30)
            assert entry.mayor.city_id == entry.city_id
            assert entry.mayor.is_in_office(entry.date)

        katowice = entries.get(city__slug="katowice")
        assert katowice.status == Signatory.Status.NOT_SIGNED
        assert katowice.mayor.full_name == "Marcin Krupa"
        assert katowice.date is None
        assert "abroad on 30 June 2017" in katowice.note_en
        assert "za granicą" in katowice.note_pl
        assert "Prezydent Katowic: nie podpisałem deklaracji" in katowice.source_title
        assert "bez Katowic" in katowice.source_title
        assert katowice.source_url == ""

    def test_mayors_at_signing_are_those_of_the_polish_text(self, seeded):
        warsaw = Signatory.objects.get(declaration__slug=UMP, city__slug="warszawa")
        assert warsaw.mayor.full_name == "Hanna Gronkiewicz-Waltz"
        assert warsaw.mayor.office == Mayor.Office.CITY_PRESIDENT

    def test_pomorskie_signed_by_the_region_without_mayor_or_date(self, seeded):
        (entry,) = Signatory.objects.filter(declaration__slug=POMORSKIE)
        assert entry.city.slug == "pomorskie"
        assert entry.status == Signatory.Status.SIGNED
        assert entry.mayor is None and entry.date is None
        assert entry.note_pl and entry.note_en


class TestTeamMeetingsAndInitiatives:
    def test_team_set_up_by_the_declaration_with_iom_and_unhcr(self, seeded):
        team = Team.objects.get(slug="zespol-ump")
        assert team.established_by.slug == UMP
        assert set(team.partners.values_list("acronym", flat=True)) == {"IOM", "UNHCR"}
        assert set(team.member_cities.values_list("slug", flat=True)) == SIGNED
        assert "podpisaną przez 11 prezydentów" in team.description_pl
        # The quote 002 attributes to the declaration is quoted, with the editors' note.
        assert "Samorządy deklarują wolę" in team.description_pl
        assert "Przyjazne i Bezpieczne Pomorze" in team.description_pl
        assert "does not appear in the UMP mayors' declaration" in team.description_en

    def test_four_published_meetings_with_their_hosts_and_dates(self, seeded):
        meetings = {
            meeting.slug: meeting for meeting in Meeting.objects.published().select_related()
        }
        expected = {
            "2017-06-warszawa": ("warszawa", datetime.date(2017, 6, 6), None),
            "2017-06-gdansk": ("gdansk", datetime.date(2017, 6, 29), datetime.date(2017, 6, 30)),
            "2019-06-lublin": ("lublin", datetime.date(2019, 6, 12), datetime.date(2019, 6, 13)),
            "2019-10-poznan": ("poznan", datetime.date(2019, 10, 29), datetime.date(2019, 10, 30)),
        }
        assert set(meetings) == set(expected)
        for slug, (host, start, end) in expected.items():
            meeting = meetings[slug]
            assert meeting.host_city.slug == host
            assert (meeting.start_date, meeting.end_date) == (start, end)
            assert meeting.team.slug == "zespol-ump"
            assert meeting.notes_pl and meeting.notes_en
            assert meeting.text_origin("en") == TextOrigin.EDITORIAL
        assert meetings["2017-06-gdansk"].kind == Meeting.Kind.CONFERENCE
        assert "Irena Guidikova" in meetings["2019-06-lublin"].notes_en
        assert "AKTYWATOR WLKP" in meetings["2019-10-poznan"].notes_pl

    def test_meetings_link_the_initiatives_discussed(self, seeded):
        def discussed(slug):
            return set(Meeting.objects.get(slug=slug).initiatives.values_list("slug", flat=True))

        assert discussed("2019-06-lublin") == {"miasta-miedzykulturowe", "lublin4all"}
        assert discussed("2019-10-poznan") == {
            "admin4all",
            "migrant-info-point-poznan",
            "aktywator-wlkp",
        }

    def test_academy_has_exactly_its_thirteen_cities(self, seeded):
        academy = Initiative.objects.published().get(slug=ACADEMY)
        assert set(academy.cities.values_list("slug", flat=True)) == ACADEMY_CITIES
        assert set(academy.organisations.values_list("acronym", flat=True)) == {
            "OSCE ODIHR",
            "CoE ICC",
            "UNHCR",
            "OECD",
            "UMP",
        }
        assert academy.start_date is None and academy.end_date is None
        assert "18-month" in academy.summary_en
        assert "Tea Jaliashvili" in academy.body_en and "Tomasz Fijołek" in academy.body_pl
        assert academy.text_origin("en") == TextOrigin.ORIGINAL
        assert academy.text_origin("pl") == TextOrigin.EDITORIAL

    def test_all_initiatives_and_organisations(self, seeded):
        assert set(Initiative.objects.published().values_list("slug", flat=True)) == {
            ACADEMY,
            "miasta-miedzykulturowe",
            "lublin4all",
            "admin4all",
            "migrant-info-point-poznan",
            "aktywator-wlkp",
        }
        icc = Initiative.objects.get(slug="miasta-miedzykulturowe")
        assert set(icc.organisations.values_list("name_en", flat=True)) == {
            "Council of Europe \N{EN DASH} Intercultural Cities Programme",
            "European Commission",
        }
        assert list(icc.cities.values_list("slug", flat=True)) == ["lublin"]
        assert Organisation.objects.count() == 7
        assert not Organisation.objects.filter(name_pl="").exists()


class TestUkrainian:
    """What newcomers from Ukraine need first is in Ukrainian, always as the portal
    editors' translation; the full texts of the declarations stay in their originals."""

    def test_every_city_has_its_ukrainian_name_and_summary(self, seeded):
        for city in City.objects.all():
            assert city.name_uk and city.summary_uk, city.slug
        names = dict(City.objects.values_list("slug", "name_uk"))
        assert (names["warszawa"], names["krakow"], names["lodz"]) == ("Варшава", "Краків", "Лодзь")
        # Polish names of offices stay in Polish, explained in Ukrainian.
        krakow = City.objects.get(slug="krakow").summary_uk
        assert "міська адміністрація Кракова (Urząd Miasta Krakowa)" in krakow

    def test_the_team_and_its_partners_in_ukrainian(self, seeded):
        team = Team.objects.get(slug="zespol-ump")
        assert team.name_uk.startswith("Робоча група")
        assert "Примітка редакції порталу" in team.description_uk
        assert "(переклад редакції порталу)" in team.description_uk
        assert not Organisation.objects.filter(name_uk="").exists()

    def test_declarations_have_ukrainian_summaries_but_not_full_texts(self, seeded):
        for slug in (UMP, POMORSKIE):
            declaration = Declaration.objects.get(slug=slug)
            assert declaration.title_uk and declaration.summary_uk, slug
            assert not declaration.body_uk, slug
            assert declaration.text_origin("uk") == TextOrigin.EDITORIAL, slug
        ump = Declaration.objects.get(slug=UMP)
        # English is the authors' own version; Ukrainian never is.
        assert ump.official_translations == ["en"]
        assert "Марцін Крупа (Marcin Krupa)" in ump.summary_uk

    def test_every_ukrainian_text_is_the_editors_translation(self, seeded):
        for model in (Declaration, Meeting, Initiative):
            for obj in model.objects.all():
                assert "uk" not in obj.official_translations, obj
                assert obj.text_origin("uk") == TextOrigin.EDITORIAL, obj
        for meeting in Meeting.objects.all():
            assert meeting.title_uk and meeting.notes_uk, meeting.slug
        for initiative in Initiative.objects.all():
            assert initiative.title_uk and initiative.summary_uk, initiative.slug

    def test_ukrainian_texts_added_to_a_loaded_site_keep_what_editors_wrote(self, seeded):
        """A site loaded before the data file had Ukrainian texts: the migration added
        empty columns, and an editor has already written one of them."""
        for record in SeedRecord.objects.all():
            record.values = {k: v for k, v in record.values.items() if not k.endswith("_uk")}
            record.save()
        City.objects.update(summary_uk="", name_uk="")
        City.objects.filter(slug="gdansk").update(summary_uk="Написано редакцією.")

        output = load(verbosity=2)

        assert "kept cities/gdansk: summary_uk" in output
        gdansk, lodz = City.objects.get(slug="gdansk"), City.objects.get(slug="lodz")
        assert gdansk.summary_uk == "Написано редакцією."
        assert gdansk.name_uk == "Гданськ"
        assert lodz.summary_uk.startswith("Столиця Лодзинського воєводства")
        assert totals(load())["updated"] == 0


class TestLoader:
    def test_one_record_per_object(self, seeded):
        assert SeedRecord.objects.count() == OBJECTS_IN_DATA
        record = SeedRecord.objects.get(key="cities.City:gdansk")
        assert record.model == "cities.City"
        assert record.object_id == str(City.objects.get(slug="gdansk").pk)
        assert record.values["latitude"] == "54.35227"
        team = SeedRecord.objects.get(key="declarations.Team:zespol-ump").values
        assert team["partners"] == ["iom", "unhcr"]
        assert team["established_by"] == UMP
        mayor = SeedRecord.objects.get(key="cities.Mayor:gdansk/adamowicz").values
        assert mayor["term_end"] == "2019-01-14"

    def test_first_load_reports_what_it_created(self, db):
        assert totals(load())["created"] == OBJECTS_IN_DATA

    def test_second_load_changes_nothing(self, seeded):
        counts = [model.objects.count() for model in (City, Mayor, Signatory, Meeting)]
        before = snapshot()

        output = load()

        assert totals(output) == {
            "created": 0,
            "updated": 0,
            "unchanged": OBJECTS_IN_DATA,
            "kept": 0,
            "not": 0,
            "skipped": 0,
        }
        assert [model.objects.count() for model in (City, Mayor, Signatory, Meeting)] == counts
        assert snapshot() == before

    def test_quiet_at_verbosity_zero(self, seeded):
        assert load(verbosity=0) == ""

    def test_fields_changed_by_an_editor_are_kept(self, seeded):
        gdansk = City.objects.get(slug="gdansk")
        gdansk.summary_en = "Edited in the admin."
        gdansk.save()
        meeting = Meeting.objects.get(slug="2019-06-lublin")
        meeting.notes_pl = "Notatki poprawione przez redakcję."
        meeting.save()

        output = load(verbosity=2)

        assert totals(output)["kept"] == 2
        assert "kept cities/gdansk: summary_en changed since the last load" in output
        assert "kept meetings/2019-06-lublin: notes_pl" in output
        gdansk.refresh_from_db()
        meeting.refresh_from_db()
        assert gdansk.summary_en == "Edited in the admin."
        assert meeting.notes_pl == "Notatki poprawione przez redakcję."
        # Their other fields are still the data's.
        assert gdansk.summary_pl.startswith("Stolica województwa pomorskiego")
        assert meeting.notes_en.startswith("During their visit to Lublin")

    def test_a_new_version_of_the_data_updates_only_untouched_fields(self, seeded, tmp_path):
        gdansk = City.objects.get(slug="gdansk")
        gdansk.summary_en = "Edited in the admin."
        gdansk.save()
        path = modified_content(
            tmp_path,
            ("latitude = 54.35227", "latitude = 54.34866"),
            ("Gdańsk hosted the conference", "Gdańsk was the host of the conference"),
            ('notes_en = "The first, working meeting', 'notes_en = "The first working meeting'),
        )

        output = load(verbosity=2, file=path)

        assert totals(output)["updated"] == 2
        assert "updated cities/gdansk: latitude" in output
        assert "updated meetings/2017-06-warszawa: notes_en" in output
        gdansk.refresh_from_db()
        assert str(gdansk.latitude) == "54.34866"
        assert gdansk.summary_en == "Edited in the admin."
        warsaw = Meeting.objects.get(slug="2017-06-warszawa")
        assert warsaw.notes_en.startswith("The first working meeting")
        # The record now holds the new values, so a third load changes nothing.
        assert SeedRecord.objects.get(key="cities.City:gdansk").values["latitude"] == "54.34866"
        assert totals(load(file=path))["updated"] == 0

    def test_many_to_many_changed_by_an_editor_is_kept(self, seeded):
        academy = Initiative.objects.get(slug=ACADEMY)
        academy.cities.remove(City.objects.get(slug="leszno"))

        output = load(verbosity=2)

        assert "kept initiatives/" + ACADEMY + ": cities" in output
        assert not academy.cities.filter(slug="leszno").exists()

    def test_deleted_objects_are_not_recreated(self, seeded):
        Meeting.objects.get(slug="2019-10-poznan").delete()
        Initiative.objects.get(slug="lublin4all").delete()
        Mayor.objects.get(full_name="Rafał Trzaskowski").delete()

        output = load(verbosity=2)

        assert totals(output)["not"] == 3
        assert "not recreated meetings/2019-10-poznan" in output
        assert not Meeting.objects.filter(slug="2019-10-poznan").exists()
        assert not Initiative.objects.filter(slug="lublin4all").exists()
        assert not Mayor.objects.filter(full_name="Rafał Trzaskowski").exists()
        # What pointed to them is left as the editor's deletion made it.
        lublin = Meeting.objects.get(slug="2019-06-lublin")
        assert list(lublin.initiatives.values_list("slug", flat=True)) == ["miasta-miedzykulturowe"]
        assert totals(output)["updated"] == 0
        assert totals(load())["updated"] == 0

    def test_an_object_made_by_hand_before_the_first_load_is_taken_over(self, db):
        CityFactory(slug="gdansk", name_pl="Gdańsk (wpisany ręcznie)", summary_en="")

        load()

        gdansk = City.objects.get(slug="gdansk")
        assert gdansk.name_pl == "Gdańsk (wpisany ręcznie)"
        assert gdansk.summary_en.startswith("Capital of the Pomeranian Voivodeship")
        assert SeedRecord.objects.get(key="cities.City:gdansk").object_id == str(gdansk.pk)
        assert City.objects.filter(slug="gdansk").count() == 1

    def test_a_bad_data_file_writes_nothing(self, db, tmp_path):
        path = modified_content(tmp_path, ('host_city = "poznan"', 'host_city = "posen"'))

        with pytest.raises(CommandError, match=r"host_city points to cities\.City:posen"):
            load(file=path)

        assert not City.objects.exists()
        assert not SeedRecord.objects.exists()

    def test_a_missing_data_file_is_an_error(self, db, tmp_path):
        with pytest.raises(CommandError, match="cannot read"):
            load(file=tmp_path / "missing.toml")

    def test_an_unknown_field_is_an_error(self, db, tmp_path):
        path = modified_content(tmp_path, ('slug = "leszno"', 'slug = "leszno"\nmotto = "x"'))

        with pytest.raises(CommandError, match=r"has no field 'motto'"):
            load(file=path)
