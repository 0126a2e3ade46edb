"""The readable page of everything held about a person (the JSON is personal_data.as_json).

The same rows as the JSON, put in plain English by section: about you, your care coordinator,
your plan by WRAP section, what you share and with whom, carers, goals, check-ins and so on.
Other people are named, not shown as ids (the coordinator by the name they chose, a carer by
the word the person used for them); times are UK dates ("4 December 2026, 3:05pm"). Codes and
hashes are only in the JSON. Every word of ours comes from content/personal_data.yml (section
`readable`), the WRAP, consent, bucket and stuck content; none is written here.

Kinds of record that no section reads are shown under "Other things we keep", each field by its
label in the content file, so nothing held is missing from the page
(tests/unit/privacy/test_personal_data_export.py checks every table has its words).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from bot.common.clock import uk_date, uk_time
from bot.common.content_files import read_content
from bot.common.templates import render
from bot.services.consent.content import load_consent_content
from bot.services.guided import content as guided_content
from bot.services.privacy.personal_data import PersonalData
from bot.services.recovery import checkins
from bot.services.wrap.content import load_wrap_content
from bot.settings import PROJECT_ROOT
from bot.store.goals_models import CheckinSchedule

CONTENT_PATH = PROJECT_ROOT / "content" / "personal_data.yml"

# The tables a section below reads. Any other table about the person goes under "other".
READ_BY_SECTIONS = frozenset(
    {
        "people",
        "channel_identities",
        "sms_contacts",
        "person_merges",
        "caseload_entries",
        "enrolments",
        "wrap_plans",
        "wrap_items",
        "wrap_skips",
        "consent_records",
        "share_events",
        "carer_links",
        "carer_messages",
        "team_messages",
        "recovery_meanings",
        "goals",
        "goal_steps",
        "checkin_schedules",
        "checkins",
        "bucket_items",
        "reflections",
        "reflection_answers",
        "review_flags",
        "person_notices",
        "outbox_messages",
        "staff_accounts",
    }
)
# Fields that are codes for computers (ids, hashes, tokens): shown only in the JSON.
MACHINE_FIELD_ENDINGS = ("id", "_hash", "_token", "_key", "_number")
MACHINE_FIELDS = frozenset({"id", "csrf_token", "idempotency_key", "provider_id"})


@lru_cache(maxsize=1)
def personal_data_content() -> dict:
    return read_content(CONTENT_PATH)


def _words() -> dict[str, Any]:
    return personal_data_content()["readable"]


def is_machine_field(name: str) -> bool:
    return name in MACHINE_FIELDS or name.endswith(MACHINE_FIELD_ENDINGS)


@dataclass
class Entry:
    text: str
    details: list[str] = field(default_factory=list)


@dataclass
class Group:
    heading: str = ""
    entries: list[Entry] = field(default_factory=list)


@dataclass
class Section:
    id: str
    title: str
    groups: list[Group] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(group.entries for group in self.groups)


# Shown only when there is something in them (a carer has no plan to share, most people no
# staff account).
SHOWN_ONLY_WHEN_USED = frozenset({"supporting", "staff", "other"})


class _Reader:
    """Builds the sections from one person's rows, with the words from content/."""

    def __init__(self, data: PersonalData) -> None:
        self.data = data
        self.me = data.person_id
        self.words = _words()
        self.wrap = load_wrap_content()
        self.consent = load_consent_content()

    def rows(self, table: str) -> list[dict[str, Any]]:
        return self.data.tables.get(table, [])

    def say(self, path: str, **values: Any) -> str:
        text: Any = self.words
        for part in path.split("."):
            text = text[part]
        return " ".join(str(text).split()).format(**values)

    def when(self, moment: datetime | None) -> str:
        return uk_time(moment) if moment else ""

    def channel(self, channel: str | None) -> str:
        return str(self.words["channels"].get(channel, channel or ""))

    def coordinator(self, person_id: str | None) -> str:
        return self.data.names.get(person_id or "") or self.say("your_coordinator")

    def carer_name(self, carer_person_id: str | None) -> str:
        for link in self.rows("carer_links"):
            if carer_person_id and link["carer_person_id"] == carer_person_id and link["name"]:
                return str(link["name"])
        return self.data.names.get(carer_person_id or "") or self.say("someone")

    def recipient(self, record: Mapping[str, Any]) -> str:
        if str(getattr(record["recipient_kind"], "value", record["recipient_kind"])) == "carer":
            return self.carer_name(record["recipient_id"])
        return self.coordinator(record["recipient_id"])

    def category(self, category_id: str) -> str:
        try:
            return self.consent.category(category_id).name
        except KeyError:
            return category_id

    def categories(self, category_ids: Iterable[str]) -> str:
        wanted = [each for each in category_ids if each]
        known = self.consent.names(wanted)
        unknown = [each for each in wanted if each not in {c.id for c in self.consent.categories}]
        return ", ".join([part for part in (known, *unknown) if part])

    def question(self, question_id: str | None) -> str:
        if not question_id:
            return ""
        try:
            question = self.wrap.question(question_id)
        except KeyError:
            return question_id
        return question.label or question.prompt

    # -- the sections ---------------------------------------------------------------------------

    def sections(self) -> list[Section]:
        built = [
            self.about_you(),
            self.coordinator_section(),
            self.plan(),
            self.sharing(),
            self.carers(),
            self.supporting(),
            self.recovery(),
            self.goals(),
            self.checkins_section(),
            self.bucket(),
            self.stuck(),
            self.messages(),
            self.staff(),
            self.other(),
        ]
        return [each for each in built if not (each.is_empty and each.id in SHOWN_ONLY_WHEN_USED)]

    def section(self, section_id: str, *groups: Group) -> Section:
        return Section(section_id, self.say(f"sections.{section_id}"), [g for g in groups if g.entries])

    def about_you(self) -> Section:
        entries = []
        for person in self.rows("people"):
            role = str(getattr(person["role"], "value", person["role"]))
            entries.append(Entry(self.say("about.role"), [str(self.words["roles"].get(role, role))]))
            entries.append(Entry(self.say("about.first_used"), [self.when(person["created_at"])]))
            entries.append(Entry(self.say("about.last_used"), [self.when(person["last_seen_at"])]))
        for identity in sorted(self.rows("channel_identities"), key=lambda row: row["created_at"]):
            entries.append(
                Entry(
                    self.say(
                        "about.reach", channel=self.channel(identity["channel"]), date=self.when(identity["created_at"])
                    )
                )
            )
        for contact in self.rows("sms_contacts"):
            details = (
                [self.say("about.phone_stopped", date=self.when(contact["opted_out_at"]))]
                if contact["opted_out_at"]
                else []
            )
            entries.append(Entry(self.say("about.phone", number=contact["number"]), details))
        for merge in self.rows("person_merges"):
            entries.append(Entry(self.say("about.joined", date=self.when(merge["created_at"]))))
        return self.section("about_you", Group(entries=entries))

    def coordinator_section(self) -> Section:
        entries = []
        for entry in self.rows("caseload_entries"):
            if entry["service_user_id"] != self.me:
                continue
            name = self.coordinator(entry["coordinator_id"])
            if entry["ended_at"]:
                text = self.say(
                    "coordinator.before",
                    name=name,
                    start=self.when(entry["started_at"]),
                    end=self.when(entry["ended_at"]),
                )
            else:
                text = self.say("coordinator.now", name=name, date=self.when(entry["started_at"]))
            entries.append(Entry(text))
        for enrolment in self.rows("enrolments"):
            if enrolment["person_id"] == self.me and enrolment["label"]:
                entries.append(Entry(self.say("coordinator.label", name=enrolment["label"])))
        return self.section("coordinator", Group(entries=entries))

    def plan(self) -> Section:
        items = sorted(self.rows("wrap_items"), key=lambda row: row["number"])
        groups = []
        for plan in self.rows("wrap_plans"):
            about = [Entry(self.say("plan.started", date=self.when(plan["created_at"])))]
            if plan["position_question_id"]:
                about.append(Entry(self.say("plan.stopped_at", what=self.question(plan["position_question_id"]))))
            groups.append(Group(entries=about))
        known_sections = {section.id for section in self.wrap.sections}
        for wrap_section in self.wrap.sections:
            by_question: dict[str, list[str]] = defaultdict(list)
            for item in items:
                if item["section_id"] == wrap_section.id and not item["removed_at"]:
                    by_question[item["question_id"]].append(
                        f"{item['text']} ({self.say('added', date=self.when(item['created_at']))})"
                    )
            groups.append(
                Group(
                    wrap_section.title,
                    [Entry(self.question(question_id), lines) for question_id, lines in by_question.items()],
                )
            )
        unknown = [item for item in items if item["section_id"] not in known_sections and not item["removed_at"]]
        removed = [item for item in items if item["removed_at"]] + unknown
        groups.append(
            Group(
                self.say("plan.removed_heading"),
                [
                    Entry(
                        str(item["text"]),
                        [
                            self.question(item["question_id"]),
                            self.say("added", date=self.when(item["created_at"])),
                            *([self.say("removed", date=self.when(item["removed_at"]))] if item["removed_at"] else []),
                        ],
                    )
                    for item in removed
                ],
            )
        )
        groups.append(
            Group(
                self.say("plan.skipped_heading"),
                [Entry(self.question(skip["question_id"])) for skip in self.rows("wrap_skips")],
            )
        )
        return self.section("plan", *groups)

    def sharing(self) -> Section:
        by_recipient: dict[str, list[Entry]] = defaultdict(list)
        to_me = []
        for record in sorted(self.rows("consent_records"), key=lambda row: row["recorded_at"], reverse=True):
            decision = str(getattr(record["decision"], "value", record["decision"]))
            what = self.category(record["category"])
            moment = self.when(record["recorded_at"])
            if record["person_id"] != self.me:
                if str(getattr(record["recipient_kind"], "value", record["recipient_kind"])) != "carer":
                    continue  # shared with me as a coordinator: counted under my staff account
                to_me.append(Entry(self.say(f"sharing.to_you_{decision}", date=moment, what=what)))
                continue
            name = self.recipient(record)
            details = [self.say("sharing.asked", what=" ".join(str(record["wording"]).split()))]
            if record["review_due_at"] and decision == "granted":
                details.append(self.say("sharing.review", date=uk_date(record["review_due_at"])))
            by_recipient[name].append(
                Entry(self.say(f"sharing.{decision}", date=moment, what=what, name=name), details)
            )
        shared = []
        for event in sorted(self.rows("share_events"), key=lambda row: row["created_at"], reverse=True):
            if event["person_id"] != self.me:
                continue
            name = self.coordinator(event["coordinator_id"])
            details = []
            if event["read_at"]:
                details.append(self.say("sharing.read", name=name, date=self.when(event["read_at"])))
            if event["acknowledged_at"]:
                details.append(self.say("sharing.thanked", name=name, date=self.when(event["acknowledged_at"])))
            what = self.categories(str(event["categories"]).split(","))
            shared.append(
                Entry(self.say("sharing.shared", date=self.when(event["created_at"]), what=what, name=name), details)
            )
        groups = [Group(self.say("sharing.with", name=name), entries) for name, entries in by_recipient.items()]
        return self.section("sharing", *groups, Group(entries=shared), Group(entries=to_me))

    def _active_for(self, recipient_id: str | None) -> list[str]:
        latest: dict[str, dict[str, Any]] = {}
        for record in sorted(self.rows("consent_records"), key=lambda row: row["recorded_at"]):
            if record["person_id"] == self.me and record["recipient_id"] == recipient_id:
                latest[record["category"]] = record
        return [
            category
            for category, record in latest.items()
            if str(getattr(record["decision"], "value", record["decision"])) == "granted"
        ]

    def carers(self) -> Section:
        entries = []
        for link in sorted(self.rows("carer_links"), key=lambda row: row["created_at"]):
            if link["person_id"] != self.me:
                continue
            name = str(link["name"] or self.say("someone"))
            if link["ended_at"]:
                entries.append(Entry(self.say("carers.ended", name=name, date=self.when(link["ended_at"]))))
                continue
            if not link["linked_at"]:
                waiting = self.categories(str(link["pending_categories"] or "").split(","))
                details = [self.say("carers.sees", what=waiting)] if waiting else []
                entries.append(
                    Entry(self.say("carers.waiting", name=name, date=self.when(link["created_at"])), details)
                )
                continue
            sees = self.categories(self._active_for(link["carer_person_id"]))
            entries.append(
                Entry(
                    self.say("carers.linked", name=name, date=self.when(link["linked_at"])),
                    [self.say("carers.sees", what=sees) if sees else self.say("carers.sees_nothing")],
                )
            )
        return self.section("carers", Group(entries=entries))

    def supporting(self) -> Section:
        entries = []
        for link in self.rows("carer_links"):
            if link["carer_person_id"] != self.me or link["person_id"] == self.me:
                continue
            details = (
                [self.say("carers.supporting_ended", date=self.when(link["ended_at"]))] if link["ended_at"] else []
            )
            name = str(link["name"] or self.say("someone"))
            entries.append(
                Entry(
                    self.say("carers.supporting", date=self.when(link["linked_at"] or link["created_at"]), name=name),
                    details,
                )
            )
        return self.section("supporting", Group(entries=entries))

    def recovery(self) -> Section:
        rows = sorted(self.rows("recovery_meanings"), key=lambda row: row["created_at"], reverse=True)
        current = [
            Entry(str(row["text"]), [self.say("added", date=self.when(row["created_at"]))])
            for row in rows
            if not row["replaced_at"]
        ]
        earlier = [
            Entry(
                str(row["text"]),
                [
                    self.say("added", date=self.when(row["created_at"])),
                    self.say("removed", date=self.when(row["replaced_at"])),
                ],
            )
            for row in rows
            if row["replaced_at"]
        ]
        return self.section(
            "recovery", Group(self.say("recovery.current"), current), Group(self.say("recovery.earlier"), earlier)
        )

    def _dates(self, row: Mapping[str, Any]) -> list[str]:
        details = [self.say("added", date=self.when(row["created_at"]))]
        if row.get("done_at"):
            details.append(self.say("goals.done", date=self.when(row["done_at"])))
        if row.get("removed_at"):
            details.append(self.say("removed", date=self.when(row["removed_at"])))
        return details

    def goals(self) -> Section:
        steps: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for step in sorted(self.rows("goal_steps"), key=lambda row: row["created_at"]):
            steps[step["goal_id"]].append(step)
        entries = []
        for goal in sorted(self.rows("goals"), key=lambda row: row["created_at"]):
            details = self._dates(goal)
            for step in steps[goal["id"]]:
                details.append(self.say("goals.step", what=step["text"]) + " (" + "; ".join(self._dates(step)) + ")")
            entries.append(Entry(str(goal["text"]), details))
        return self.section("goals", Group(entries=entries))

    def checkins_section(self) -> Section:
        plan = []
        for schedule in self.rows("checkin_schedules"):
            rhythm = schedule["rhythm"]
            if rhythm == checkins.NONE:
                text = self.say("checkins.none")
            else:
                text = self.say("checkins.rhythm", when=checkins.describe(CheckinSchedule(**schedule)))
            details = (
                [self.say("checkins.next", date=self.when(schedule["next_due_at"]))]
                if schedule["next_due_at"] and rhythm != "none"
                else []
            )
            plan.append(Entry(text, details))
        history = []
        for checkin in sorted(self.rows("checkins"), key=lambda row: row["created_at"], reverse=True):
            if checkin["status"] == "answered":
                rating = str(self.words["ratings"].get(checkin["rating"], checkin["rating"] or ""))
                moment = self.when(checkin["answered_at"] or checkin["created_at"])
                details = [self.say("checkins.note", what=checkin["note"])] if checkin["note"] else []
                history.append(Entry(self.say("checkins.answered", date=moment, what=rating), details))
            else:
                moment = self.when(
                    checkin["sent_at"] or checkin["offered_at"] or checkin["due_at"] or checkin["created_at"]
                )
                history.append(
                    Entry(
                        self.say(
                            "checkins.missed" if checkin["status"] == "missed" else "checkins.pending", date=moment
                        )
                    )
                )
        return self.section("checkins", Group(entries=plan), Group(entries=history))

    def bucket(self) -> Section:
        bucket = guided_content.load("bucket.yml")
        groups = []
        for step in bucket.steps:
            rows = [row for row in self.rows("bucket_items") if row["kind"] == step.id]
            groups.append(Group(step.label, [Entry(str(row["text"]), self._dates(row)) for row in rows]))
        return self.section("bucket", *groups)

    def stuck(self) -> Section:
        questions = guided_content.load("stuck.yml")
        answers: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for answer in sorted(self.rows("reflection_answers"), key=lambda row: row["created_at"]):
            answers[answer["reflection_id"]].append(answer)
        entries = []
        for reflection in sorted(self.rows("reflections"), key=lambda row: row["offered_at"]):
            details = []
            if reflection["declined_at"]:
                details.append(self.say("stuck.declined", date=self.when(reflection["declined_at"])))
            for answer in answers[reflection["id"]]:
                try:
                    asked = " ".join(questions.step(answer["question_id"]).text.split())
                except KeyError:
                    asked = answer["question_id"]
                details.append(f"{asked} {answer['text']}")
            entries.append(Entry(self.say("stuck.offered", date=self.when(reflection["offered_at"])), details))
        for flag in self.rows("review_flags"):
            if flag["person_id"] != self.me:
                continue
            name = self.coordinator(flag["coordinator_id"])
            details = (
                [self.say("stuck.review_done", name=name, date=self.when(flag["cleared_at"]))]
                if flag["cleared_at"]
                else []
            )
            entries.append(Entry(self.say("stuck.review", date=self.when(flag["created_at"]), name=name), details))
        return self.section("stuck", Group(entries=entries))

    def messages(self) -> Section:
        mine = []
        # What they wrote for a care team: as a carer, and as the person (their own messages).
        written = [row for row in self.rows("carer_messages") if row["carer_person_id"] == self.me]
        written += [row for row in self.rows("team_messages") if row["person_id"] == self.me]
        for message in sorted(written, key=lambda row: row["created_at"]):
            name = self.coordinator(message["coordinator_id"])
            details = (
                [self.say("messages.yours_read", name=name, date=self.when(message["read_at"]))]
                if message["read_at"]
                else []
            )
            mine.append(
                Entry(
                    self.say(
                        "messages.yours_line", date=self.when(message["created_at"]), name=name, what=message["text"]
                    ),
                    details,
                )
            )
        notices = [
            Entry(" ".join(str(notice["body"]).split()), [self.when(notice["created_at"])])
            for notice in sorted(self.rows("person_notices"), key=lambda row: row["created_at"])
        ]
        sent = [
            Entry(
                self.say(
                    "messages.sent_line",
                    date=self.when(message["sent_at"] or message["created_at"]),
                    channel=self.channel(message["channel"]),
                    what=" ".join(str(message["body"]).split()),
                )
            )
            for message in sorted(self.rows("outbox_messages"), key=lambda row: row["created_at"])
        ]
        return self.section(
            "messages",
            Group(self.say("messages.yours"), mine),
            Group(self.say("messages.notices"), notices),
            Group(self.say("messages.sent"), sent),
        )

    def staff(self) -> Section:
        entries = []
        for account in self.rows("staff_accounts"):
            entries.append(Entry(self.say("staff.name", name=account["display_name"])))
            entries.append(Entry(self.say("staff.username", name=account["username"])))
            entries.append(Entry(self.say("staff.notify", channel=self.channel(account["notify_channel"]))))
            for text_id, table in (
                ("staff.caseload", "caseload_entries"),
                ("staff.enrolments", "enrolments"),
                ("staff.shared", "share_events"),
                ("staff.reviews", "review_flags"),
            ):
                count = sum(1 for row in self.rows(table) if row["coordinator_id"] == self.me)
                entries.append(Entry(self.say(text_id, count=count)))
        return self.section("staff", Group(entries=entries))

    def other(self) -> Section:
        groups = []
        for table, rows in self.data.tables.items():
            if table in READ_BY_SECTIONS:
                continue
            entries = []
            for row in rows:
                details = [
                    f"{self.words['fields'][name]}: {self._value(value)}"
                    for name, value in row.items()
                    if value is not None and not is_machine_field(name) and name in self.words["fields"]
                ]
                if details:
                    entries.append(Entry(details[0], details[1:]))
            groups.append(Group(str(self.words["other"].get(table, self.say("sections.other"))), entries))
        return self.section("other", *groups)

    def _value(self, value: Any) -> str:
        if isinstance(value, datetime):
            return uk_time(value)
        if isinstance(value, date):
            return uk_date(value)
        return str(getattr(value, "value", value))


def readable_sections(data: PersonalData) -> list[Section]:
    return _Reader(data).sections()


def personal_data_html(data: PersonalData, generated_at: datetime, json_url: str) -> str:
    words = _words()
    reader = _Reader(data)
    conversation = [
        {
            "who": reader.say("you") if line["from"] == "you" else reader.say("alongside"),
            "at": uk_time(line["at"]) if line["at"] else "",
            "text": line["text"],
        }
        for line in data.conversation
    ]
    return render(
        "my_data.html",
        text={key: " ".join(str(value).split()) for key, value in words.items() if isinstance(value, str)},
        sections=reader.sections(),
        conversation_title=reader.say("sections.conversation"),
        conversation=conversation,
        made_at=reader.say("made_at", date=uk_time(generated_at)),
        json_url=json_url,
    )
