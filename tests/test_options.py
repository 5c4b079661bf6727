import pytest

from newsgist.errors import OptionsError
from newsgist.options import Options


def test_defaults_valid():
    o = Options()
    assert o.method == "default" and o.count is None and o.format == "text"


@pytest.mark.parametrize("kw", [{"method": "nope"}, {"count": 0}, {"count": 11}, {"count": "3"},
                                {"max_words": 2}, {"format": "xml"}, {"max_bytes": 0}])
def test_invalid_values(kw):
    with pytest.raises(OptionsError):
        Options(**kw)


def test_from_dict_rejects_unknown_keys():
    assert Options.from_dict({"count": 4}).count == 4
    with pytest.raises(OptionsError, match="unknown option"):
        Options.from_dict({"cnt": 4})


def test_replace_revalidates():
    with pytest.raises(OptionsError):
        Options().replace(count=99)
