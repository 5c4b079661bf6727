"""Language detection (reading/language.py) and the English-only parts it switches off.

The texts are written for these tests: a short local news story told in German,
French, Spanish and Russian, with a quote, names and numbers (so the English stages
would have something to misread), and English controls.
"""
import pytest

import newsgist
from newsgist.options import english_applies
from newsgist.pipeline import highlight_stages
from newsgist.reading import language

FOREIGN = {
    "de": ("Der Stadtrat von Lindenau hat am Dienstagabend beschlossen, die alte Brücke über die Saale "
           "im kommenden Frühjahr für 4,5 Millionen Euro zu sanieren. Die Arbeiten sollen etwa vier Monate "
           "dauern. „Wir haben lange genug gewartet“, sagte Bürgermeisterin Anna Keller nach der Sitzung.\n\n"
           "Während der Bauzeit fährt eine Fähre zwischen den beiden Ufern. Die Händler in der Altstadt "
           "befürchten weniger Kundschaft, wie ein Sprecher der Kaufmannschaft mitteilte."),
    "fr": ("Le conseil municipal de Valmont a décidé mardi soir de rénover le vieux pont sur la rivière au "
           "printemps prochain, pour un coût de 4,5 millions d'euros. Les travaux devraient durer environ "
           "quatre mois. « Nous avons attendu assez longtemps », a déclaré la maire Anne Keller après la "
           "séance.\n\nPendant le chantier, un bac assurera la traversée entre les deux rives. Les "
           "commerçants du centre-ville craignent une baisse de leur clientèle, selon leur association."),
    "es": ("El ayuntamiento de Valdelobos decidió el martes por la noche reparar el viejo puente sobre el "
           "río la próxima primavera, con un presupuesto de 4,5 millones de euros. Las obras durarán unos "
           "cuatro meses. «Hemos esperado demasiado tiempo», dijo la alcaldesa Ana Keller tras la "
           "reunión.\n\nMientras duren los trabajos, una barcaza unirá las dos orillas. Los comerciantes "
           "del casco antiguo temen perder clientes, según explicó un portavoz de su asociación."),
    "ru": ("Городской совет Заречья во вторник вечером решил отремонтировать старый мост через реку "
           "следующей весной. Ремонт обойдётся в 4,5 миллиона рублей и займёт около четырёх месяцев. "
           "«Мы ждали достаточно долго», — сказала после заседания мэр Анна Келлер.\n\n"
           "На время работ между берегами будет ходить паром. Торговцы в старом городе опасаются, что "
           "покупателей станет меньше, сообщил представитель их объединения."),
}
ENGLISH = [
    ("The town council of Millbrook voted on Tuesday night to repair the old bridge over the river next "
     "spring at a cost of $4.5 million. The work is expected to take about four months. “We have waited "
     "long enough,” Mayor Anna Keller said after the meeting.\n\nA ferry will carry people between the "
     "two banks while the bridge is closed. Shop owners in the old town fear they will lose customers, "
     "a spokesman for their association said."),
    ("Heavy rain flooded dozens of homes in the valley on Sunday, and about 300 people spent the night "
     "in a school gym. “The water came up faster than anyone expected,” said fire chief Tom Reyes.\n\n"
     "Forecasters expect more rain on Wednesday. The county has opened two more shelters."),
]


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_detects_each_language_confidently(code):
    got, conf = language.detect(FOREIGN[code])
    assert got == code and conf >= 0.9


@pytest.mark.parametrize("text", ENGLISH)
def test_detects_english_controls(text):
    got, conf = language.detect(text)
    assert got == "en" and conf >= 0.9


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_foreign_card_has_text_and_position_highlights_but_no_english_model_output(code):
    text = FOREIGN[code]
    card = newsgist.read(text).to_dict()
    meta = card["meta"]
    assert meta["language"] == code and meta["language_confidence"] >= 0.9
    assert meta["method"] == "position"
    assert any("not English" in w and code in w for w in meta["warnings"])
    assert card["quotes"] == [] and card["entities"] == [] and card["figures"] == [] and card["dates"] == []
    assert "analyse" in meta["timings_ms"]  # the stage ran and did nothing
    assert card["body"]["text"]
    assert card["highlights"]
    for h in card["highlights"]:
        assert text[h["start"]:h["end"]] == h["text"]


@pytest.mark.parametrize("code", sorted(FOREIGN))
def test_foreign_text_never_gets_the_learned_ranker_or_compression(code):
    a = newsgist.read(FOREIGN[code], highlights_only=True, method="learned", compress=True)
    assert a.meta["method"] == "position"
    assert "compression" not in a.meta
    assert all(h.spans is None and not h.compressed for h in a.highlights)
    assert "auto_count" not in a.meta


def test_language_agnostic_methods_stay_as_asked():
    a = newsgist.read(FOREIGN["de"], highlights_only=True, method="lead")
    assert a.meta["method"] == "lead"


@pytest.mark.parametrize("text", ENGLISH)
def test_english_controls_keep_every_part(text):
    card = newsgist.read(text).to_dict()
    meta = card["meta"]
    assert meta["language"] == "en" and "warnings" not in meta
    assert card["quotes"] and card["entities"]
    from newsgist.highlighting.methods import default_method
    assert meta["method"] == default_method()


def test_english_compression_still_runs():
    a = newsgist.read(ENGLISH[0], highlights_only=True, compress=True)
    assert "compression" in a.meta and all(h.spans is not None for h in a.highlights)


def test_undetermined_text_is_read_as_english():
    code, conf = language.detect("12 345. 67 890. 2024-05-01.")
    assert code == language.UNDETERMINED and conf < language.MIN_CONFIDENCE
    assert english_applies({"language": language.UNDETERMINED})
    assert english_applies({})  # a run without the language stage behaves as before
    assert not english_applies({"language": "de"})


def test_highlights_only_runs_detect_too():
    assert "language" in [s.name for s in highlight_stages()]
    a = newsgist.read(FOREIGN["fr"], highlights_only=True)
    assert a.meta["language"] == "fr" and a.meta["method"] == "position"


def test_sample_is_bounded_and_reads_the_middle():
    long_text = "a" * 100_000 + "MIDDLE" + "b" * 100_000
    s = language.sample(long_text)
    assert len(s) <= language.SAMPLE_HEAD_CHARS + language.SAMPLE_MIDDLE_CHARS + 1
    assert "MIDDLE" in s
    assert language.sample("short") == "short"


def test_mostly_foreign_page_with_english_furniture_is_foreign():
    # an English first paragraph (site furniture that survived cleaning) before a long German story
    text = "Subscribe to our newsletter for the latest news.\n\n" + "\n\n".join([FOREIGN["de"]] * 6)
    assert language.detect(text)[0] == "de"


def test_a_broken_detector_is_never_fatal(monkeypatch):
    from newsgist.errors import ModelError
    monkeypatch.setattr(language, "_DETECTOR", [ModelError("language detector unavailable: test")])
    a = newsgist.read(ENGLISH[0], highlights_only=True)
    assert a.meta["language"] == "und"
    assert any("unavailable" in w for w in a.meta["warnings"])
    assert a.highlights


def test_lone_surrogates_and_control_characters_do_not_break_detection():
    code, conf = language.detect("Der Rat \ud800 tagte\x00 am Dienstag \u200f\ufeff in der Stadt.")
    assert isinstance(code, str) and 0.0 <= conf <= 1.0


def test_the_checker_gives_no_verdict_on_other_languages():
    from newsgist.grounding import stage as G  # noqa: F401  (the ground stage is registered)
    text = ("Der Stadtrat hat am Montag beschlossen, die alte Brücke über den Fluss für zwei Jahre zu schließen. "
            "Die Ingenieure fanden schwere Schäden an den Stahlseilen der Brücke. "
            "Die Stadt will während der Bauarbeiten kostenlose Fähren anbieten. "
            "Viele Pendler müssen nun früher aufstehen, sagte die Bürgermeisterin.")
    art = newsgist.read(text, highlights_only=True)
    assert art.meta["language"] == "de"
    for h in art.to_dict()["highlights"]:
        assert "support" in h and "supported" not in h and "support_score" not in h
