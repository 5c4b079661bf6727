"""Look-alike shooting reports (invented, for ``bench_cluster.py lookalike``): many incidents of
the same kind in one week, several on the same day, each told by two to four outlets in their
own words. What tells them apart is only what tells events apart in real wire copy: the city
and street, the victims' names and ages, the numbers, the suspect, the date.

Every text here is written for this project (no real incident, no copied report); the facts
are drawn with a fixed seed, so the set is the same on every run.
"""
from __future__ import annotations

import datetime as dt
import random

CITIES = [("Dayton", "Ohio"), ("Tulsa", "Oklahoma"), ("Fresno", "California"), ("Akron", "Ohio"),
          ("Macon", "Georgia"), ("Peoria", "Illinois"), ("Shreveport", "Louisiana"), ("Gary", "Indiana"),
          ("Flint", "Michigan"), ("Mobile", "Alabama"), ("Toledo", "Ohio"), ("Stockton", "California"),
          ("Wichita", "Kansas"), ("Savannah", "Georgia"), ("Rockford", "Illinois"), ("Jackson", "Mississippi")]
FIRST = ["Marcus", "Tanya", "Luis", "Keisha", "Darnell", "Maria", "Trevor", "Alicia", "Jamal", "Rosa",
         "Derek", "Shawna", "Omar", "Brittany", "Carlos", "Denise", "Tyrone", "Heather", "Victor", "Latoya"]
LAST = ["Whitfield", "Okafor", "Ramirez", "Dawson", "Pruitt", "Castillo", "Henley", "Mbeki", "Garland",
        "Vasquez", "Thornton", "Bledsoe", "Navarro", "Kimbrough", "Lacey", "Ortega", "Sutter", "Greer"]
STREETS = ["Maple Avenue", "Third Street", "Riverside Drive", "Elm Street", "Kings Highway", "Oak Lane",
           "Central Avenue", "Lincoln Boulevard", "Pine Street", "Market Street", "Grand Avenue", "Hill Road"]
PLACES = ["a convenience store", "an apartment complex", "a gas station", "a house party", "a bar",
          "a parking lot", "a city park", "a barbershop"]
CHIEFS = ["Chief", "Police Chief", "Sheriff", "Lt.", "Sgt.", "Capt."]

OUTLETS = [
    # (lead, body sentences, close): placeholders filled from the incident
    ("{n_shot} people were shot, {n_dead} of them fatally, near {place} on {street} in {city} late {weekday}, "
     "police said.",
     ["Officers were called to the {block} block of {street} at about {hour}:{minute} p.m. after reports of "
      "gunfire.",
      "The dead were identified as {victims}.",
      "{chief} {officer} said investigators believe the shooting followed an argument.",
      "A {sage}-year-old man, {suspect}, was arrested early {next_weekday} and charged with {charge}.",
      "Anyone with information is asked to call the {city} Police Department."],
     "It was the {nth} shooting in {city} this month."),
    ("{city}, {state} ({month} {day}) - A shooting near {place} in {city} left {n_dead} dead and "
     "{n_hurt} wounded on {weekday} night, authorities said.",
     ["According to {city} police, the gunfire broke out around {hour}:{minute} p.m. on {street}.",
      "Family members identified the victims as {victims}.",
      "Police said {suspect}, {sage}, was taken into custody and faces {charge} charges.",
      "\"This is a senseless act,\" {chief} {officer} told reporters.",
      "The wounded were taken to {hospital}, where {n_hurt} remained in serious condition."],
     "Police have not released a motive."),
    ("Police in {city} are investigating a {weekday} night shooting that killed {victims_short}.",
     ["The shooting happened outside {place} on the {block} block of {street}, police said.",
      "{n_hurt} other people were hurt, including a {hage}-year-old.",
      "{chief} {officer} of the {city} police said a suspect, {suspect}, {sage}, was arrested.",
      "He is being held at the {county} County jail on {charge} charges with bond set at ${bond},000.",
      "Neighbors said they heard more than {shots} shots."],
     "The investigation is continuing."),
    ("Gunfire at {place} in {city}, {state}, killed {n_dead} and injured {n_hurt} on {weekday}.",
     ["Witnesses told police a man opened fire after a fight on {street} shortly after {hour}:{minute} p.m.",
      "Those killed were {victims}, police said {next_weekday}.",
      "{suspect}, {sage}, of {city}, has been charged with {charge}.",
      "Investigators recovered {shots} shell casings at the scene, {chief} {officer} said."],
     "A vigil is planned for {next_weekday} evening."),
]
CHARGES = ["murder", "first-degree murder", "second-degree murder", "aggravated assault", "manslaughter"]
HOSPITALS = ["St. Mary's Hospital", "Regional Medical Center", "Memorial Hospital", "University Hospital"]
COUNTIES = ["Franklin", "Clay", "Marion", "Jefferson", "Madison", "Washington"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _person(rng) -> str:
    return f"{rng.choice(FIRST)} {rng.choice(LAST)}"


def incidents(n: int = 24, seed: int = 30, start: dt.date = dt.date(2025, 6, 2), days: int = 6) -> list[dict]:
    """``n`` invented incidents over ``days`` days (several share a day; with more incidents than cities, some share a city)."""
    rng = random.Random(seed)
    out = []
    cities = rng.sample(CITIES, len(CITIES))
    for i in range(n):
        city, state = cities[i % len(cities)]
        date = start + dt.timedelta(days=rng.randrange(days))
        n_dead = rng.randint(1, 3)
        victims = [(_person(rng), rng.randint(17, 64)) for _ in range(n_dead)]
        out.append({
            "incident": f"inc{i + 1:02d}", "city": city, "state": state, "date": date,
            "place": rng.choice(PLACES), "street": rng.choice(STREETS), "block": rng.randint(1, 49) * 100,
            "n_dead": n_dead, "n_hurt": rng.randint(1, 5), "victims": victims,
            "suspect": _person(rng), "sage": rng.randint(18, 45), "charge": rng.choice(CHARGES),
            "officer": rng.choice(LAST), "chief": rng.choice(CHIEFS), "hour": rng.randint(6, 11),
            "minute": f"{rng.choice(range(0, 60, 5)):02d}", "hospital": rng.choice(HOSPITALS),
            "county": rng.choice(COUNTIES), "bond": rng.randint(50, 900), "shots": rng.randint(10, 30),
            "hage": rng.randint(11, 17), "nth": rng.choice(["third", "fourth", "fifth", "sixth"]),
        })
    return out


def reports(n: int = 24, seed: int = 30) -> list[dict]:
    """Two to four reports per incident (distinct outlets), shuffled by a fixed seed:
    ``{"id", "text", "date", "incident"}``."""
    rng = random.Random(seed + 1)
    recs = []
    for inc in incidents(n, seed):
        k = rng.randint(2, 4)
        for o in rng.sample(range(len(OUTLETS)), k):
            lead, body, close = OUTLETS[o]
            d = inc["date"] + dt.timedelta(days=rng.choice([0, 0, 1]))
            names = ", ".join(f"{p}, {a}" for p, a in inc["victims"])
            fill = {**inc, "victims": names, "victims_short": " and ".join(p for p, _ in inc["victims"]),
                    "n_shot": inc["n_dead"] + inc["n_hurt"], "weekday": WEEKDAYS[inc["date"].weekday()],
                    "next_weekday": WEEKDAYS[(inc["date"].weekday() + 1) % 7],
                    "month": inc["date"].strftime("%b."), "day": inc["date"].day}
            sents = [s for s in body if rng.random() < 0.8] or body[:2]
            text = "\n\n".join([lead.format(**fill)] + [s.format(**fill) for s in sents] + [close.format(**fill)])
            recs.append({"id": f"{inc['incident']}-o{o}", "text": text, "date": d.isoformat(),
                         "incident": inc["incident"]})
    rng.shuffle(recs)
    return recs


if __name__ == "__main__":
    for r in reports()[:3]:
        print(r["id"], r["date"], "\n", r["text"], "\n")
