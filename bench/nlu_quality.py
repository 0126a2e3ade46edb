"""How well Alongside understands: held-out NLU F1 (macro and per intent) and external first messages.

1. **Held-out split.** bot/data/nlu split by Rasa's stratified `train_test_split` (80%, seed 7,
   the same split `make bench` has always used); an NLU trained on the 80% alone scores the
   other 20%: intent macro F1, accuracy, and F1 per intent (`nlu_fallback` counts as wrong).
2. **External intents** (`../shared/eval/external/intents.tsv`, other projects' chatbot data and
   counselling questions; evaluation only, never trained on or copied here): each message is the
   first message of a fresh conversation through the whole agent (NLU, crisis detector, policies,
   the real actions in process, a database of its own). The reply is judged on topic by
   bench/external_topics.yml; a dead end is the "didn't understand" fallback with nothing to
   offer, and "Did you mean...?" (the fallback's first stage) is counted apart. Only counts and
   rates are printed, never a message. Skipped, with a note, when the file is absent.

Alone, against the current model (`python -m bot prepare` trains or reuses it under models/;
the 80% NLU is trained once into var/bench/models/ and reused while its inputs are unchanged):

    .venv/bin/python bench/nlu_quality.py [--only heldout|external] [--json OUT]

As `make bench` (bench/run.py) calls it, with the models it trained for one recipe:

    .venv/bin/python bench/nlu_quality.py --nlu-model M --test-file T --model FULL --label NAME --json OUT
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BENCH_VAR = ROOT / "var" / "bench"
TOPICS_PATH = Path(__file__).resolve().parent / "external_topics.yml"
EXTERNAL_PATH = ROOT.parent / "shared" / "eval" / "external" / "intents.tsv"
SPLIT_SEED = 7
TRAIN_FRACTION = 0.8
LOWEST = 5

ON_TOPIC, DID_YOU_MEAN, DEAD_END, OFF_TOPIC = "on_topic", "did_you_mean", "dead_end", "off_topic"
OUTCOMES = (ON_TOPIC, DID_YOU_MEAN, DEAD_END, OFF_TOPIC)
FALLBACK_ACTION = "action_fallback"  # bot/actions/fallback.py
SOMETHING_ELSE = "out_of_scope"  # the "Something else" button of the first stage, not a guess
CRISIS_REPLIES = frozenset({"utter_crisis", "utter_possible_risk"})


# -- pure parts (tested in tests/unit/bench, no model) ------------------------------------------


@dataclass(frozen=True)
class IntentScore:
    precision: float
    recall: float
    f1: float
    support: int


def intent_scores(truth: Sequence[str], predicted: Sequence[str]) -> dict[str, IntentScore]:
    """Precision, recall and F1 of each intent that is in `truth` (as scikit-learn's
    `f1_score(labels=sorted(set(truth)), zero_division=0)`): a prediction of anything else,
    `nlu_fallback` included, is a miss for the true intent and a false alarm for none."""
    if len(truth) != len(predicted):
        raise ValueError(f"{len(truth)} true intents but {len(predicted)} predictions")
    pairs = list(zip(truth, predicted, strict=True))
    scores = {}
    for intent in sorted(set(truth)):
        hits = sum(1 for true, guess in pairs if true == intent and guess == intent)
        support = sum(1 for true, _ in pairs if true == intent)
        claimed = sum(1 for _, guess in pairs if guess == intent)
        precision = hits / claimed if claimed else 0.0
        recall = hits / support
        f1 = 2 * hits / (support + claimed)
        scores[intent] = IntentScore(round(precision, 4), round(recall, 4), round(f1, 4), support)
    return scores


def macro_f1(scores: Mapping[str, IntentScore]) -> float:
    return round(sum(score.f1 for score in scores.values()) / len(scores), 4) if scores else 0.0


def lowest_f1(scores: Mapping[str, IntentScore], count: int = LOWEST) -> list[tuple[str, float]]:
    """The `count` intents with the lowest F1, lowest first (ties by name)."""
    return [(intent, score.f1) for intent, score in sorted(scores.items(), key=lambda item: (item[1].f1, item[0]))][
        :count
    ]


@dataclass(frozen=True)
class TopicTable:
    topics: dict[str, frozenset[str]]
    dead_end: frozenset[str]


def load_topic_table(path: Path = TOPICS_PATH) -> TopicTable:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    topics = {str(topic): frozenset(map(str, names or [])) for topic, names in (data.get("topics") or {}).items()}
    if not topics:
        raise ValueError(f"{path}: topics: needs at least one topic")
    return TopicTable(topics, frozenset(map(str, data.get("dead_end") or [])))


@dataclass(frozen=True)
class Turn:
    """What Alongside did with one message, by name only (never the text)."""

    intent: str | None
    names: frozenset[str]  # actions run and responses said
    fallback_guesses: tuple[str, ...] | None = None  # intents offered by "Did you mean...?", if it was asked


def turn_from_events(events: Iterable[Mapping[str, Any]]) -> Turn:
    """The last user message's turn from a tracker's events (`event.as_dict()`)."""
    intent: str | None = None
    names: set[str] = set()
    guesses: list[str] = []
    asked = False
    for event in events:
        kind = event.get("event")
        if kind == "user":
            intent, names, guesses, asked = (
                ((event.get("parse_data") or {}).get("intent") or {}).get("name"),
                set(),
                [],
                False,
            )
        elif kind == "action" and event.get("name") not in (None, "action_listen"):
            names.add(str(event["name"]))
        elif kind == "bot":
            response = (event.get("metadata") or {}).get("utter_action")
            if response:
                names.add(str(response))
            buttons = (event.get("data") or {}).get("buttons") or []
            if FALLBACK_ACTION in names and buttons:
                asked = True
                guesses += [
                    str(button.get("payload", "")).lstrip("/")
                    for button in buttons
                    if str(button.get("payload", "")).lstrip("/") != SOMETHING_ELSE
                ]
    return Turn(intent, frozenset(names), tuple(guesses) if asked else None)


def judge(topic: str, turn: Turn, table: TopicTable) -> str:
    """on_topic, did_you_mean (the fallback's first stage), dead_end or off_topic."""
    if turn.names & table.dead_end or (FALLBACK_ACTION in turn.names and turn.fallback_guesses is None):
        return DEAD_END
    if turn.fallback_guesses is not None:
        return DID_YOU_MEAN
    on_topic = table.topics.get(topic, frozenset())
    return ON_TOPIC if ({turn.intent} | turn.names) & on_topic else OFF_TOPIC


def read_external(path: Path) -> list[tuple[str, str]] | None:
    """(text, topic) for each row of a tab-separated file with `text` and `topic` columns;
    None when the file is absent."""
    if not path.is_file():
        return None
    lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    if not lines:
        return []
    header = lines[0].split("\t")
    if "text" not in header or "topic" not in header:
        raise ValueError(f"{path}: the first line must name the columns text and topic")
    text_at, topic_at = header.index("text"), header.index("topic")
    rows = []
    for number, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) <= max(text_at, topic_at):
            raise ValueError(f"{path}: line {number} has {len(cells)} columns")
        rows.append((cells[text_at], cells[topic_at]))
    return rows


def summarise(judged: Sequence[tuple[str, str, Turn]], table: TopicTable) -> dict[str, Any]:
    """Counts and rates of (topic, outcome, turn) results: overall, by topic, and the intents
    recognised for each topic. Names and numbers only."""
    total = len(judged)
    counts = Counter(outcome for _, outcome, _ in judged)
    by_topic: dict[str, dict[str, int]] = {}
    intents: dict[str, Counter[str]] = {}
    for topic, outcome, turn in judged:
        row = by_topic.setdefault(topic, dict.fromkeys((*OUTCOMES, "messages"), 0))
        row[outcome] += 1
        row["messages"] += 1
        intents.setdefault(topic, Counter())[turn.intent or "None"] += 1

    def rate(count: int) -> float:
        return round(count / total, 4) if total else 0.0

    helpful_guess = sum(
        1
        for topic, outcome, turn in judged
        if outcome == DID_YOU_MEAN and set(turn.fallback_guesses or ()) & table.topics.get(topic, frozenset())
    )
    return {
        "messages": total,
        **{outcome: counts[outcome] for outcome in OUTCOMES},
        "on_topic_rate": rate(counts[ON_TOPIC]),
        "dead_end_rate": rate(counts[DEAD_END]),
        "did_you_mean_rate": rate(counts[DID_YOU_MEAN]),
        "did_you_mean_with_an_on_topic_guess": helpful_guess,
        "crisis_replies": sum(1 for _, _, turn in judged if turn.names & CRISIS_REPLIES),
        "unknown_topics": sorted({topic for topic, _, _ in judged} - set(table.topics)),
        "by_topic": dict(sorted(by_topic.items())),
        "intents_by_topic": {topic: dict(counter.most_common()) for topic, counter in sorted(intents.items())},
    }


def external_report(summary: Mapping[str, Any]) -> str:
    lines = [
        f"External intents: {summary['messages']} first messages: on topic {summary['on_topic_rate']:.1%} "
        f"({summary[ON_TOPIC]}), dead ends {summary['dead_end_rate']:.1%} ({summary[DEAD_END]}), "
        f'"Did you mean...?" {summary["did_you_mean_rate"]:.1%} ({summary[DID_YOU_MEAN]}, '
        f"{summary['did_you_mean_with_an_on_topic_guess']} offering an on-topic guess), off topic "
        f"{summary[OFF_TOPIC]}, crisis replies {summary['crisis_replies']}.",
        f"  {'topic':<22} {'messages':>8} {'on topic':>8} {'did you mean':>12} {'dead end':>8} {'off topic':>9}",
    ]
    for topic, row in summary["by_topic"].items():
        lines.append(
            f"  {topic:<22} {row['messages']:>8} {row[ON_TOPIC]:>8} {row[DID_YOU_MEAN]:>12} "
            f"{row[DEAD_END]:>8} {row[OFF_TOPIC]:>9}"
        )
    if summary["unknown_topics"]:
        lines.append(
            f"  Not in bench/external_topics.yml (all counted off topic): {', '.join(summary['unknown_topics'])}"
        )
    return "\n".join(lines)


def heldout_report(result: Mapping[str, Any]) -> str:
    lines = [
        f"Held-out NLU: macro F1 {result['macro_f1']:.3f}, accuracy {result['accuracy']:.3f} "
        f"({result['examples']} messages, {result['intents']} intents; {result['predicted_nlu_fallback']} predicted "
        "nlu_fallback). Per intent (F1, support), lowest first:"
    ]
    ordered = sorted(result["per_intent"].items(), key=lambda item: (item[1]["f1"], item[0]))
    lines += [f"  {intent:<28} {score['f1']:.3f} ({score['support']})" for intent, score in ordered]
    return "\n".join(lines)


# -- with Rasa ----------------------------------------------------------------------------------


def make_split(out_dir: Path = BENCH_VAR / "split") -> tuple[Path, Path]:
    """bot/data/nlu split 80/20 (stratified by intent, seed 7) into train.yml and test.yml."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(ROOT / "bot" / "data" / "nlu"))
    train, test = data.train_test_split(train_frac=TRAIN_FRACTION, random_seed=SPLIT_SEED)
    out_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "train.yml").write_text(train.nlu_as_yaml(), encoding="utf-8")
    (out_dir / "test.yml").write_text(test.nlu_as_yaml(), encoding="utf-8")
    return out_dir / "train.yml", out_dir / "test.yml"


def train_split_nlu(config: Path, train_file: Path, fingerprint: str) -> Path:
    """The NLU trained on the 80% alone, reused while the model's inputs and the split are unchanged."""
    digest = hashlib.sha256(fingerprint.encode() + config.read_bytes() + train_file.read_bytes()).hexdigest()[:16]
    models = BENCH_VAR / "models"
    model = models / f"quality-nlu-{digest}.tar.gz"
    if model.exists():
        return model
    print(f"Training the NLU on the 80% split ({model.name})...", flush=True)
    command = [sys.executable, "-m", "rasa", "train", "nlu", "--config", str(config)]
    command += ["--domain", str(ROOT / "var" / "build" / "domain"), "--nlu", str(train_file)]
    command += ["--out", str(models), "--fixed-model-name", model.name.removesuffix(".tar.gz")]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    return model


async def heldout(nlu_model: Path, test_file: Path) -> dict[str, Any]:
    from rasa.core.agent import Agent
    from rasa.shared.nlu.training_data.loading import load_data

    examples = [example for example in load_data(str(test_file)).intent_examples if example.get("text")]
    agent = Agent.load(str(nlu_model))
    truth = [str(example.get("intent")) for example in examples]
    predicted = []
    for example in examples:
        parsed = await agent.parse_message(example.get("text"))
        predicted.append(str((parsed.get("intent") or {}).get("name") or "None"))
    scores = intent_scores(truth, predicted)
    return {
        "macro_f1": macro_f1(scores),
        "accuracy": round(sum(t == p for t, p in zip(truth, predicted, strict=True)) / len(truth), 4) if truth else 0.0,
        "examples": len(truth),
        "intents": len(scores),
        "predicted_nlu_fallback": predicted.count("nlu_fallback"),
        "lowest_f1": lowest_f1(scores),
        "per_intent": {intent: vars(score) for intent, score in scores.items()},
    }


async def external(model: Path, rows: Sequence[tuple[str, str]], table: TopicTable) -> dict[str, Any]:
    """Each row's text as the first message of a fresh conversation, through the whole agent."""
    from rasa.core.agent import Agent

    from bot.store.tracker_store import AlongsideTrackerStore
    from tests.support.in_process import Conversation, InProcessActionEndpoint

    agent = Agent.load(str(model), action_endpoint=InProcessActionEndpoint(), tracker_store=AlongsideTrackerStore())
    judged = []
    for text, topic in rows:
        conversation = Conversation(agent, sender_id=f"quality-{uuid.uuid4()}")
        await conversation.say(text)
        turn = turn_from_events(event.as_dict() for event in (await conversation.tracker()).events)
        judged.append((topic, judge(topic, turn, table), turn))
    return summarise(judged, table)


def _own_database(label: str) -> None:
    """A fresh database, sinks and quiet logs for this process, before any bot module reads settings."""
    BENCH_VAR.mkdir(parents=True, exist_ok=True)
    database = BENCH_VAR / f"quality-{label}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["SMS_SINK_PATH"] = str(BENCH_VAR / f"quality-{label}-sms.jsonl")
    os.environ["EMAIL_SINK_PATH"] = str(BENCH_VAR / f"quality-{label}-email.jsonl")
    os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import logging
    import warnings

    import structlog

    warnings.filterwarnings("ignore")  # Rasa's and its libraries' deprecation notes, not results
    logging.basicConfig(level=logging.WARNING)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.WARNING))


def _write(path: Path | None, results: Mapping[str, Any]) -> None:
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nlu-model", type=Path, help="an NLU trained on the 80%% split (default: train or reuse one)")
    parser.add_argument("--test-file", type=Path, help="the held-out 20%% (default: var/bench/split/test.yml, remade)")
    parser.add_argument("--model", type=Path, help="the whole model (default: the current one, as `bot prepare`)")
    parser.add_argument("--config", type=Path, default=ROOT / "config.yml", help="recipe for the 80%% NLU")
    parser.add_argument("--external", type=Path, default=EXTERNAL_PATH, help="external intents file (tab-separated)")
    parser.add_argument("--only", choices=("heldout", "external"), help="measure one part only")
    parser.add_argument("--label", default="project", help="names this run's database and JSON")
    parser.add_argument("--json", type=Path, help="also write the results here")
    arguments = parser.parse_args(argv)
    rows = None if arguments.only == "heldout" else read_external(arguments.external)
    skip_note = f"External intents: skipped, {arguments.external} is absent."
    results: dict[str, Any] = {}
    if arguments.only == "external" and rows is None:  # nothing to measure: no model, no database
        print(skip_note, flush=True)
        _write(arguments.json, {"external": None})
        return 0
    os.chdir(ROOT)  # config.yml names the spaCy pipeline by a path relative to the root
    sys.path.insert(0, str(ROOT))
    _own_database(arguments.label)

    from bot.build import train_if_needed, training_fingerprint
    from bot.store.migrate import upgrade_to_head

    model = arguments.model or train_if_needed(quiet=True)  # also builds the domain
    if arguments.only != "external":
        test_file = arguments.test_file
        nlu_model = arguments.nlu_model
        if test_file is None or nlu_model is None:
            train_file, made_test = make_split()
            test_file = test_file or made_test
            nlu_model = nlu_model or train_split_nlu(arguments.config, train_file, training_fingerprint())
        results["heldout"] = asyncio.run(heldout(nlu_model, test_file))
        print(heldout_report(results["heldout"]), flush=True)
    if arguments.only != "heldout":
        if rows is None:
            results["external"] = None
            print(skip_note, flush=True)
        else:
            upgrade_to_head(os.environ["DATABASE_URL"])
            results["external"] = asyncio.run(external(model, rows, load_topic_table()))
            print(external_report(results["external"]), flush=True)
    _write(arguments.json, results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
