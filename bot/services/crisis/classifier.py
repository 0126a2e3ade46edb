"""The learned risk layer: a calibrated linear model for crisis language the patterns miss.

Why: the patterns (detection.py) catch the words they were written for; people in crisis use
their own ("nobody will notice i'm gone", "my last night on earth"). This model is trained on
the two corpora we wrote (bot/services/crisis/corpus/crisis.yml and ordinary.yml, never the
evaluation sets) and reads the same normalised text as the patterns (detection.normalise, on
top of bot/language/normalise.py), so "kil myslef" and "kill myself" look alike.

Features and model, chosen by 5-fold cross-validation on the training corpora only
(bench/crisis_classifier_cv.py): TF-IDF word 1-2-grams plus character 2-5-grams within word
boundaries (sublinear tf), logistic regression (C=16, balanced classes; C=1, 4, 16 were tried), calibrated by Platt
scaling on out-of-fold scores (CalibratedClassifierCV, sigmoid, 5 folds, one final model), so
`score` is a probability the thresholds in config.yml can be read against.

Training takes a few seconds; the fitted model is cached under var/crisis/ with a name made
from the hash of everything that changes it (the corpora, this file, detection.py,
content/language.yml, scikit-learn's version), so it is rebuilt only when one of them changes
and every process gets the same model. Training is deterministic (fixed folds, liblinear).
Nothing here logs or stores a person's text.
"""

from __future__ import annotations

import hashlib
import math
import os
import pickle
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from bot.common.content_files import read_content
from bot.language.training_examples import NLU_DATA_DIR, intent_examples, nlu_files
from bot.services.crisis.detection import normalise
from bot.settings import PROJECT_ROOT, VAR_DIR

CORPUS_DIR = PROJECT_ROOT / "bot" / "services" / "crisis" / "corpus"
CRISIS_CORPUS = CORPUS_DIR / "crisis.yml"
ORDINARY_CORPUS = CORPUS_DIR / "ordinary.yml"
CACHE_DIR = VAR_DIR / "crisis"
# Training examples of these intents are risk language; every other intent's examples are what
# people say to Alongside every day ("I want to set a goal"), so they are ordinary messages too.
RISK_INTENTS = frozenset({"crisis", "possible_risk"})
FINGERPRINT_FILES = (
    CRISIS_CORPUS,
    ORDINARY_CORPUS,
    *nlu_files(),
    Path(__file__),
    PROJECT_ROOT / "bot" / "services" / "crisis" / "detection.py",
    PROJECT_ROOT / "bot" / "language" / "normalise.py",
    PROJECT_ROOT / "bot" / "language" / "training_examples.py",
    PROJECT_ROOT / "content" / "language.yml",
)
MAX_TEXT_CHARS = 2_000  # the model reads the start of a very long message; the patterns read it all
C = 16.0
CONFIG_PATH = PROJECT_ROOT / "config.yml"
COMPONENT = "bot.nlu.crisis_detector.CrisisDetector"
CALIBRATION_FOLDS = 5


# config.yml's name for each threshold (under bot.nlu.crisis_detector.CrisisDetector).
SETTINGS = {"risk_crisis_threshold": "crisis", "risk_possible_threshold": "possible", "risk_min_words": "min_words"}


@dataclass(frozen=True)
class Thresholds:
    """Calibrated probability at or above which a message is CRISIS, or POSSIBLE risk. A crisis
    threshold above 1 means the classifier alone never decides crisis, only possible risk."""

    crisis: float = 1.01
    possible: float = 0.98
    # Shorter messages are left to the patterns: a few words carry too little for a learned
    # model, and short answers to our own questions ("for me", "not sure") must never alarm.
    min_words: int = 4

    def __post_init__(self) -> None:
        if not (0.0 < self.possible <= 1.0 and self.possible <= self.crisis):
            raise ValueError("risk thresholds need 0 < possible <= 1 and possible <= crisis")

    @classmethod
    def from_settings(cls, settings: Mapping[str, Any]) -> Thresholds:
        """From the crisis detector's settings in config.yml (`risk_*`); a missing one keeps its default."""
        defaults = cls().as_settings()
        return cls(**{name: type(defaults[key])(settings.get(key, defaults[key])) for key, name in SETTINGS.items()})

    def as_settings(self) -> dict[str, Any]:
        """The settings as config.yml spells them: the crisis detector's defaults."""
        return {key: getattr(self, name) for key, name in SETTINGS.items()}


def thresholds_from_config(path: Path = CONFIG_PATH) -> Thresholds:
    """The crisis detector's `risk_*` settings in config.yml (for the bench and tests; the live
    component is given the same settings by Rasa)."""
    data = read_content(path) or {}
    for component in data.get("pipeline") or []:
        if component.get("name") == COMPONENT:
            return Thresholds.from_settings(component)
    return Thresholds()


def corpus_by_kind(path: Path) -> list[tuple[str, str]]:
    """(message, kind) for every message in a corpus file (kind -> list of strings)."""
    data = read_content(path) or {}
    return [(str(text), str(kind)) for kind, texts in data.items() for text in texts]


def corpus_texts(path: Path) -> list[str]:
    """Every message in a corpus file."""
    return [text for text, _ in corpus_by_kind(path)]


def nlu_ordinary_texts(nlu_dir: Path = NLU_DATA_DIR) -> list[str]:
    """The NLU training examples of every intent that is not risk language."""
    return [text for intent, text in intent_examples(nlu_files(nlu_dir)) if intent not in RISK_INTENTS]


def ordinary_training_texts() -> list[str]:
    """Our ordinary corpus and the everyday things people say to Alongside (its NLU examples)."""
    return corpus_texts(ORDINARY_CORPUS) + nlu_ordinary_texts()


def features() -> Any:
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import FeatureUnion

    return FeatureUnion(
        [
            (
                "words",
                TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=1, token_pattern=r"(?u)\b\w[\w']*\b"),
            ),
            ("chars", TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2)),
        ]
    )


def build_model(c: float = C) -> Any:
    """The untrained model: features, then calibrated logistic regression."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline

    linear = LogisticRegression(C=c, class_weight="balanced", solver="liblinear", max_iter=1000)
    folds = StratifiedKFold(n_splits=CALIBRATION_FOLDS, shuffle=True, random_state=17)
    calibrated = CalibratedClassifierCV(linear, method="sigmoid", cv=folds, ensemble=False)
    return Pipeline([("features", features()), ("model", calibrated)])


def prepare_text(text: str) -> str:
    return normalise((text or "")[:MAX_TEXT_CHARS])


def fingerprint() -> str:
    from sklearn import __version__ as sklearn_version

    digest = hashlib.sha256(sklearn_version.encode())
    for path in FINGERPRINT_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


class _Scorer:
    """The fitted model's arithmetic for one message, without scikit-learn's per-call overhead
    (about 3 ms a message on this machine, against well under 1 ms here): each vectorizer's own
    analyzer, sublinear tf times idf, l2 norm, the linear weights, then the Platt sigmoid.
    The unit tests check it gives predict_proba's numbers."""

    def __init__(self, model: Any) -> None:
        union = model.named_steps["features"]
        calibrated = model.named_steps["model"].calibrated_classifiers_[0]
        linear, sigmoid = getattr(calibrated, "estimator", None) or calibrated.base_estimator, calibrated.calibrators[0]
        coef, offset = linear.coef_[0], 0
        self.parts = []
        for _, vectorizer in union.transformer_list:
            size = len(vectorizer.vocabulary_)
            weights = {
                term: (float(vectorizer.idf_[i]), float(coef[offset + i])) for term, i in vectorizer.vocabulary_.items()
            }
            self.parts.append((vectorizer.build_analyzer(), weights))
            offset += size
        self.intercept = float(linear.intercept_[0])
        self.a, self.b = float(sigmoid.a_), float(sigmoid.b_)

    def __call__(self, text: str) -> float:
        decision = self.intercept
        for analyse, weights in self.parts:
            counts: dict[str, int] = {}
            for term in analyse(text):
                if term in weights:
                    counts[term] = counts.get(term, 0) + 1
            if not counts:
                continue
            values = [((1.0 + math.log(n)) * weights[t][0], weights[t][1]) for t, n in counts.items()]
            norm = math.sqrt(sum(v * v for v, _ in values))
            decision += sum(v * w for v, w in values) / norm
        return 1.0 / (1.0 + math.exp(self.a * decision + self.b))


class RiskClassifier:
    """`score(text)`: the calibrated probability that a message carries risk."""

    def __init__(self, model: Any) -> None:
        self.model = model
        self.scorer = _Scorer(model)

    @classmethod
    def train(cls, crisis: list[str], ordinary: list[str], c: float = C) -> RiskClassifier:
        model = build_model(c)
        model.fit([prepare_text(t) for t in crisis + ordinary], [1] * len(crisis) + [0] * len(ordinary))
        return cls(model)

    @classmethod
    def load(cls, cache_dir: Path = CACHE_DIR) -> RiskClassifier:
        """The cached model for the current corpora, trained and cached first if need be."""
        path = cache_dir / f"risk-classifier-{fingerprint()}.pkl"
        if path.exists():
            with path.open("rb") as handle:
                return cls(pickle.load(handle))  # noqa: S301 (our own file, written below)
        classifier = cls.train(corpus_texts(CRISIS_CORPUS), ordinary_training_texts())
        cache_dir.mkdir(parents=True, exist_ok=True)
        descriptor, temporary = tempfile.mkstemp(dir=cache_dir, suffix=".tmp")
        with os.fdopen(descriptor, "wb") as out:
            pickle.dump(classifier.model, out)
        os.replace(temporary, path)  # atomic: two processes racing both write whole files
        for stale in cache_dir.glob("risk-classifier-*.pkl"):
            if stale != path:
                stale.unlink(missing_ok=True)  # models for corpora that have since changed
        return classifier

    def score(self, text: str) -> float:
        return self.score_normalised(prepare_text(text))

    def score_normalised(self, normalised: str) -> float:
        return self.scorer(normalised[:MAX_TEXT_CHARS])

    def scores(self, texts: list[str]) -> list[float]:
        return [self.score(t) for t in texts]

    def reference_scores(self, texts: list[str]) -> list[float]:
        """scikit-learn's own predict_proba, for checking the fast path."""
        return [float(p) for p in self.model.predict_proba([prepare_text(t) for t in texts])[:, 1]]


@lru_cache(maxsize=1)
def shared_classifier() -> RiskClassifier:
    """One model per process."""
    return RiskClassifier.load()
