"""The peer support directory, read from content/peer_support.yml, and the search over it.

The file follows Open Referral UK's shape (organisation, service, eligibility, contact, area) so
a trust can add its own local groups without code. Loading checks every entry (ids, the closed
vocabularies, UK phone formats, plain SMS characters, a `source` and a `checked` month) and stops
with a ValueError that names the file, the entry and the field:

    ValueError("content/peer_support.yml: services[saneline].contact.phone: ...")

Location is only ever a postcode *district* ("LS6"), never a full postcode: `postcode_district`
cuts what a person typed down to the district before anything else sees it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from bot.common.content_files import parse_content
from bot.common.sms_text import gsm7_length, gsm7_problem
from bot.settings import PROJECT_ROOT

PEER_SUPPORT_PATH = PROJECT_ROOT / "content" / "peer_support.yml"

KINDS = ("peer_support", "helpline", "information", "directory")  # also the order shown
AUDIENCES = frozenset({"service_user", "carer", "family", "young_people", "anyone"})
EXPERIENCES = frozenset(
    {"hearing_voices", "bipolar", "psychosis", "depression", "anxiety", "eating_disorders", "self_harm", "any"}
)
FORMATS = frozenset({"online", "phone", "text", "in_person"})
ANY_AUDIENCE = "anyone"
ANY_EXPERIENCE = "any"

MAX_DESCRIPTION_CHARS = 300
MAX_MESSAGE_CHARS = 320  # DESIGN.md: no SMS message over about 320 characters
MAX_SHORT_CHARS = 80  # name, organisation, hours, cost: one line each

_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_CHECKED = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_URL = re.compile(r"^https://[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?:/[^\s]*)?$")
_EMAIL = re.compile(r"^[^@\s]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$")
_SPACED_DIGITS = re.compile(r"^\d+(?: \d+)*$")
_TEXT_WORD = re.compile(r"^[A-Z0-9]{2,20}$")
# Postcodes (Royal Mail format): the outward code is the district; the inward code ("2AB")
# narrows it to a street, which we never keep.
_OUTWARD = r"[A-PR-UWYZ][A-HK-Y]?[0-9][A-Z0-9]?"
_FULL_POSTCODE = re.compile(rf"(?<![A-Z0-9])({_OUTWARD}) ?[0-9][ABD-HJLNP-UW-Z]{{2}}(?![A-Z0-9])")
_DISTRICT = re.compile(rf"(?<![A-Z0-9])({_OUTWARD})(?![A-Z0-9])")
_DISTRICT_ENTRY = re.compile(r"^[A-Z]{1,2}(?:[0-9][A-Z0-9]?)?$")

_SERVICE_FIELDS = frozenset(
    {
        "id",
        "kind",
        "organisation",
        "name",
        "description",
        "audiences",
        "experiences",
        "ages",
        "formats",
        "area",
        "contact",
        "hours",
        "cost",
        "source",
        "checked",
    }
)
_CONTACT_FIELDS = frozenset({"phone", "text", "text_word", "website", "email"})
_AREA_FIELDS = frozenset({"local_authorities", "districts"})
_TOP_FIELDS = frozenset({"version", "services"})


@dataclass(frozen=True)
class Area:
    """Where a service is offered: the whole UK, or some local authorities and/or districts."""

    national: bool = True
    local_authorities: tuple[str, ...] = ()
    districts: tuple[str, ...] = ()  # "LS6" (a district) or "LS" (a whole postcode area)

    def covers(self, district: str | None, local_authority: str | None = None) -> bool:
        """True when a local service serves this district or local authority (never for national)."""
        if self.national:
            return False
        if district:
            letters = re.match(r"[A-Z]+", district)
            for entry in self.districts:
                if entry == district or (entry.isalpha() and letters and entry == letters.group()):
                    return True
        if local_authority:
            wanted = _fold_name(local_authority)
            return any(_fold_name(name) == wanted for name in self.local_authorities)
        return False


@dataclass(frozen=True)
class PeerService:
    id: str
    organisation: str
    name: str
    description: str
    audiences: tuple[str, ...]
    experiences: tuple[str, ...]
    formats: tuple[str, ...]
    area: Area
    contact: Mapping[str, str]
    hours: str
    cost: str
    source: str
    checked: str
    kind: str = "peer_support"
    min_age: int | None = None
    max_age: int | None = None

    @property
    def is_local(self) -> bool:
        return not self.area.national


def _fold_name(name: str) -> str:
    return " ".join(name.casefold().replace("&", " and ").replace("-", " ").split())


# -- loading -------------------------------------------------------------------------------------


def load_directory(path: Path | str | None = None) -> tuple[PeerService, ...]:
    """Read and check the directory, once per file. Raises ValueError naming the problem."""
    return _load_cached(Path(path).resolve() if path is not None else PEER_SUPPORT_PATH)


def clear_directory_cache() -> None:
    """Forget loaded files, so an edited file is read again (tests, content previews)."""
    _load_cached.cache_clear()


@lru_cache(maxsize=8)
def _load_cached(path: Path) -> tuple[PeerService, ...]:
    return _Parser(path).parse(path.read_text(encoding="utf-8"))


class _Parser:
    """Turns the YAML into PeerService entries, naming the entry and field when one is wrong."""

    def __init__(self, path: Path, today: date | None = None) -> None:
        self.path = path
        self.today = today or date.today()

    def problem(self, entry: str, problem: str) -> ValueError:
        return ValueError(f"{self.path}: {entry}: {problem}")

    def parse(self, raw: str) -> tuple[PeerService, ...]:
        data = parse_content(raw, self.path)
        if not isinstance(data, dict):
            raise self.problem("file", "must be a mapping with version and services")
        unknown = sorted(str(key) for key in data if key not in _TOP_FIELDS)
        if unknown:
            raise self.problem("file", f"unknown field {unknown[0]!r}; expected version, services")
        raw_services = data.get("services")
        if not isinstance(raw_services, list) or not raw_services:
            raise self.problem("services", "must be a list of services")
        services: list[PeerService] = []
        seen: set[str] = set()
        for index, entry in enumerate(raw_services):
            service = self.service(index, entry)
            if service.id in seen:
                raise self.problem(f"services[{service.id}].id", "duplicate id")
            seen.add(service.id)
            services.append(service)
        return tuple(services)

    def service(self, index: int, raw: Any) -> PeerService:
        if not isinstance(raw, dict):
            raise self.problem(f"services[{index}]", "must be a mapping")
        service_id = raw.get("id")
        if not isinstance(service_id, str) or not service_id.strip():
            raise self.problem(f"services[{index}].id", "is missing; give a snake_case id")
        if not _ID.match(service_id):
            raise self.problem(f"services[{index}].id", f"{service_id!r} must be snake_case (a-z, 0-9 and _)")
        name = f"services[{service_id}]"
        unknown = sorted(str(key) for key in raw if key not in _SERVICE_FIELDS)
        if unknown:
            raise self.problem(
                f"{name}.{unknown[0]}",
                f"unknown field; expected {', '.join(sorted(_SERVICE_FIELDS))}",
            )
        kind = raw.get("kind", "peer_support")
        if kind not in KINDS:
            raise self.problem(f"{name}.kind", f"unknown kind {kind!r}; expected {', '.join(KINDS)}")
        description = self.text(name, "description", raw, MAX_DESCRIPTION_CHARS)
        audiences = self.vocabulary(name, "audiences", raw, AUDIENCES)
        experiences = self.vocabulary(name, "experiences", raw, EXPERIENCES)
        formats = self.vocabulary(name, "formats", raw, FORMATS)
        min_age, max_age = self.ages(name, raw.get("ages"))
        contact = self.contact(name, raw.get("contact"))
        self.formats_have_contact(name, formats, contact)
        service = PeerService(
            id=service_id,
            organisation=self.text(name, "organisation", raw, MAX_SHORT_CHARS),
            name=self.text(name, "name", raw, MAX_SHORT_CHARS),
            description=description,
            audiences=audiences,
            experiences=experiences,
            formats=formats,
            area=self.area(name, raw.get("area")),
            contact=contact,
            hours=self.text(name, "hours", raw, MAX_SHORT_CHARS),
            cost=self.text(name, "cost", raw, MAX_SHORT_CHARS),
            source=self.source(name, raw.get("source")),
            checked=self.checked(name, raw.get("checked")),
            kind=kind,
            min_age=min_age,
            max_age=max_age,
        )
        length = gsm7_length(_full_description(service))
        if length > MAX_MESSAGE_CHARS:
            raise self.problem(
                f"{name}.description",
                f"with the contact details, hours and cost this is {length} characters; "
                f"the limit is {MAX_MESSAGE_CHARS} (one SMS). Shorten the description",
            )
        return service

    # -- fields --------------------------------------------------------------------------------

    def text(self, name: str, field_name: str, raw: dict, limit: int) -> str:
        value = raw.get(field_name)
        entry = f"{name}.{field_name}"
        if not isinstance(value, str) or not value.strip():
            raise self.problem(entry, "is missing or empty")
        text = " ".join(value.split())
        self.gsm7(entry, text)
        if len(text) > limit:
            raise self.problem(entry, f"is {len(text)} characters; keep it to {limit}")
        return text

    def gsm7(self, entry: str, text: str) -> None:
        problem = gsm7_problem(text)
        if problem:
            raise self.problem(entry, problem)

    def vocabulary(self, name: str, field_name: str, raw: dict, allowed: frozenset[str]) -> tuple[str, ...]:
        entry = f"{name}.{field_name}"
        values = raw.get(field_name)
        if not isinstance(values, list) or not values:
            raise self.problem(entry, f"needs a list, from: {', '.join(sorted(allowed))}")
        result: list[str] = []
        for value in values:
            if value not in allowed:
                raise self.problem(entry, f"unknown value {value!r}; expected one of {', '.join(sorted(allowed))}")
            if value in result:
                raise self.problem(entry, f"{value!r} is listed twice")
            result.append(value)
        return tuple(result)

    def ages(self, name: str, raw: Any) -> tuple[int | None, int | None]:
        entry = f"{name}.ages"
        if raw is None:
            return None, None
        if not isinstance(raw, dict) or not raw or set(raw) - {"min", "max"}:
            raise self.problem(entry, "must be like {min: 18} or {min: 11, max: 25}")
        bounds = []
        for key in ("min", "max"):
            value = raw.get(key)
            whole_years = isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 120
            if value is not None and not whole_years:
                raise self.problem(f"{entry}.{key}", f"must be a whole number of years, not {value!r}")
            bounds.append(value)
        if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
            raise self.problem(entry, "min is more than max")
        return bounds[0], bounds[1]

    def area(self, name: str, raw: Any) -> Area:
        entry = f"{name}.area"
        if raw == "national":
            return Area()
        if not isinstance(raw, dict):
            raise self.problem(entry, "must be 'national', or local_authorities and/or districts for a local service")
        unknown = sorted(str(key) for key in raw if key not in _AREA_FIELDS)
        if unknown:
            raise self.problem(f"{entry}.{unknown[0]}", "unknown field; expected local_authorities, districts")
        authorities: list[str] = []
        for value in raw.get("local_authorities") or []:
            if not isinstance(value, str) or not value.strip():
                raise self.problem(f"{entry}.local_authorities", f"{value!r} is not a name")
            authorities.append(" ".join(value.split()))
        districts: list[str] = []
        for value in raw.get("districts") or []:
            district = str(value).strip().upper()
            if not _DISTRICT_ENTRY.match(district):
                raise self.problem(
                    f"{entry}.districts",
                    f"{value!r} is not a postcode district; give the first half of a postcode "
                    "(like LS6) or a postcode area (like LS), never a full postcode",
                )
            districts.append(district)
        if not authorities and not districts:
            raise self.problem(entry, "a local service needs local_authorities or districts")
        return Area(False, tuple(authorities), tuple(districts))

    def contact(self, name: str, raw: Any) -> Mapping[str, str]:
        entry = f"{name}.contact"
        if not isinstance(raw, dict) or not raw:
            raise self.problem(entry, "needs at least one of phone, text, website, email")
        unknown = sorted(str(key) for key in raw if key not in _CONTACT_FIELDS)
        if unknown:
            raise self.problem(f"{entry}.{unknown[0]}", f"unknown field; expected {', '.join(sorted(_CONTACT_FIELDS))}")
        contact: dict[str, str] = {}
        for key, value in raw.items():
            if not isinstance(value, str) or not value.strip():
                raise self.problem(f"{entry}.{key}", 'must be text in quotes, like "0300 123 4567"')
            contact[key] = value.strip()
        if "phone" in contact:
            self.phone(f"{entry}.phone", contact["phone"])
        if "text" in contact:
            self.text_number(f"{entry}.text", contact["text"])
        if "text_word" in contact:
            if "text" not in contact:
                raise self.problem(f"{entry}.text_word", "needs a text number to send it to")
            if not _TEXT_WORD.match(contact["text_word"]):
                raise self.problem(f"{entry}.text_word", "must be one word in capitals, like SHOUT")
        if "website" in contact and not _URL.match(contact["website"]):
            raise self.problem(f"{entry}.website", "must be a full address starting https://")
        if "email" in contact and not _EMAIL.match(contact["email"]):
            raise self.problem(f"{entry}.email", f"{contact['email']!r} is not an email address")
        if not {"phone", "text", "website", "email"} & set(contact):
            raise self.problem(entry, "needs at least one of phone, text, website, email")
        return MappingProxyType(contact)

    def phone(self, entry: str, number: str) -> None:
        digits = number.replace(" ", "")
        uk = digits.startswith("0") and len(digits) in (10, 11)
        short = digits.startswith("116") and len(digits) == 6  # harmonised helplines: 116 123
        if not _SPACED_DIGITS.match(number) or not (uk or short):
            raise self.problem(
                entry,
                f'{number!r} is not a UK phone number; write it like "0300 123 4567" '
                "(digits and single spaces, starting 0, or a 116 number)",
            )

    def text_number(self, entry: str, number: str) -> None:
        digits = number.replace(" ", "")
        short_code = len(digits) in (5, 6) and not digits.startswith("0")
        mobile = digits.startswith("07") and len(digits) == 11
        if not _SPACED_DIGITS.match(number) or not (short_code or mobile):
            raise self.problem(
                entry,
                f'{number!r} is not a UK text number; give a short code like "85258" or a mobile like "07700 900123"',
            )

    def formats_have_contact(self, name: str, formats: tuple[str, ...], contact: Mapping[str, str]) -> None:
        if "phone" in formats and "phone" not in contact:
            raise self.problem(f"{name}.formats", "lists phone, but contact has no phone number")
        if "text" in formats and "text" not in contact:
            raise self.problem(f"{name}.formats", "lists text, but contact has no text number")
        if "online" in formats and not {"website", "email"} & set(contact):
            raise self.problem(f"{name}.formats", "lists online, but contact has no website or email")

    def source(self, name: str, raw: Any) -> str:
        entry = f"{name}.source"
        if not isinstance(raw, str) or not raw.strip():
            raise self.problem(entry, "is missing; give the web page the details come from")
        if not _URL.match(raw.strip()):
            raise self.problem(entry, "must be the web address (https://...) the details come from")
        return raw.strip()

    def checked(self, name: str, raw: Any) -> str:
        entry = f"{name}.checked"
        if not isinstance(raw, str) or not _CHECKED.match(raw.strip()):
            raise self.problem(entry, f'must be the month the details were checked, like "2026-11", not {raw!r}')
        year, month = (int(part) for part in raw.strip().split("-"))
        if (year, month) > (self.today.year, self.today.month):
            raise self.problem(entry, f"{raw} is in the future")
        return raw.strip()


def needs_checking(services: Iterable[PeerService], today: date | None = None, months: int = 12) -> list[PeerService]:
    """Entries last checked more than `months` ago: a list for the deploying service to review."""
    today = today or date.today()
    now = today.year * 12 + today.month - 1
    stale = []
    for service in services:
        year, month = (int(part) for part in service.checked.split("-"))
        if now - (year * 12 + month - 1) > months:
            stale.append(service)
    return stale


# -- searching -----------------------------------------------------------------------------------


def postcode_district(text: str | None) -> str | None:
    """The postcode district in what a person typed ("LS6 2AB" or "ls6" -> "LS6"), else None.

    Only the district is ever returned: the rest of a postcode narrows it to a few houses,
    and nothing here needs that.
    """
    if not text:
        return None
    upper = text.upper()
    full = _FULL_POSTCODE.search(upper)
    if full:
        return full.group(1)
    alone = _DISTRICT.search(upper)
    return alone.group(1) if alone else None


def find_services(
    audience: str | None,
    experience: str | None,
    formats: set[str] | frozenset[str] | None,
    district: str | None,
    local_authority: str | None = None,
    *,
    directory: Sequence[PeerService] | None = None,
) -> list[PeerService]:
    """Services that fit, best first.

    Filters: by audience (services for "anyone" fit every audience), by experience (services
    about "any" fit every experience), and by format (any one of those asked for). Local services
    appear only when they cover the district or local authority; national ones always may.
    Order: local matches first, then services about this experience before general ones (when no
    experience is given, general ones first), then
    services for this audience before ones for anyone, then peer support before helplines,
    information lines and directories, then file order.

    Unknown audience, experience or format values raise ValueError: the caller maps what a
    person said onto AUDIENCES, EXPERIENCES and FORMATS first.
    """
    if audience is not None and audience not in AUDIENCES:
        raise ValueError(f"unknown audience {audience!r}; expected one of {', '.join(sorted(AUDIENCES))}")
    if experience is not None and experience not in EXPERIENCES:
        raise ValueError(f"unknown experience {experience!r}; expected one of {', '.join(sorted(EXPERIENCES))}")
    wanted_formats = frozenset(formats or ())
    if wanted_formats - FORMATS:
        unknown = sorted(wanted_formats - FORMATS)[0]
        raise ValueError(f"unknown format {unknown!r}; expected one of {', '.join(sorted(FORMATS))}")
    district = postcode_district(district)
    services = load_directory() if directory is None else directory

    ranked = []
    for index, service in enumerate(services):
        if audience not in (None, ANY_AUDIENCE) and not {audience, ANY_AUDIENCE} & set(service.audiences):
            continue
        if experience not in (None, ANY_EXPERIENCE) and not {experience, ANY_EXPERIENCE} & set(service.experiences):
            continue
        if wanted_formats and not wanted_formats & set(service.formats):
            continue
        local = service.area.covers(district, local_authority)
        if service.is_local and not local:
            continue
        if experience is None or experience == ANY_EXPERIENCE:
            # Nothing specific asked: general services before ones about one experience.
            experience_rank = 0 if ANY_EXPERIENCE in service.experiences else 1
        else:
            experience_rank = 0 if experience in service.experiences else 1
        key = (
            0 if local else 1,
            experience_rank,
            0 if audience is not None and audience in service.audiences else 1,
            KINDS.index(service.kind),
            index,
        )
        ranked.append((key, service))
    return [service for _, service in sorted(ranked, key=lambda pair: pair[0])]


def page(services: Sequence[PeerService], start: int, size: int = 3) -> list[PeerService]:
    """Up to `size` services from position `start` (an empty list after the end)."""
    if start < 0:
        raise ValueError("start must be 0 or more")
    if size < 1:
        raise ValueError("size must be 1 or more")
    return list(services[start : start + size])


# -- describing ----------------------------------------------------------------------------------


def _title(service: PeerService) -> str:
    if service.organisation.casefold() in service.name.casefold():
        return service.name
    return f"{service.name} ({service.organisation})"


def _sentence(text: str) -> str:
    return text if text.endswith((".", "!", "?")) else f"{text}."


def _contact_line(service: PeerService) -> str:
    contact = service.contact
    parts = []
    if "phone" in contact:
        parts.append(f"Call {contact['phone']}.")
    if "text" in contact:
        word = contact.get("text_word")
        parts.append(f"Text {word} to {contact['text']}." if word else f"Text {contact['text']}.")
    if "website" in contact:
        parts.append(contact["website"].removeprefix("https://").rstrip("/"))
    if "email" in contact and "website" not in contact:
        parts.append(f"Email {contact['email']}")
    return " ".join(parts)


def _when_line(service: PeerService) -> str:
    line = f"{_sentence(service.hours)} {_sentence(service.cost)}"
    if service.min_age is not None and service.max_age is not None:
        line += f" Ages {service.min_age} to {service.max_age}."
    elif service.min_age is not None:
        line += f" Ages {service.min_age} and over."
    elif service.max_age is not None:
        line += f" Up to age {service.max_age}."
    return line


def _assemble(service: PeerService, description: str) -> str:
    head = f"{_title(service)}: {description}" if description else _title(service)
    return "\n".join((head, _contact_line(service), _when_line(service)))


def _full_description(service: PeerService) -> str:
    return _assemble(service, service.description)


def describe(service: PeerService, max_chars: int = MAX_MESSAGE_CHARS) -> str:
    """One SMS-sized, plain-SMS text: name, description, how to contact, hours and cost.

    Everything in the file fits 320 characters (checked on load). For a smaller limit the
    description is shortened first, a sentence at a time, then by words; the contact details
    are the last thing to go.
    """
    full = _full_description(service)
    if gsm7_length(full) <= max_chars:
        return full
    sentences = re.split(r"(?<=[.!?])\s+", service.description)
    while len(sentences) > 1:
        sentences.pop()
        text = _assemble(service, " ".join(sentences))
        if gsm7_length(text) <= max_chars:
            return text
    words = service.description.split()
    while words:
        words.pop()
        text = _assemble(service, " ".join(words) + "..." if words else "")
        if gsm7_length(text) <= max_chars:
            return text
    text = _assemble(service, "")
    while gsm7_length(text) > max_chars:
        text = text[:-1]
    return text.rstrip()
