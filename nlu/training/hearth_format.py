"""The text formats shared by the training pipeline and nlu/ (C++): normalisation, the prompt and
the model's output. nlu/src/prompt.cpp implements the same functions; tests/nlu checks that the
two agree on every utterance of the evaluation sets.

Prompt (one line, no newline characters; the prev part only for a follow-up within the session
window, holding the previous turn's intents with the resolved domain):

    prev: [{"intent":"HassTurnOn","name":" desk lamp","domain":" light"}] user: make it brighter intent:

The model continues with a space, the intents as a compact JSON array, and end-of-sequence:

     [{"intent":"HassLightSet","name":" desk lamp","domain":" light","brightness_step":25}]

Slots appear in SLOT_ORDER. A chat turn (no device action) is the pseudo-intent
{"intent":"chat","topic":T}; nlu/ turns it into a reply and no action.
"""
import json
import re

SLOT_ORDER = [
    "name", "area", "floor", "domain", "device_class", "state",
    "brightness", "brightness_step", "color", "temperature", "temperature_step",
    "position", "percentage", "volume_level", "volume_step",
    "search_query", "media_class", "hours", "minutes", "seconds", "item", "topic",
]

_DROP = re.compile(r"[,!?;\"()\[\]{}]")
_SPACES = re.compile(r"\s+")


def normalize(text):
    """Lower-case ASCII letters, drop punctuation that carries no meaning for intents, keep '.' and
    ':' only between digits (21.5, 7:30), collapse white space. Other bytes pass unchanged."""
    t = "".join(c.lower() if "A" <= c <= "Z" else c for c in text)
    t = _DROP.sub(" ", t)
    out = []
    for i, c in enumerate(t):
        if c in ".:":
            between = 0 < i < len(t) - 1 and t[i - 1].isdigit() and t[i + 1].isdigit()
            out.append(c if between else " ")
        else:
            out.append(c)
    return _SPACES.sub(" ", "".join(out)).strip()


def encode_intents(intents):
    """The canonical compact JSON of a list of intents (slot order fixed). Every text slot value
    starts with a space, so it tokenizes as the same words do in the utterance ("▁desk ▁lamp"),
    which makes copying them easy for a small model."""
    parts = []
    for it in intents:
        obj = {"intent": it["intent"]}
        slots = it.get("slots", {})
        unknown = set(slots) - set(SLOT_ORDER)
        if unknown:
            raise ValueError("unknown slots %s in %s" % (sorted(unknown), it))
        for k in SLOT_ORDER:
            if k in slots:
                v = slots[k]
                obj[k] = " " + v if isinstance(v, str) else v
        parts.append(json.dumps(obj, separators=(",", ":"), ensure_ascii=False))
    return "[" + ",".join(parts) + "]"


def prompt(text, prev=None):
    """The model's prompt for an utterance and the previous turn's intents (or None)."""
    head = "prev: " + encode_intents(prev) + " " if prev else ""
    return head + "user: " + normalize(text) + " intent:"


def target(intents):
    """What the model is trained to continue the prompt with (before end-of-sequence)."""
    return " " + encode_intents(intents)
