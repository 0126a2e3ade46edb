"""`make bench`: Alongside's recipe (config.yml) against Rasa's stock recipe, on the same domain and data.

For each recipe, one after the other on this machine:

1. train the whole model, timed (`train_s`), with an empty training cache of its own so nothing
   is reused from an earlier run;
2. train the NLU alone on 80% of bot/data/nlu (stratified by intent, fixed seed) and score the
   other 20%: `nlu_macro_f1` and F1 per intent; then the external intents file
   (../shared/eval/external/intents.tsv, skipped when absent), each message the first of a fresh
   conversation through the whole trained model: `external_on_topic_rate` and
   `external_dead_end_rate` (bench/nlu_quality.py, which also runs alone);
3. start the real action server (`python -m bot.action_server --port N`, with the shared key) and
   the real rasa server (`rasa run`, endpoints.yml and credentials.yml as `make run` uses them)
   on a fresh database of the bench's own (var/bench/<recipe>.db, migrated), and time from
   starting the rasa server to its first reply over the REST channel (`cold_start_s`);
4. one conversation at a time: the scripted mix of WRAP, information and consent turns below,
   `turn_p50_ms`, `turn_p95_ms`;
5. 20 conversations at once, each going through the script: `throughput_c20` (turns a second)
   and `p95_c20_ms`, and the CPU time each server spent per turn meanwhile;
6. `rss_mb`: the rasa server's peak resident memory, children included, sampled all along.

Then one table, the ratios, each target met or missed and by how much; everything also goes to
var/bench.json as {"project": {...}, "stock": {...}}. Logs of every process: var/bench/logs/.

    .venv/bin/python bench/run.py [--quick] [--recipes project,stock]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.chdir(ROOT)  # config.yml names the spaCy pipeline by a path relative to the root

from bench.nlu_quality import make_split  # noqa: E402
from bot import launcher  # noqa: E402
from bot.settings import VAR_DIR, get_settings  # noqa: E402

BENCH_DIR = VAR_DIR / "bench"
LOG_DIR = BENCH_DIR / "logs"
RESULTS = VAR_DIR / "bench.json"
DOMAIN_DIR = VAR_DIR / "build" / "domain"
DATA_DIR = ROOT / "bot" / "data"
RECIPES = {"project": ROOT / "config.yml", "stock": ROOT / "bench" / "stock_config.yml"}
CONCURRENCY = 20

# One person's conversation: a greeting, information, a WRAP section (saved as it goes), and
# consent (who can see my plan, sharing with a coordinator they do not have yet).
SCRIPT = [
    "hello",
    "for me",
    "what does a care coordinator do?",
    "I want to write down my triggers",
    "crowds, arguments and payday",
    "loud music",
    "that's all",
    "later",
    "who can see my plan?",
    "share my triggers with my coordinator",
    "what is a WRAP?",
    "show my triggers",
]

TARGETS = {
    "turn_p50_ms": "single-conversation turn_p50_ms <= 20",
    "throughput_c20": "throughput_c20 >= 100 and >= 4x stock",
    "nlu_macro_f1": "nlu_macro_f1 >= stock",
    "nlu_macro_f1_issue18": "nlu_macro_f1 >= 0.90 (issue 18)",
    "external_on_topic_rate": "external_on_topic_rate >= 90% (issue 18)",
    "external_dead_end_rate": "external_dead_end_rate <= 2% (issue 18)",
    "cold_start_s": "cold_start_s <= 15",
    "rss_mb": "rss_mb <= 800",
}


def say(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(database_url: str, settings) -> dict[str, str]:
    env = launcher.child_environment(settings)
    env.update(
        {"DATABASE_URL": database_url, "RASA_PORT": str(settings.rasa_port), "ACTION_PORT": str(settings.action_port)}
    )
    for name in ("REDIS_URL", "SANIC_WORKERS"):  # the default profile: one server, no Redis
        env.pop(name, None)
    return env


def run_with_progress(command: list[str], label: str, log: Path, env: dict[str, str] | None = None) -> float:
    """Run a command, its output to `log`, saying every 15 s that it is still going. Seconds taken."""
    started = time.monotonic()
    with log.open("w") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        while True:
            try:
                process.wait(timeout=15)
                break
            except subprocess.TimeoutExpired:
                say(f"  {label}: {time.monotonic() - started:.0f} s so far...")
    if process.returncode != 0:
        raise RuntimeError(f"{label} failed (exit {process.returncode}); see {log}")
    return time.monotonic() - started


# -- training and NLU ---------------------------------------------------------------------------


def split_nlu() -> tuple[Path, Path]:
    from rasa.shared.nlu.training_data.loading import load_data

    from bench.nlu_quality import SPLIT_SEED

    train, test = make_split(BENCH_DIR / "split")
    say(
        f"NLU split: {len(load_data(str(train)).intent_examples)} examples to train on, "
        f"{len(load_data(str(test)).intent_examples)} held out (seed {SPLIT_SEED})."
    )
    return train, test


def fresh_cache_env(name: str) -> dict[str, str]:
    cache = BENCH_DIR / f"cache-{name}"
    shutil.rmtree(cache, ignore_errors=True)
    return {
        **os.environ,
        "RASA_CACHE_DIRECTORY": str(cache),
        "RASA_TELEMETRY_ENABLED": "false",
        "TF_CPP_MIN_LOG_LEVEL": "2",
    }


def train(name: str, config: Path) -> tuple[Path, float]:
    models = BENCH_DIR / "models"
    model = models / f"bench-{name}.tar.gz"
    model.unlink(missing_ok=True)
    say(f"{name}: training the whole model ({config.relative_to(ROOT)})...")
    seconds = run_with_progress(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "--config",
            str(config),
            "--domain",
            str(DOMAIN_DIR),
            "--data",
            str(DATA_DIR),
            "--out",
            str(models),
            "--fixed-model-name",
            f"bench-{name}",
        ],
        f"{name} training",
        LOG_DIR / f"train-{name}.log",
        fresh_cache_env(name),
    )
    say(f"{name}: trained in {seconds:.1f} s.")
    return model, seconds


def nlu_quality(name: str, config: Path, model: Path, train_file: Path, test_file: Path) -> dict:
    """Held-out F1 of an NLU trained on the 80%, and the external intents through `model`."""
    models = BENCH_DIR / "models"
    say(f"{name}: training the NLU on the 80% split...")
    run_with_progress(
        [
            sys.executable,
            "-m",
            "rasa",
            "train",
            "nlu",
            "--config",
            str(config),
            "--domain",
            str(DOMAIN_DIR),
            "--nlu",
            str(train_file),
            "--out",
            str(models),
            "--fixed-model-name",
            f"bench-nlu-{name}",
        ],
        f"{name} NLU training",
        LOG_DIR / f"train-nlu-{name}.log",
        fresh_cache_env(f"nlu-{name}"),
    )
    say(f"{name}: scoring the held-out 20%, then the external intents through the whole model...")
    output = BENCH_DIR / f"quality-{name}.json"
    output.unlink(missing_ok=True)
    log = LOG_DIR / f"nlu-quality-{name}.log"
    # In a process of its own, so a TensorFlow model's memory and threads never sit in this one.
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "nlu_quality.py"),
            *("--nlu-model", str(models / f"bench-nlu-{name}.tar.gz"), "--test-file", str(test_file)),
            *("--model", str(model), "--label", f"bench-{name}", "--json", str(output)),
        ],
        cwd=ROOT,
        env=fresh_cache_env(f"eval-{name}"),
        capture_output=True,
        text=True,
    )
    log.write_text(result.stdout + result.stderr)
    if result.returncode != 0 or not output.exists():
        raise RuntimeError(f"NLU scoring failed; see {log}")
    print(result.stdout.rstrip(), flush=True)  # counts, rates and intent names only, never a message
    return json.loads(output.read_text())


# -- memory -------------------------------------------------------------------------------------


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):  # the process ended while we looked
                todo += [int(child) for child in children.read_text().split()]
    return found


def _rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) used so far by a process and its children."""
    total = 0
    for member in _descendants(pid):
        try:
            fields = Path(f"/proc/{member}/stat").read_text().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return total / os.sysconf("SC_CLK_TCK")


class PeakMemory(threading.Thread):
    """Samples the resident memory of a process and all its children every 0.2 s."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak_kb, self.stopped = pid, 0, threading.Event()

    def run(self) -> None:
        while not self.stopped.is_set():
            self.peak_kb = max(self.peak_kb, sum(_rss_kb(pid) for pid in _descendants(self.pid)))
            self.stopped.wait(0.2)

    def stop(self) -> float:
        self.stopped.set()
        self.join()
        return self.peak_kb / 1024


# -- servers ------------------------------------------------------------------------------------


def _post(url: str, sender: str, text: str, timeout: float = 30) -> list:
    request = urllib.request.Request(
        url, data=json.dumps({"sender": sender, "message": text}).encode(), headers={"Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read())


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@dataclasses.dataclass
class Servers:
    action: subprocess.Popen
    rasa: subprocess.Popen
    url: str
    cold_start_s: float
    memory: PeakMemory

    def stop(self) -> float:
        peak = self.memory.stop()
        _stop(self.rasa)
        _stop(self.action)
        return peak


def start_servers(name: str, model: Path, database_url: str) -> Servers:
    settings = dataclasses.replace(get_settings(), rasa_port=launcher_free_port(), action_port=launcher_free_port())
    settings = dataclasses.replace(settings, action_server_url=f"http://localhost:{settings.action_port}/webhook")
    env = environment(database_url, settings)
    action_process = launcher.action_server(settings)
    action = subprocess.Popen(
        action_process.argv,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(LOG_DIR / f"action-{name}.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(action_process.ready_url, timeout=2).close()
            break
        except OSError as error:
            if action.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"The action server did not start; see {LOG_DIR / f'action-{name}.log'}") from error
            time.sleep(0.2)
    say(f"{name}: action server ready; starting the rasa server...")
    rasa_process = launcher.rasa_server(settings, model)
    url = f"http://127.0.0.1:{settings.rasa_port}/webhooks/rest/webhook"
    started = time.monotonic()
    rasa = subprocess.Popen(
        rasa_process.argv,
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=(LOG_DIR / f"rasa-{name}.log").open("w"),
        stderr=subprocess.STDOUT,
    )
    memory = PeakMemory(rasa.pid)
    memory.start()
    while True:
        try:
            if _post(url, "bench-cold-start", "hello", timeout=30):
                break
        except (OSError, ValueError):
            pass
        if rasa.poll() is not None or time.monotonic() - started > 300:
            _stop(action)
            raise RuntimeError(f"The rasa server did not answer; see {LOG_DIR / f'rasa-{name}.log'}")
        time.sleep(0.1)
    cold = time.monotonic() - started
    say(f"{name}: first reply {cold:.1f} s after starting the rasa server.")
    return Servers(action, rasa, url, cold, memory)


def launcher_free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# -- load ---------------------------------------------------------------------------------------


@dataclasses.dataclass
class Turns:
    latencies_ms: list[float] = dataclasses.field(default_factory=list)
    errors: int = 0
    empty: int = 0


async def conversation(session, url: str, sender: str, turns: Turns, progress: list[int]) -> None:
    for text in SCRIPT:
        started = time.perf_counter()
        try:
            async with session.post(url, json={"sender": sender, "message": text}) as answer:
                body = await answer.json(content_type=None)
                ok = answer.status == 200
        except Exception:
            ok, body = False, None
        turns.latencies_ms.append((time.perf_counter() - started) * 1000)
        if not ok:
            turns.errors += 1
        elif not any(reply.get("text") for reply in body or []):
            turns.empty += 1
        progress[0] += 1


async def _load(url: str, name: str, conversations: int, concurrency: int) -> tuple[Turns, float]:
    import aiohttp

    turns, progress = Turns(), [0]
    total = conversations * len(SCRIPT)
    run_id = uuid.uuid4().hex[:8]
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(conversations):
        queue.put_nowait(number)

    async def client(session) -> None:
        while not queue.empty():
            number = queue.get_nowait()
            await conversation(session, url, f"bench-{name}-{run_id}-{concurrency}-{number}", turns, progress)

    async def report() -> None:
        while progress[0] < total:
            await asyncio.sleep(5)
            say(f"  {name}, {concurrency} at once: {progress[0]}/{total} turns")

    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(timeout=timeout, connector=aiohttp.TCPConnector(limit=concurrency)) as session:
        reporter = asyncio.create_task(report())
        started = time.perf_counter()
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
        wall = time.perf_counter() - started
        reporter.cancel()
    return turns, wall


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def measure(name: str, config: Path, split: tuple[Path, Path], quick: bool) -> dict:
    from bot.store.migrate import upgrade_to_head

    model, train_s = train(name, config)
    quality = nlu_quality(name, config, model, *split)
    scores, outside = quality["heldout"], quality.get("external")
    database = BENCH_DIR / f"{name}.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{database}{suffix}").unlink(missing_ok=True)
    database_url = f"sqlite:///{database}"
    upgrade_to_head(database_url)
    servers = start_servers(name, model, database_url)
    try:
        say(f"{name}: one conversation at a time...")
        asyncio.run(_load(servers.url, f"{name}-warmup", 1, 1))
        single, _ = asyncio.run(_load(servers.url, name, 2 if quick else 6, 1))
        say(f"{name}: {CONCURRENCY} conversations at once...")
        cpu_before = cpu_seconds(servers.rasa.pid), cpu_seconds(servers.action.pid)
        loaded, wall = asyncio.run(_load(servers.url, name, CONCURRENCY if quick else CONCURRENCY * 2, CONCURRENCY))
        cpu_after = cpu_seconds(servers.rasa.pid), cpu_seconds(servers.action.pid)
    finally:
        rss_mb = servers.stop()
    result = {
        "train_s": round(train_s, 1),
        "cold_start_s": round(servers.cold_start_s, 1),
        "rss_mb": round(rss_mb),
        "turn_p50_ms": round(statistics.median(single.latencies_ms), 1),
        "turn_p95_ms": round(percentile(single.latencies_ms, 0.95), 1),
        "throughput_c20": round(len(loaded.latencies_ms) / wall, 1),
        "p95_c20_ms": round(percentile(loaded.latencies_ms, 0.95), 1),
        "nlu_macro_f1": scores["macro_f1"],
        "nlu_accuracy": scores["accuracy"],
        "nlu_lowest_f1": scores["lowest_f1"],
        "nlu_per_intent_f1": {intent: score["f1"] for intent, score in scores["per_intent"].items()},
        # None when ../shared/eval/external/intents.tsv is absent.
        "external_messages": outside["messages"] if outside else None,
        "external_on_topic_rate": outside["on_topic_rate"] if outside else None,
        "external_dead_end_rate": outside["dead_end_rate"] if outside else None,
        "external_did_you_mean_rate": outside["did_you_mean_rate"] if outside else None,
        "turns_single": len(single.latencies_ms),
        "turns_c20": len(loaded.latencies_ms),
        # CPU each server spent per turn while 20 conversations ran (what bounds throughput).
        "rasa_cpu_ms_per_turn": round((cpu_after[0] - cpu_before[0]) * 1000 / len(loaded.latencies_ms), 1),
        "action_cpu_ms_per_turn": round((cpu_after[1] - cpu_before[1]) * 1000 / len(loaded.latencies_ms), 1),
        "turn_errors": single.errors + loaded.errors,
        "empty_replies": single.empty + loaded.empty,
        "load_average_after": round(os.getloadavg()[0], 2),
    }
    brief = {key: value for key, value in result.items() if key != "nlu_per_intent_f1"}
    say(f"{name}: done: {json.dumps(brief)}")
    return result


# -- report -------------------------------------------------------------------------------------

COLUMNS = [
    ("train_s", "training (s)"),
    ("cold_start_s", "cold start (s)"),
    ("rss_mb", "peak RSS (MB)"),
    ("turn_p50_ms", "turn p50 (ms)"),
    ("turn_p95_ms", "turn p95 (ms)"),
    ("throughput_c20", "turns/s, 20 at once"),
    ("p95_c20_ms", "p95, 20 at once (ms)"),
    ("nlu_macro_f1", "NLU macro F1"),
    ("external_on_topic_rate", "external on topic"),
    ("external_dead_end_rate", "external dead ends"),
    ("rasa_cpu_ms_per_turn", "rasa CPU/turn (ms)"),
    ("action_cpu_ms_per_turn", "action CPU/turn (ms)"),
]


def table(results: dict) -> str:
    names = [name for name in ("project", "stock") if name in results]
    lines = [
        f"| {'measure':<22} | "
        + " | ".join(f"{name:>9}" for name in names)
        + (" | project/stock |" if len(names) == 2 else " |")
    ]
    lines.append(
        "|" + "-" * 24 + "|" + "|".join("-" * 11 for _ in names) + ("|---------------|" if len(names) == 2 else "|")
    )
    for key, label in COLUMNS:
        values = [results[name].get(key) for name in names]
        row = f"| {label:<22} | " + " | ".join(f"{'-' if value is None else value:>9}" for value in values)
        if len(names) == 2:
            project, stock = values
            ratio = f"{project / stock:.2f}x" if stock and project is not None else "-"
            row += f" | {ratio:>13}"
        lines.append(row + " |")
    return "\n".join(lines)


def verdicts(results: dict) -> list[str]:
    project, stock = results.get("project"), results.get("stock")
    if project is None:
        return []

    def line(met: bool, what: str, detail: str) -> str:
        return f"  {'met   ' if met else 'MISSED'} {what}: {detail}"

    out = [
        line(
            project["turn_p50_ms"] <= 20,
            TARGETS["turn_p50_ms"],
            f"{project['turn_p50_ms']} ms ({project['turn_p50_ms'] - 20:+.1f} ms against 20)",
        ),
        line(
            project["cold_start_s"] <= 15,
            TARGETS["cold_start_s"],
            f"{project['cold_start_s']} s ({project['cold_start_s'] - 15:+.1f} s against 15)",
        ),
        line(
            project["rss_mb"] <= 800,
            TARGETS["rss_mb"],
            f"{project['rss_mb']} MB ({project['rss_mb'] - 800:+d} MB against 800)",
        ),
    ]
    throughput = project["throughput_c20"]
    if stock:
        ratio = throughput / stock["throughput_c20"] if stock["throughput_c20"] else float("inf")
        out.insert(
            1,
            line(
                throughput >= 100 and ratio >= 4,
                TARGETS["throughput_c20"],
                f"{throughput}/s ({throughput - 100:+.1f} against 100), {ratio:.2f}x stock (target 4x)",
            ),
        )
        out.insert(
            2,
            line(
                project["nlu_macro_f1"] >= stock["nlu_macro_f1"],
                TARGETS["nlu_macro_f1"],
                f"{project['nlu_macro_f1']:.3f} against {stock['nlu_macro_f1']:.3f} "
                f"({project['nlu_macro_f1'] - stock['nlu_macro_f1']:+.3f})",
            ),
        )
    else:
        out.insert(1, line(throughput >= 100, "throughput_c20 >= 100 (stock not run)", f"{throughput}/s"))
    out.append(
        line(
            project["nlu_macro_f1"] >= 0.9,
            TARGETS["nlu_macro_f1_issue18"],
            f"{project['nlu_macro_f1']:.3f} ({project['nlu_macro_f1'] - 0.9:+.3f} against 0.90)",
        )
    )
    on_topic, dead_ends = project.get("external_on_topic_rate"), project.get("external_dead_end_rate")
    if on_topic is None or dead_ends is None:
        out.append("  skipped external intents: ../shared/eval/external/intents.tsv is absent")
    else:
        out.append(line(on_topic >= 0.9, TARGETS["external_on_topic_rate"], f"{on_topic:.1%}"))
        out.append(line(dead_ends <= 0.02, TARGETS["external_dead_end_rate"], f"{dead_ends:.1%}"))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer turns (to try the bench itself)")
    parser.add_argument("--recipes", default="project,stock", help="which to run (default project,stock)")
    arguments = parser.parse_args(argv)
    names = [name.strip() for name in arguments.recipes.split(",") if name.strip()]
    unknown = set(names) - set(RECIPES)
    if unknown:
        parser.error(f"unknown recipe(s): {', '.join(sorted(unknown))}")
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    say(f"Bench on {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f}. Logs in {LOG_DIR.relative_to(ROOT)}/.")
    say("Preparing (spaCy pipeline, domain, content check)...")
    run_with_progress([sys.executable, "-m", "bot", "prepare"], "prepare", LOG_DIR / "prepare.log")
    split = split_nlu()
    results = {}
    for name in names:
        results[name] = measure(name, RECIPES[name], split, arguments.quick)
    if RESULTS.exists() and set(names) != set(RECIPES):  # keep the other recipe's last numbers
        results = {**json.loads(RESULTS.read_text()), **results}
    RESULTS.write_text(json.dumps({name: results[name] for name in RECIPES if name in results}, indent=2) + "\n")
    print()
    print(table(results))
    for name in names:
        lowest = ", ".join(f"{intent} {f1:.2f}" for intent, f1 in results[name].get("nlu_lowest_f1", []))
        print(f"{name}: lowest per-intent F1 on the held-out split: {lowest}")
    if "stock" in results and "project" in results:
        project, stock = results["project"], results["stock"]
        print(
            f"\nProject against stock: {project['throughput_c20'] / stock['throughput_c20']:.2f}x the throughput, "
            f"{stock['turn_p50_ms'] / project['turn_p50_ms']:.2f}x faster turns, "
            f"{stock['train_s'] / project['train_s']:.1f}x faster training, "
            f"{stock['rss_mb'] / project['rss_mb']:.2f}x less memory."
        )
    print("\nTargets (this machine):")
    print("\n".join(verdicts(results)))
    problems = sum(results[name]["turn_errors"] + results[name]["empty_replies"] for name in names)
    if problems:
        print(f"\nWarning: {problems} turns failed or got no reply (see var/bench/logs/).")
    print(f"\nWritten to {RESULTS.relative_to(ROOT)}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
