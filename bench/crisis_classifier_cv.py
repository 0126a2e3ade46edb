"""Choose the risk classifier's regularisation and thresholds by cross-validation on the
training corpora only (never the held-out split or the external data).

    PYTHONPATH=. .venv/bin/python bench/crisis_classifier_cv.py [C ...]

For each C: 5-fold out-of-fold calibrated scores for every corpus message, then, for a few
thresholds, the share of crisis messages at or above it (recall) and of ordinary ones (false
alarms). The thresholds in config.yml are read off this table.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.services.crisis.classifier import (  # noqa: E402
    CRISIS_CORPUS,
    ORDINARY_CORPUS,
    build_model,
    corpus_texts,
    prepare_text,
)

THRESHOLDS = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def main(values: list[float]) -> None:
    from sklearn.model_selection import StratifiedKFold, cross_val_predict

    crisis, ordinary = corpus_texts(CRISIS_CORPUS), corpus_texts(ORDINARY_CORPUS)
    texts = [prepare_text(t) for t in crisis + ordinary]
    labels = [1] * len(crisis) + [0] * len(ordinary)
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=3)
    for c in values:
        scores = cross_val_predict(build_model(c), texts, labels, cv=folds, method="predict_proba")[:, 1]
        pos = scores[: len(crisis)]
        neg = scores[len(crisis) :]
        row = "  ".join(f"t={t}: recall {(pos >= t).mean():.3f} fa {(neg >= t).mean():.3f}" for t in THRESHOLDS)
        print(f"C={c}: {row}", flush=True)


if __name__ == "__main__":
    main([float(v) for v in sys.argv[1:]] or [1.0, 4.0, 16.0])
