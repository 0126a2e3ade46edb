"""Command line: `python -m bot <command>`. The Makefile calls these; so can you.

prepare   build the spaCy pipeline and domain, train if needed, migrate the database
run       prepare, then start every process (rasa server, action server, worker) until Ctrl-C
shell     prepare, then chat in the terminal (rasa shell) with the action server running
train     train the model if config, domain, data or content changed
migrate   bring the database up to date
keys new     print a new encryption key for ENCRYPTION_KEYS (see docs/privacy.md)
keys rotate  re-encrypt everything stored under the newest key
worker    deliver the outbox (texts and emails) until stopped; `run` starts it for you
sms "text" [--from +447700900123]
          text the running Alongside as Twilio would (signed), and print the replies
web       start the coordinators' dashboard only (make run starts it too)
admin     coordinators, passwords and caseloads: python -m bot admin --help
audit verify   check the audit log's hash chain
"""

from __future__ import annotations

import sys

from bot.settings import SettingsError, get_settings


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "run"
    try:
        settings = get_settings()
    except SettingsError as problem:
        print(f"Alongside cannot start: {problem}\nSee .env.example for every setting.", file=sys.stderr)
        return 2
    if argv[:2] == ["keys", "new"]:
        from bot.security.encryption import new_key

        print(new_key())
        return 0
    if argv[:2] == ["keys", "rotate"]:
        from bot.services.privacy.key_rotation import rotate_all
        from bot.store.db import get_engine

        for table, rows in rotate_all(get_engine()).items():
            print(f"{table}: {rows} rows re-encrypted")
        return 0
    if command == "worker":
        from bot.worker import main as run_worker

        return run_worker()
    if command == "sms":
        from bot.sms_simulator import main as simulate

        return simulate(settings, argv[1:])
    if command == "admin":
        from bot.admin import main as admin_main

        return admin_main(argv[1:])
    if command == "audit":
        from bot.admin import audit_main

        return audit_main(argv[1:])
    if command == "web":
        from bot.web.app import serve

        return serve(settings)
    from bot import build, launcher
    from bot.content_check import check_all_content
    from bot.language.spacy_pipeline import ensure_pipeline
    from bot.store.migrate import upgrade_to_head

    if command in ("run", "shell", "prepare", "train"):
        try:
            # The checker needs the spaCy pipeline; the domain is built once, by train_if_needed.
            ensure_pipeline(settings.spacy_model_path)
            check_all_content(settings)
        except (ValueError, OSError) as problem:
            from bot.common.content_files import with_line

            print(f"Alongside cannot start: a content file has a problem.\n{with_line(problem)}", file=sys.stderr)
            return 2

    if command == "train":
        print(f"Model: {build.train_if_needed(settings)}")
    elif command == "migrate":
        upgrade_to_head()
    elif command == "prepare":
        build.train_if_needed(settings)
        upgrade_to_head()
    elif command in ("run", "shell"):
        model = build.train_if_needed(settings)
        upgrade_to_head()
        return launcher.run(settings, model, shell=command == "shell")
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
