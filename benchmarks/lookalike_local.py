"""A second invented look-alike set (issue 30, session 4), written BEFORE any tuning of the
session and never used to choose anything: a check that what helps on
``lookalike_shootings.py`` (the first invented set, which earlier sessions looked at) is not a
fit to that set's generator.

Ten local events of three kinds in one week, two or three of each kind in the SAME town, each
told by two to four of four outlets that use one template per kind (so two events of one kind
told by one outlet share nearly all their words): house fires, bank and store robberies, road
crashes. What tells them apart is what tells real local news apart: the street, the people's
names and ages, the time of day, the weekday, the amounts. Some reports leave facts out (an
early brief without the victim's name), as real first reports do.

Every text is written for this project (no real event, no copied report); the facts are
hand-set, the choice of outlets and sentences drawn with a fixed seed.
"""
from __future__ import annotations

import datetime as dt
import random

WEEK = dt.date(2025, 3, 10)   # a Monday
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

# hand-set facts; "day" is the offset from WEEK
EVENTS = [
    {"event": "fire-linden", "kind": "fire", "town": "Brookfield", "county": "Harmon", "day": 1,
     "street": "Linden Court", "block": 400, "time": "3:40 a.m.", "person": "Edna Paulsen", "age": 81,
     "outcome": "died", "cause": "a space heater", "units": 14, "rescuer": "Capt. Wes Molina"},
    {"event": "fire-orchard", "kind": "fire", "town": "Brookfield", "county": "Harmon", "day": 3,
     "street": "Orchard Street", "block": 1200, "time": "9:15 p.m.", "person": "Rafael Ferreira", "age": 37,
     "outcome": "was treated for smoke inhalation", "cause": "an unattended stove", "units": 22,
     "rescuer": "Lt. Dana Kowalczyk"},
    {"event": "fire-quarry", "kind": "fire", "town": "Brookfield", "county": "Harmon", "day": 5,
     "street": "Quarry Road", "block": 2900, "time": "1:05 p.m.", "person": "Gloria Haddad", "age": 58,
     "outcome": "escaped with burns to her hands", "cause": "a clothes dryer", "units": 17,
     "rescuer": "Chief Arnold Fitch"},
    {"event": "rob-firstfed", "kind": "robbery", "town": "Harlan", "county": "Pike", "day": 0,
     "street": "Main Street", "block": 300, "time": "10:20 a.m.", "person": "Kyle Dempsey", "age": 27,
     "place": "First Federal Bank", "amount": "4,200", "weapon": "a handgun", "officer": "Sgt. Bree Lindqvist"},
    {"event": "rob-citizens", "kind": "robbery", "town": "Harlan", "county": "Pike", "day": 4,
     "street": "Water Street", "block": 1500, "time": "2:45 p.m.", "person": "Tomas Rieger", "age": 45,
     "place": "Citizens Savings Bank", "amount": "11,750", "weapon": "a knife", "officer": "Det. Paul Asante"},
    {"event": "rob-pharmacy", "kind": "robbery", "town": "Harlan", "county": "Pike", "day": 2,
     "street": "Fenwick Avenue", "block": 800, "time": "7:55 p.m.", "person": "Jalen Moss", "age": 19,
     "place": "Corner Drug pharmacy", "amount": "650", "weapon": "a pellet gun", "officer": "Sgt. Bree Lindqvist"},
    {"event": "crash-route9-dawn", "kind": "crash", "town": "Easton", "county": "Wilder", "day": 5,
     "street": "Route 9", "block": None, "time": "6:50 a.m.", "person": "Jordan Hale", "age": 19,
     "vehicle": "a pickup truck", "other": "a delivery van", "near": "Cider Mill Road", "outcome": "was killed",
     "officer": "Trooper Ines Calder"},
    {"event": "crash-route9-night", "kind": "crash", "town": "Easton", "county": "Wilder", "day": 2,
     "street": "Route 9", "block": None, "time": "11:10 p.m.", "person": "Samuel Ortiz", "age": 44,
     "vehicle": "a motorcycle", "other": "a sedan", "near": "Bell Pond Road", "outcome": "was killed",
     "officer": "Trooper Ines Calder"},
    {"event": "crash-elm", "kind": "crash", "town": "Easton", "county": "Wilder", "day": 6,
     "street": "Elm Street", "block": None, "time": "4:30 p.m.", "person": "Priya Natarajan", "age": 33,
     "vehicle": "a minivan", "other": "a school bus", "near": "Grove Avenue", "outcome": "was seriously injured",
     "officer": "Officer Reed Tanaka"},
    {"event": "fire-harlan", "kind": "fire", "town": "Harlan", "county": "Pike", "day": 3,
     "street": "Birch Lane", "block": 600, "time": "5:20 a.m.", "person": "Walter Boyce", "age": 69,
     "outcome": "died", "cause": "faulty wiring", "units": 11, "rescuer": "Capt. Lena Ostrowski"},
]

# outlet -> kind -> (lead, [body sentences], close); {weekday} is the event's weekday
TEMPLATES = {
    "gazette": {
        "fire": ("A fire at a home on {street} in {town} on {weekday} morning sent crews scrambling, "
                 "fire officials said.",
                 ["Firefighters were called to the {block} block of {street} at {time}.",
                  "{person}, {age}, {outcome}, {rescuer} said.",
                  "Investigators believe the fire started with {cause}.",
                  "{units} firefighters worked to bring the blaze under control."],
                 "The American Red Cross is helping the family."),
        "robbery": ("A man robbed {place} on {street} in {town} on {weekday}, police said.",
                    ["The robber showed {weapon} and left with about ${amount}, according to {officer}.",
                     "It happened at {time} at the branch in the {block} block of {street}.",
                     "Police later arrested {person}, {age}, of {town}.",
                     "No one was hurt."],
                    "The case remains under investigation."),
        "crash": ("A driver {outcome} in a crash on {street} in {town} on {weekday}, police said.",
                  ["{person}, {age}, was driving {vehicle} that collided with {other} near {near}.",
                   "The crash was reported at {time}, according to {officer}.",
                   "The road was closed for several hours."],
                  "The cause of the crash is under investigation."),
    },
    "courier": {
        "fire": ("{town} - Flames tore through a house on {street} early {weekday}.",
                 ["{rescuer} said the call came in at {time}.",
                  "The homeowner, {age}-year-old {person}, {outcome}.",
                  "Fire officials blamed {cause}."],
                 "Neighbors said the house had stood on the street for decades."),
        "robbery": ("{town} - Police are looking into a {weekday} robbery at {place}.",
                    ["Officers responded at {time} to the business on {street}.",
                     "A suspect, {person}, {age}, was taken into custody, {officer} said.",
                     "The amount taken was ${amount}."],
                    "Customers inside were shaken but unhurt."),
        "crash": ("{town} - One person {outcome} after {vehicle} and {other} collided on {street} {weekday}.",
                  ["{officer} identified the driver as {person}, {age}.",
                   "Emergency crews arrived at {time}.",
                   "The crash happened near the intersection with {near}."],
                  "Police asked witnesses to come forward."),
    },
    "radio": {
        "fire": ("Crews battled a house fire in {town} on {weekday}.",
                 ["The fire broke out on {street} around {time}.",
                  "Officials said {cause} was to blame.",
                  "{person} {outcome}."],
                 "More updates as they become available."),
        "robbery": ("{place} in {town} was robbed on {weekday} afternoon.",
                    ["Police said the suspect had {weapon}.",
                     "{officer} said {person}, {age}, was arrested a short time later.",
                     "The robbery happened around {time}."],
                    "More updates as they become available."),
        "crash": ("A crash on {street} in {town} left one person hurt or worse on {weekday}.",
                  ["The crash involved {vehicle} and {other}.",
                   "{person}, {age}, {outcome}, {officer} said.",
                   "It happened around {time} near {near}."],
                  "More updates as they become available."),
    },
    "daily": {
        "fire": ("A {weekday} fire on {street} in {town} was the latest of several house fires in "
                 "{county} County this month.",
                 ["The fire was reported at {time} in the {block} block.",
                  "{rescuer} said {person}, {age}, {outcome}.",
                  "{units} firefighters responded, and the cause was {cause}."],
                 "Fire officials urged residents to check their smoke alarms."),
        "robbery": ("{town} police arrested a suspect in the {weekday} robbery of {place}.",
                    ["{person}, {age}, faces a robbery charge, {officer} said.",
                     "The robber took ${amount} from the {street} business at {time}.",
                     "Police said he used {weapon}."],
                    "He is being held at the {county} County jail."),
        "crash": ("A {weekday} crash on {street} in {town} was the third serious crash in {county} County "
                  "this week.",
                  ["{person}, {age}, {outcome} when {vehicle} and {other} collided near {near}.",
                   "{officer} said the crash was reported at {time}."],
                  "Drivers were asked to slow down on the stretch."),
    },
}


def reports(seed: int = 44) -> list[dict]:
    """Two to four reports per event (distinct outlets), shuffled by a fixed seed:
    ``{"id", "text", "date", "event"}``. A report drops each body sentence with chance 0.25
    (never all)."""
    rng = random.Random(seed)
    out = []
    outlets = sorted(TEMPLATES)
    for ev in EVENTS:
        date = WEEK + dt.timedelta(days=ev["day"])
        fill = {**ev, "weekday": WEEKDAYS[date.weekday()]}
        for name in rng.sample(outlets, rng.randint(2, 4)):
            lead, body, close = TEMPLATES[name][ev["kind"]]
            sents = [s for s in body if rng.random() >= 0.25] or body[:1]
            sents = [s for s in sents if "{block}" not in s or ev.get("block")]
            text = "\n\n".join(x.format(**fill) for x in [lead] + sents + [close])
            text = text.replace(".m..", ".m.")   # a time that ends a sentence keeps one stop
            pub = date + dt.timedelta(days=rng.choice([0, 0, 1]))
            out.append({"id": f"{ev['event']}-{name}", "text": text, "date": pub.isoformat(),
                        "event": ev["event"]})
    rng.shuffle(out)
    return out


if __name__ == "__main__":
    recs = reports()
    print(len(recs), "reports of", len({r["event"] for r in recs}), "events")
    for r in recs[:4]:
        print(r["id"], r["date"], "\n", r["text"], "\n")
