"""Intent macro F1 of one trained NLU model on a held-out file: `python bench/nlu_eval.py MODEL TEST.yml`.

Run by bench/run.py in a process of its own, so a TensorFlow model's memory and threads never
sit in the process that drives the load test. Prints one JSON object.
"""

from __future__ import annotations

import asyncio
import json
import sys


async def _predict(model: str, texts: list[str]) -> list[str]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    predicted = []
    for text in texts:
        parsed = await agent.parse_message(text)
        predicted.append((parsed.get("intent") or {}).get("name") or "None")
    return predicted


def main(model: str, test_file: str) -> None:
    from rasa.shared.nlu.training_data.loading import load_data
    from sklearn.metrics import accuracy_score, f1_score

    examples = [example for example in load_data(test_file).intent_examples if example.get("text")]
    texts = [example.get("text") for example in examples]
    truth = [example.get("intent") for example in examples]
    predicted = asyncio.run(_predict(model, texts))
    labels = sorted(set(truth))  # macro over the intents in the held-out data
    print(
        json.dumps(
            {
                "macro_f1": round(
                    float(f1_score(truth, predicted, labels=labels, average="macro", zero_division=0)), 4
                ),
                "accuracy": round(float(accuracy_score(truth, predicted)), 4),
                "examples": len(texts),
                "intents": len(labels),
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
