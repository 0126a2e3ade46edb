"""The peer support directory: searching by need, audience, format and area; paging; keeping
only a postcode district; sources on every entry; precise errors for bad edits; SMS-sized texts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from bot.common.sms_text import first_non_gsm7, gsm7_length
from bot.services.peer_support import search
from bot.services.peer_support.directory import (
    AUDIENCES,
    EXPERIENCES,
    FORMATS,
    KINDS,
    MAX_DESCRIPTION_CHARS,
    PEER_SUPPORT_PATH,
    clear_directory_cache,
    describe,
    find_services,
    load_directory,
    needs_checking,
    page,
    postcode_district,
)
from bot.settings import PROJECT_ROOT


def a_service(service_id: str, **changes) -> dict:
    """One valid entry, as it would be written in the YAML file."""
    entry = {
        "id": service_id,
        "kind": "peer_support",
        "organisation": "Example Mind",
        "name": f"Group {service_id}",
        "description": "A friendly group where people meet to share and support each other.",
        "audiences": ["service_user"],
        "experiences": ["any"],
        "formats": ["in_person"],
        "area": "national",
        "contact": {"phone": "0113 496 0000", "website": "https://www.example.org/group"},
        "hours": "Tuesdays, 2pm to 4pm.",
        "cost": "Free",
        "source": "https://www.example.org/group",
        "checked": "2026-01",
    }
    entry.update(changes)
    return entry


def write_directory(tmp_path: Path, services: list[dict], name: str = "peer_support.yml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump({"version": 1, "services": services}, sort_keys=False), encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_directory_cache()
    yield
    clear_directory_cache()


@pytest.fixture
def directory():
    return load_directory()


@pytest.fixture
def local_directory(tmp_path):
    """The national defaults plus three local groups, as a trust would add them."""
    services = yaml.safe_load(PEER_SUPPORT_PATH.read_text(encoding="utf-8"))["services"]
    services += [
        a_service(
            "leeds_voices",
            experiences=["hearing_voices"],
            area={"local_authorities": ["Leeds"], "districts": ["LS6", "LS7"]},
        ),
        a_service("leeds_carers", audiences=["carer"], area={"districts": ["LS"]}),
        a_service("manchester_group", area={"local_authorities": ["Manchester"], "districts": ["M1"]}),
    ]
    return load_directory(write_directory(tmp_path, services))


def ids(services) -> list[str]:
    return [service.id for service in services]


# -- the shipped directory -----------------------------------------------------------------------


def test_the_default_directory_holds_well_known_national_services(directory):
    assert len(directory) >= 10
    assert {
        "mind_side_by_side",
        "rethink_groups",
        "hearing_voices_groups",
        "bipolar_uk_groups",
        "bipolar_uk_ecommunity",
        "carers_trust_local",
        "carers_uk_forum",
        "hub_of_hope",
    } <= set(ids(directory))
    assert all(not service.is_local for service in directory)
    assert "samaritans" not in ids(directory)  # a listening service, already in every crisis reply


def test_every_entry_names_its_source_and_when_it_was_checked(directory):
    for service in directory:
        assert service.source.startswith("https://"), service.id
        assert re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", service.checked), service.id


def test_every_phone_number_in_the_file_is_marked_verify():
    lines = PEER_SUPPORT_PATH.read_text(encoding="utf-8").splitlines()
    phone_lines = [line for line in lines if re.match(r"\s*#?\s*phone:", line)]
    assert phone_lines
    assert all("# verify" in line for line in phone_lines), phone_lines


def test_descriptions_are_short_and_plain_sms(directory):
    for service in directory:
        assert len(service.description) <= MAX_DESCRIPTION_CHARS, service.id
        for text in (service.description, service.name, service.hours, service.cost):
            assert first_non_gsm7(text) is None, (service.id, text)


def test_describe_fits_one_plain_sms_with_the_contact_details(directory):
    for service in directory:
        text = describe(service)
        assert gsm7_length(text) <= 320, service.id
        assert first_non_gsm7(text) is None, service.id
        assert service.name in text and service.hours.rstrip(".") in text
        if "phone" in service.contact:
            assert f"Call {service.contact['phone']}." in text
        if "website" in service.contact:
            assert service.contact["website"].removeprefix("https://").rstrip("/") in text


@pytest.mark.parametrize("limit", [160, 120, 80])
def test_describe_shortens_the_description_first_and_keeps_the_contact(directory, limit):
    mind = next(service for service in directory if service.id == "mind_infoline")
    text = describe(mind, max_chars=limit)
    assert gsm7_length(text) <= limit
    if limit >= 120:
        assert "Call 0300 123 3393." in text


def test_the_example_local_entry_in_the_file_is_valid_when_uncommented(tmp_path):
    raw = PEER_SUPPORT_PATH.read_text(encoding="utf-8")
    block = raw.split("# --- EXAMPLE local entry (start)")[1].split("# --- EXAMPLE local entry (end)")[0]
    entry_lines = [line[1:] for line in block.splitlines() if line.startswith("#  ")]
    path = tmp_path / "with_example.yml"
    path.write_text(raw + "\n".join(entry_lines) + "\n", encoding="utf-8")
    example = next(service for service in load_directory(path) if service.id == "example_leeds_hearing_voices")
    assert example.is_local and example.area.districts == ("LS6", "LS7")
    assert "Ages 18 and over." in describe(example)


def test_loading_is_cached_and_can_be_cleared():
    first = load_directory()
    assert load_directory() is first
    clear_directory_cache()
    assert load_directory() == first


# -- searching -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("experience", "first"),
    [
        ("hearing_voices", ["hearing_voices_groups"]),
        ("psychosis", ["hearing_voices_groups"]),
        ("bipolar", ["bipolar_uk_groups", "bipolar_uk_ecommunity"]),
        ("eating_disorders", ["beat"]),
    ],
)
def test_services_about_the_need_come_before_general_ones(directory, experience, first):
    found = find_services(None, experience, None, None, directory=directory)
    assert ids(found)[: len(first)] == first
    rest = found[len(first) :]
    assert rest and all("any" in service.experiences for service in rest)


def test_services_about_other_needs_are_left_out(directory):
    found = ids(find_services("service_user", "bipolar", None, None, directory=directory))
    assert "hearing_voices_groups" not in found and "beat" not in found
    assert "mind_side_by_side" in found  # general peer support still fits


def test_with_no_need_given_general_services_come_first(directory):
    found = find_services(None, None, None, None, directory=directory)
    assert len(found) == len(directory)
    first_specific = next(i for i, s in enumerate(found) if "any" not in s.experiences)
    assert all("any" not in s.experiences for s in found[first_specific:])


def test_peer_support_comes_before_helplines_and_directories(directory):
    found = find_services("carer", None, None, None, directory=directory)
    general = [s for s in found if "any" in s.experiences]
    ranks = [KINDS.index(s.kind) for s in general if "carer" in s.audiences]
    assert ranks == sorted(ranks)
    assert general[0].kind == "peer_support"


def test_a_carer_gets_services_for_carers_and_for_anyone(directory):
    found = find_services("carer", None, None, None, directory=directory)
    assert {"carers_trust_local", "carers_uk_forum", "carers_uk_helpline"} <= set(ids(found))
    assert all("carer" in s.audiences or "anyone" in s.audiences for s in found)
    assert "mind_side_by_side" not in ids(found) and "hearing_voices_groups" not in ids(found)
    # Within each kind, services written for carers come before ones for anyone.
    general = [s for s in found if "any" in s.experiences]
    for kind in KINDS:
        for_anyone = ["carer" not in s.audiences for s in general if s.kind == kind]
        assert for_anyone == sorted(for_anyone), kind


def test_young_people_find_services_for_them(directory):
    found = ids(find_services("young_people", None, None, None, directory=directory))
    assert "carers_trust_local" in found and "bipolar_uk_groups" in found


@pytest.mark.parametrize("wanted", [{"phone"}, {"online"}, {"in_person"}, {"phone", "in_person"}])
def test_filtering_by_format(directory, wanted):
    found = find_services(None, None, wanted, None, directory=directory)
    assert found
    assert all(wanted & set(s.formats) for s in found)
    if wanted == {"phone"}:
        assert all("phone" in s.contact for s in found)


def test_local_groups_for_the_district_come_first(local_directory):
    found = ids(find_services("service_user", "hearing_voices", None, "LS6 2AB", directory=local_directory))
    assert found[0] == "leeds_voices"
    assert found[1] == "hearing_voices_groups"  # then national groups for the same need
    assert "manchester_group" not in found


def test_a_local_authority_name_matches_whatever_the_case(local_directory):
    found = ids(find_services(None, None, None, None, "  leeds ", directory=local_directory))
    assert found[0] == "leeds_voices"
    assert "manchester_group" not in found


def test_a_postcode_area_entry_covers_every_district_in_it(local_directory):
    assert "leeds_carers" in ids(find_services("carer", None, None, "LS12", directory=local_directory))
    # "L" (Liverpool) is not "LS" (Leeds): areas match on all their letters.
    assert "leeds_carers" not in ids(find_services("carer", None, None, "L1", directory=local_directory))


def test_with_no_local_match_national_options_are_offered(local_directory, directory):
    found = find_services("service_user", None, None, "EX1 1AA", directory=local_directory)
    assert found and all(not s.is_local for s in found)
    assert ids(found) == ids(find_services("service_user", None, None, None, directory=directory))


def test_local_groups_are_not_offered_when_the_area_is_unknown(local_directory):
    found = find_services(None, None, None, None, directory=local_directory)
    assert all(not s.is_local for s in found)


# -- saying when nothing local is listed (issue 22.11) -------------------------------------------


@pytest.mark.parametrize("area", ["M14", "LS6", "ls6 2ab"])
def test_near_an_area_with_nothing_listed_it_says_so_before_the_national_services(area):
    """The shipped directory is national only: "near me" with a district must not pass national
    services off as local ones."""
    found = search.search("hearing_voices", area, for_carer=False)
    assert found.matched and found.nothing_local and found.district == postcode_district(area)
    assert found.ids and all(not service.is_local for service in search.services_by_id(found.ids))
    intro = search.introduction(found)
    assert intro == search.text("nothing_local") != search.text("found")
    assert "nothing listed near you" in intro and "national" in intro and "wherever you live" in intro


def test_with_a_local_group_for_the_district_it_is_found_and_shown_first(local_directory):
    found = search.search("hearing_voices", "LS6 2AB", for_carer=False, directory=local_directory)
    assert found.ids[0] == "leeds_voices" and found.local and not found.nothing_local
    assert search.introduction(found) == search.text("found")
    carers = search.search(None, "LS12", for_carer=True, directory=local_directory)
    assert carers.ids[0] == "leeds_carers" and search.introduction(carers) == search.text("found")


def test_with_no_area_given_nothing_is_said_about_local_groups():
    found = search.search("hearing_voices", None, for_carer=False)
    assert found.district is None and not found.nothing_local
    assert search.introduction(found) == search.text("found")


def test_the_directory_comment_and_readme_say_how_to_add_a_local_group():
    comment = PEER_SUPPORT_PATH.read_text(encoding="utf-8").split("\nversion:", 1)[0]
    assert "nothing listed near you" in comment and "districts:" in comment
    readme = (PROJECT_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### Adding local peer support groups", 1)[1].split("\n#", 1)[0]
    assert "content/peer_support.yml" in section and "districts" in section and "source" in section


def test_the_default_directory_is_searched_when_none_is_given():
    assert ids(find_services("carer", None, None, None)) == ids(
        find_services("carer", None, None, None, directory=load_directory())
    )


@pytest.mark.parametrize(
    "call",
    [
        lambda: find_services("doctor", None, None, None),
        lambda: find_services(None, "sadness", None, None),
        lambda: find_services(None, None, {"carrier pigeon"}, None),
    ],
)
def test_unknown_search_values_are_refused(call):
    with pytest.raises(ValueError, match="unknown"):
        call()


# -- paging --------------------------------------------------------------------------------------


def test_paging_three_at_a_time(directory):
    found = find_services(None, None, None, None, directory=directory)
    pages = [page(found, start) for start in range(0, len(found), 3)]
    assert all(1 <= len(p) <= 3 for p in pages)
    assert [s for p in pages for s in p] == found
    assert page(found, len(found)) == []
    assert page(found, 0, size=5) == found[:5]


@pytest.mark.parametrize(("start", "size"), [(-1, 3), (0, 0)])
def test_paging_refuses_nonsense(directory, start, size):
    with pytest.raises(ValueError):
        page(directory, start, size)


# -- postcodes: only ever the district -----------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "district"),
    [
        ("LS6 2AB", "LS6"),
        ("ls6 2ab", "LS6"),
        ("ls6", "LS6"),
        ("LS62AB", "LS6"),
        ("  ls6   ", "LS6"),
        ("SW1A 1AA", "SW1A"),
        ("sw1a1aa", "SW1A"),
        ("EC1A 1BB", "EC1A"),
        ("W1A 0AX", "W1A"),
        ("M1 1AE", "M1"),
        ("B33 8TH", "B33"),
        ("CR2 6XH", "CR2"),
        ("DN55 1PT", "DN55"),
        ("I live near LS6 2AB, by the park", "LS6"),
        ("my postcode is m1", "M1"),
    ],
)
def test_postcode_district_keeps_only_the_district(typed, district):
    assert postcode_district(typed) == district


@pytest.mark.parametrize("typed", ["", None, "hello", "I am 25", "Leeds", "123 456", "QQ1 1AA", "ls"])
def test_no_district_in_text_without_a_postcode(typed):
    assert postcode_district(typed) is None


_OUTWARD = st.from_regex(r"\A[A-PR-UWYZ][A-HK-Y]?[0-9][0-9]?\Z")
_INWARD = st.from_regex(r"\A[0-9][ABD-HJLNP-UW-Z]{2}\Z")


@given(outward=_OUTWARD, inward=_INWARD, space=st.sampled_from(["", " "]), lower=st.booleans())
def test_a_full_postcode_never_survives(outward, inward, space, lower):
    typed = f"{outward}{space}{inward}"
    district = postcode_district(typed.lower() if lower else typed)
    assert district == outward
    assert inward not in district and " " not in district and len(district) <= 4


def test_a_full_postcode_passed_as_the_district_is_cut_before_searching(local_directory):
    found = ids(find_services(None, "hearing_voices", None, "ls6 2ab", directory=local_directory))
    assert found[0] == "leeds_voices"


# -- errors name the file, entry and field -------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "where", "problem"),
    [
        ({"source": None}, "services[bad].source", "is missing"),
        ({"source": "the Mind website"}, "services[bad].source", "https://"),
        ({"checked": "Nov 2026"}, "services[bad].checked", 'like "2026-11"'),
        ({"checked": "2026-13"}, "services[bad].checked", 'like "2026-11"'),
        ({"checked": "2999-01"}, "services[bad].checked", "in the future"),
        ({"audiences": ["doctors"]}, "services[bad].audiences", "unknown value 'doctors'"),
        ({"experiences": []}, "services[bad].experiences", "needs a list"),
        ({"formats": ["carrier pigeon"]}, "services[bad].formats", "unknown value"),
        ({"kind": "charity"}, "services[bad].kind", "unknown kind"),
        ({"colour": "blue"}, "services[bad].colour", "unknown field"),
        ({"description": ""}, "services[bad].description", "is missing or empty"),
        ({"description": "It\u2019s a group."}, "services[bad].description", "U+2019"),
        ({"description": "A group. " * 40}, "services[bad].description", "keep it to 300"),
        ({"description": "A friendly group. " * 14}, "services[bad].description", "one SMS"),
        ({"contact": {"phone": "0113 496 00"}}, "services[bad].contact.phone", "not a UK phone number"),
        ({"contact": {"phone": "+44 113 496 0000"}}, "services[bad].contact.phone", "not a UK phone number"),
        ({"contact": {"phone": 1134960000}}, "services[bad].contact.phone", "text in quotes"),
        ({"contact": {"text": "0113 496 0000"}}, "services[bad].contact.text", "not a UK text number"),
        ({"contact": {"website": "www.example.org"}}, "services[bad].contact.website", "https://"),
        ({"contact": {"fax": "0113 496 0000"}}, "services[bad].contact.fax", "unknown field"),
        ({"contact": {}}, "services[bad].contact", "at least one"),
        (
            {"formats": ["phone"], "contact": {"website": "https://www.example.org"}},
            "services[bad].formats",
            "no phone number",
        ),
        ({"area": "Leeds"}, "services[bad].area", "must be 'national'"),
        ({"area": {"districts": ["LS6 2AB"]}}, "services[bad].area.districts", "never a full postcode"),
        ({"area": {"districts": []}}, "services[bad].area", "needs local_authorities or districts"),
        ({"ages": {"min": 25, "max": 18}}, "services[bad].ages", "min is more than max"),
        ({"ages": {"min": "adults"}}, "services[bad].ages.min", "whole number"),
    ],
)
def test_a_bad_entry_is_reported_by_file_entry_and_field(tmp_path, changes, where, problem):
    entry = a_service("bad", **changes)
    entry = {key: value for key, value in entry.items() if value is not None}
    path = write_directory(tmp_path, [a_service("good"), entry])
    with pytest.raises(ValueError) as error:
        load_directory(path)
    message = str(error.value)
    assert message.startswith(f"{path.resolve()}: {where}: "), message
    assert problem in message


def test_a_missing_or_broken_id_is_reported_by_position(tmp_path):
    entry = a_service("x")
    del entry["id"]
    path = write_directory(tmp_path, [a_service("good"), entry])
    with pytest.raises(ValueError, match=re.escape(f"{path.resolve()}: services[1].id: is missing")):
        load_directory(path)
    path = write_directory(tmp_path, [a_service("Not Snake")], "second.yml")
    with pytest.raises(ValueError, match=r"services\[0\]\.id: 'Not Snake' must be snake_case"):
        load_directory(path)


def test_a_duplicate_id_is_reported(tmp_path):
    path = write_directory(tmp_path, [a_service("same"), a_service("same")])
    with pytest.raises(ValueError, match=r"services\[same\]\.id: duplicate id"):
        load_directory(path)


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("- a\n- b\n", "file: must be a mapping"),
        ("version: 1\nservices: []\n", "services: must be a list"),
        ("version: 1\nextra: 2\nservices: []\n", "file: unknown field 'extra'"),
    ],
)
def test_a_broken_file_is_reported(tmp_path, text, where):
    path = tmp_path / "broken.yml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(f"{path.resolve()}: {where}")):
        load_directory(path)


def test_a_text_word_and_a_text_number_are_shown_together(tmp_path):
    entry = a_service("textable", formats=["text"], contact={"text": "85258", "text_word": "HELLO"})
    service = load_directory(write_directory(tmp_path, [entry]))[0]
    assert "Text HELLO to 85258." in describe(service)


def test_needs_checking_lists_entries_not_checked_for_a_year(tmp_path):
    services = load_directory(
        write_directory(tmp_path, [a_service("old", checked="2024-10"), a_service("new", checked="2026-01")])
    )
    assert ids(needs_checking(services, today=date(2026, 11, 26))) == ["old"]
    assert needs_checking(services, today=date(2026, 11, 26), months=36) == []


def test_the_vocabularies_match_the_file_comments():
    header = PEER_SUPPORT_PATH.read_text(encoding="utf-8").split("version: 1")[0]
    for value in AUDIENCES | EXPERIENCES | FORMATS | set(KINDS):
        assert value in header, value
