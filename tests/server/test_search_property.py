"""Search answers exactly the use cases whose folded text contains the folded term.

The trigram index only narrows the rows (to those holding the term's rarest trigrams); this pins
that the answer is still exactly the substring match, for names that share many trigrams.
"""

from __future__ import annotations

import itertools

import hypothesis.strategies as st
from hypothesis import HealthCheck, given, settings

from ucwidgets.server.store import Store
from ucwidgets.server.store.text_search import fold

STORE = Store.scratch()
_users = itertools.count()
# A small alphabet, so that names share trigrams and terms often match; quotes, spaces and
# accented letters are in it because the index's query language and the folding meet them.
LETTERS = st.sampled_from(list("abcAB é\"'-0"))
NAMES = st.lists(st.text(LETTERS, min_size=1, max_size=12).filter(str.strip), max_size=8)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(names=NAMES, term=st.text(LETTERS, min_size=1, max_size=6))
def test_search_is_the_substring_match_of_the_folded_text(names, term):
    user, _ = STORE.users.create(f"searcher{next(_users)}@example.com")
    made = [STORE.use_cases.create(user, {"name": name}) for name in names]
    found, total = STORE.use_cases.list(user, search=term, limit=1000)
    expected = {uc["id"] for uc in made if fold(term) in fold(uc["name"]) + "\n"}
    assert {uc["id"] for uc in found} == expected
    assert total == len(expected)
