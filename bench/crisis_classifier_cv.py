"""Choose the risk classifier's regularisation and thresholds by cross-validation on the
training corpora only (never the held-out split or the external data).

    PYTHONPATH=. .venv/bin/python bench/crisis_classifier_cv.py [--by-kind] [C ...]

For each C: out-of-fold calibrated scores for every corpus message, then, for a few thresholds,
the share of crisis messages at or above it (recall) and of ordinary ones (false alarms).

Plain 5-fold CV mixes every kind of message into every fold, so it is optimistic about words
the model has never seen in that kind of message. `--by-kind` leaves out whole kinds of message
at a time (6 folds grouped by the corpus headings: "idioms" or "films" unseen in training),
which is nearer to what the classifier meets in use; config.yml's thresholds are read off it.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services.crisis.classifier import (  # noqa: E402
    CRISIS_CORPUS,
    ORDINARY_CORPUS,
    build_model,
    corpus_by_kind,
    nlu_ordinary_texts,
    prepare_text,
)

THRESHOLDS = (0.5, 0.7, 0.9, 0.95, 0.97, 0.98, 0.99, 0.995)


def main(values: list[float], by_kind: bool) -> None:
    from sklearn.model_selection import GroupKFold, StratifiedKFold, cross_val_predict

    crisis = [(text, f"crisis:{kind}") for text, kind in corpus_by_kind(CRISIS_CORPUS)]
    ordinary = [(text, f"ordinary:{kind}") for text, kind in corpus_by_kind(ORDINARY_CORPUS)]
    ordinary += [(text, "ordinary:nlu_examples") for text in nlu_ordinary_texts()]
    texts = [prepare_text(text) for text, _ in crisis + ordinary]
    labels = [1] * len(crisis) + [0] * len(ordinary)
    groups = [kind for _, kind in crisis + ordinary]
    folds = GroupKFold(n_splits=6) if by_kind else StratifiedKFold(n_splits=5, shuffle=True, random_state=3)
    for c in values:
        scores = cross_val_predict(
            build_model(c), texts, labels, cv=folds, groups=groups if by_kind else None, method="predict_proba"
        )[:, 1]
        pos, neg = scores[: len(crisis)], scores[len(crisis) :]
        print(f"C={c} ({'by kind' if by_kind else '5-fold'}):")
        for t in THRESHOLDS:
            print(f"  t={t}: recall {(pos >= t).mean():.3f}  false alarms {(neg >= t).mean():.3f}", flush=True)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--by-kind"]
    main([float(v) for v in args] or [16.0], "--by-kind" in sys.argv[1:])
