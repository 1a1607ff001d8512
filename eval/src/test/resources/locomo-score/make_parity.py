#!/usr/bin/env python3
"""Makes the LoCoMo-score parity data: NLTK stems for a vocabulary, and scored cases.

The words and answers come from the project's own texts (its README and docs), never from LoCoMo's
conversations, whose licence keeps them out of the repository. The scores come from LoCoMo's own
task_eval/evaluation.py (its eval_question_answering, imported from a checkout of
snap-research/locomo) with NLTK's PorterStemmer; mem0's F1 follows mem0's evaluation/metrics/utils.py
(lower-case, . , ! ? as spaces, token sets).

Run (Debian: apt-get install python3-nltk python3-regex python3-numpy):
  /usr/bin/python3 eval/src/test/resources/locomo-score/make_parity.py \
      --locomo PATH/TO/locomo/task_eval --out eval/src/test/resources/locomo-score README.md docs/*.md
"""
import argparse
import json
import os
import random
import re
import sys
import tempfile
import types

ap = argparse.ArgumentParser()
ap.add_argument("--locomo", required=True, help="the folder holding LoCoMo's evaluation.py")
ap.add_argument("--out", required=True)
ap.add_argument("texts", nargs="+")
args = ap.parse_args()

sys.modules.setdefault("bert_score", types.SimpleNamespace(score=None))  # not used for F1
sys.path.insert(0, args.locomo)
import evaluation  # noqa: E402  LoCoMo's own script
from nltk.stem import PorterStemmer  # noqa: E402

stemmer = PorterStemmer()
text = " ".join(open(p, encoding="utf-8").read() for p in args.texts)
words = sorted({w.lower() for w in re.findall(r"[A-Za-z][A-Za-z'-]*[A-Za-z]|[A-Za-z]", text)})

# Morphological variants of every word, so the stemmer meets each rule's suffixes.
suffixes = ["s", "es", "ed", "ing", "ly", "er", "est", "ness", "ful", "fully", "ation", "ational",
            "ize", "izer", "ization", "ism", "ist", "ity", "ities", "ive", "iveness", "ence", "ance",
            "ment", "ement", "able", "ible", "ally", "ied", "ies", "y", "al", "ous", "ousli", "logy"]
vocab = set(words)
pick = random.Random(7)
for w in words:
    for s in pick.sample(suffixes, 3):
        vocab.add(w + s)
        if w.endswith("e"):
            vocab.add(w[:-1] + s)
        if w.endswith("y"):
            vocab.add(w[:-1] + "i" + s)
vocab |= {"tried", "try", "flies", "fly", "ties", "tie", "skies", "sky", "died", "die", "lying",
          "lie", "dying", "tying", "carefully", "careful", "emotionally", "emotional", "biology",
          "biological", "on", "one", "us", "use", "at", "ate", "new", "news", "innings", "outings",
          "cannings", "howe", "proceed", "exceed", "succeed", "geology", "theology", "archaeology",
          "a", "i", "y", "yy", "ay", "by", "say", "cry", "crying", "agreed", "feed", "bled",
          "hopping", "falling", "hissing", "fizzed", "failing", "filing", "caresses", "ponies",
          "cats", "generalization", "oscillators", "relational", "conditional", "rational",
          "valency", "hesitancy", "digitizer", "conformabli", "radicalli", "differentli", "vileli",
          "analogousli", "vietnamization", "predication", "operator", "feudalism", "decisiveness",
          "hopefulness", "callousness", "formaliti", "sensitiviti", "sensibiliti", "triplicate",
          "formative", "formalize", "electriciti", "electrical", "hopeful", "goodness", "revival",
          "allowance", "inference", "airliner", "gyroscopic", "adjustable", "defensible",
          "irritant", "replacement", "adjustment", "dependent", "adoption", "homologou",
          "communism", "activate", "angulariti", "homologous", "effective", "bowdlerize",
          "probate", "rate", "cease", "controll", "roll", "naïve", "café", "über", "日本"}
vocab = sorted(v for v in vocab if v)
with open(os.path.join(args.out, "stems.tsv"), "w", encoding="utf-8") as f:
    f.write("# word<TAB>NLTK PorterStemmer().stem(word); made by make_parity.py\n")
    for w in vocab:
        f.write(w + "\t" + stemmer.stem(w) + "\n")

# Answers: short spans of the texts' sentences, as LoCoMo's answers are.
sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+|\n+", text)
             if 4 <= len(s.split()) <= 40 and not s.strip().startswith(("|", "`", "#", "-", "<"))]
rng = random.Random(20261205)
spans = []
for s in sentences:
    toks = s.split()
    n = rng.randint(1, min(6, len(toks)))
    i = rng.randint(0, len(toks) - n)
    spans.append(" ".join(toks[i:i + n]))
spans = [s for s in spans if s.strip()]

NBSP = ["\u00a0", "\u202f", "\u2007", "\u3000", "\u2009", "\t", "\x1c", "\x85"]


def morph(answer):
    out = []
    for t in answer.split(" "):
        r = rng.random()
        if r < 0.25 and t.isalpha():
            t = t + rng.choice(["s", "ed", "ing", "ly", "ies", "ied"])
        elif r < 0.4 and len(t) > 3 and t.isalpha():
            t = t[:-1] if t.endswith(("s", "y", "e")) else t
        out.append(t)
    return " ".join(out)


def dress(answer):
    return rng.choice(["The ", "A ", "an ", "and ", "", "It was "]) + answer + rng.choice(
        [".", "!", "?", "...", "", ";", " (probably)", "\u201d", " -- yes", "'s", ","])


ADVERSARIAL = ["No information available.", "That is not mentioned in the conversation.",
               "NOT MENTIONED", "I don't know.", "no information  available", "Not mentioned!",
               "The conversation does not say.", "Nothing; no information available here",
               "not-mentioned", "It is not\u00a0mentioned."]

cases = []
for k in range(2400):
    gold = rng.choice(spans)
    kind = k % 12
    category = rng.choice([1, 2, 3, 4])
    if kind == 0:
        pred = gold
    elif kind == 1:
        pred = morph(gold)
    elif kind == 2:
        pred = dress(gold)
    elif kind == 3:
        pred = rng.choice(spans)
    elif kind == 4:
        pred = rng.choice(NBSP).join(gold.split(" "))
    elif kind == 5:
        parts = [rng.choice(spans) for _ in range(rng.randint(2, 4))]
        gold = ", ".join(parts)
        shuffled = parts[:]
        rng.shuffle(shuffled)
        pred = rng.choice([", ", ",", " and ", "; "]).join(shuffled)
        category = 1
    elif kind == 6:
        gold = gold + "; " + rng.choice(spans)
        pred = rng.choice([gold, gold.split(";")[0], morph(gold)])
        category = 3
    elif kind == 7:
        pred = rng.choice(ADVERSARIAL + [gold, dress(gold)])
        category = 5
    elif kind == 8:
        pred = rng.choice(["", " ", "\u00a0", "\n\t", ".", ",,,", "the", "a an the and"])
    elif kind == 9:
        pred = gold.upper() if rng.random() < 0.5 else gold.title()
    elif kind == 10:
        pred = dress(morph(gold)) + " " + rng.choice(spans)
    else:
        number = rng.choice([2022, 7, 1999, 3.5, 10.0])
        gold = number if rng.random() < 0.5 else str(number)
        pred = rng.choice([str(number), "in " + str(number), "around %s or so" % number, "2023"])
    cases.append({"id": "c%04d" % k, "category": category, "prediction": pred, "answer": gold})

with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as tmp:
    json.dump({"qa": [dict(c, evidence=[]) for c in cases]}, tmp)
scores, _, _ = evaluation.eval_question_answering(tmp.name)
os.unlink(tmp.name)


def mem0_f1(prediction, reference):
    if not prediction or not reference:
        return 0.0

    def tokens(s):
        s = str(s).strip().lower()
        for ch in ".,!?":
            s = s.replace(ch, " ")
        return set(s.split())
    p, r = tokens(prediction), tokens(reference)
    if not p or not r:
        return 0.0
    same = len(p & r)
    if same == 0:
        return 0.0
    precision, recall = same / len(p), same / len(r)
    return 2 * precision * recall / (precision + recall)


with open(os.path.join(args.out, "cases.jsonl"), "w", encoding="utf-8") as f:
    for c, s in zip(cases, scores):
        f.write(json.dumps(dict(c, locomo=float(s), mem0=mem0_f1(c["prediction"], c["answer"])),
                           ensure_ascii=False) + "\n")
print(len(vocab), "stems,", len(cases), "cases")
