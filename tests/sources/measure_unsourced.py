"""Precision and recall of the unsourced-statement check on the labelled texts."""

from pathlib import Path

import yaml

from sources.assertions import sentences, unsourced_statements
from sources.text import normalise_text
from tests.sources.unsourced_corpus import DEMO_LABELS, OWN_TEXTS

DEMO_DIR = Path(__file__).resolve().parents[2] / "articles/demo/content/articles"


def own_body(text) -> str:
    html = []
    for tag, items in text["blocks"]:
        if tag == "ul":
            html.append("<ul>" + "".join(f"<li>{s}</li>" for s, _ in items) + "</ul>")
        elif tag == "blockquote":
            html.append("<blockquote><p>" + " ".join(s for s, _ in items) + "</p></blockquote>")
        else:
            html.append(f"<{tag}>" + "\n".join(s for s, _ in items) + f"</{tag}>")
    return "\n".join(html)


def own_cases():
    """(sentence, label, flagged) for each labelled sentence of our own texts."""
    for text in OWN_TEXTS:
        findings = [f.text for f in unsourced_statements(own_body(text), text["claims"])]
        for _tag, items in text["blocks"]:
            for sentence, label in items:
                needle = normalise_text(sentence)
                flagged = any(needle in found or found in needle for found in findings)
                yield sentence, label, flagged


def demo_cases(languages=None):
    """(sentence, label, flagged) for each sentence of each demo article."""
    for slug, positives in DEMO_LABELS.items():
        if languages is not None and slug[-3:] not in languages:
            continue
        data = yaml.safe_load((DEMO_DIR / f"{slug}.yaml").read_text())
        claims = [claim["text"] for claim in data.get("claims", [])]
        flagged = {f.text for f in unsourced_statements(data["body"], claims)}
        for sentence in sentences(data["body"]):
            yield sentence, any(sentence.startswith(p) for p in positives), sentence in flagged


def scores(cases) -> dict:
    tp = fp = fn = tn = 0
    for _, label, flagged in cases:
        tp += label and flagged
        fp += flagged and not label
        fn += label and not flagged
        tn += not label and not flagged
    return {
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp / (tp + fn) if tp + fn else 1.0,
    }
