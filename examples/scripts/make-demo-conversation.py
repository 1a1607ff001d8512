#!/usr/bin/env python3
"""Writes examples/samples/demo-conversation.jsonl: the conversation `./optical-memory demo` ingests.

Mira, who runs the ferry office of a small harbour town, talks with her assistant over a few weeks.
Four facts are planted early, after 40 turns of warm-up (a locker code, a booking number, an allergy,
a birthday), so that they sit on the second page; the rest is everyday talk drawn from templates with a fixed seed, so the file is the same each time.
Written for this project; no outside text.
"""
import json
import random
from datetime import datetime, timedelta
from pathlib import Path

random.seed(20261125)

PLANTED = [
    ("user", "Mira", "Before I forget: the code for my locker at the ferry office is 4417. Keep it somewhere safe for me."),
    ("assistant", "Assistant", "Noted: your locker at the ferry office opens with 4417."),
    ("user", "Mira", "And the booking for the island crossing on the 14th is reference KX-2291, two cars and a trailer."),
    ("assistant", "Assistant", "Got it: booking KX-2291 for the 14th, two cars and a trailer."),
    ("user", "Mira", "One more thing, I am allergic to hazelnuts, so no pastries from the kiosk with nuts in them."),
    ("assistant", "Assistant", "Understood, hazelnuts are out. I will flag kiosk pastries that contain them."),
    ("user", "Mira", "My sister Ilse turns forty on the 3rd of October; remind me a week before."),
    ("assistant", "Assistant", "I will remind you on the 26th of September about Ilse's fortieth birthday."),
]

PLACES = ["the north pier", "the fuel dock", "the fish market", "the old lighthouse", "the ticket hall",
          "the harbour office", "the boatyard", "the ferry ramp", "the coast guard station", "the quay"]
THINGS = ["the morning ferry", "the cargo manifest", "the tide table", "the night shift roster",
          "the new radar unit", "the storm shutters", "the pilot boat", "the crane schedule",
          "the lifejacket inventory", "the timetable for winter", "the parking permits", "the diesel order"]
PEOPLE = ["Tomas", "Henrik", "Sanna", "the harbour master", "Old Per", "the kiosk owner", "Lotta", "the mechanic"]
WEATHER = ["a stiff westerly", "fog until ten", "rain squalls", "a flat calm", "gusts of thirty knots", "sleet"]
USER_TEMPLATES = [
    "Can you check whether {thing} is ready? {person} was asking about it at {place}.",
    "{person} says {thing} is late again, apparently because of {weather} near {place}.",
    "Remind me to call {person} about {thing} after lunch.",
    "We had {weather} this morning and {thing} was delayed by forty minutes.",
    "I walked past {place} today; {person} had moved {thing} again without telling anyone.",
    "What do we still need to sort out for {thing}? I want it done before Friday.",
    "Add to my list: talk to {person} about {thing}, and check the lights at {place}.",
    "Do you think {weather} will hold off long enough for {thing}?",
    "{person} offered to help with {thing} if we can meet at {place} at eight.",
    "I am tired of chasing {person} about {thing}. Could you draft a polite note?",
]
ASSISTANT_TEMPLATES = [
    "I have noted that {thing} depends on {person}; I will bring it up again tomorrow.",
    "With {weather} in the forecast, {thing} may slip. Shall I warn {person}?",
    "Done. I put {thing} on your list and added a reminder to check {place}.",
    "Here is a short note for {person}: could you confirm the status of {thing} by Thursday? Thank you.",
    "{thing} looks fine on paper; the open question is who covers {place} on Saturday.",
    "I moved the call with {person} to after lunch and linked it to {thing}.",
    "Noted. If {weather} continues, I suggest moving {thing} to Monday.",
    "Understood. I will keep an eye on {thing} and tell you if {person} replies.",
]


def fill(template):
    return template.format(place=random.choice(PLACES), thing=random.choice(THINGS),
                           person=random.choice(PEOPLE), weather=random.choice(WEATHER))


def main():
    start = datetime(2026, 9, 1, 8, 30)
    turns = []
    for i in range(146):
        if i == 20:
            turns.extend(PLANTED)
        turns.append(("user", "Mira", fill(random.choice(USER_TEMPLATES))))
        reply = fill(random.choice(ASSISTANT_TEMPLATES))
        if random.random() < 0.4:
            reply += " " + fill(random.choice(ASSISTANT_TEMPLATES))
        turns.append(("assistant", "Assistant", reply))
    out = Path(__file__).resolve().parent.parent / "samples" / "demo-conversation.jsonl"
    with out.open("w", encoding="utf-8") as f:
        for i, (role, speaker, text) in enumerate(turns):
            at = start + timedelta(minutes=37 * i)
            f.write(json.dumps({"role": role, "speaker": speaker, "text": text,
                                "timestamp": at.strftime("%Y-%m-%dT%H:%M:%SZ")}) + "\n")
    print(f"{len(turns)} turns written to {out}")


if __name__ == "__main__":
    main()
