"""Bad input of every kind to every URL and form: no page crashes, no refusal half-saves.

A few hundred seeded inputs here; `make fuzz` sends 10,000 (FUZZ_INPUTS) and prints the report.
Transactional, like production: each request commits or rolls back on its own, so a write left
behind by a refused request shows in the tables.
"""

import os

import pytest

from tests.fuzz import Fuzzer

INPUTS = int(os.environ.get("FUZZ_INPUTS", "300"))
SEED = int(os.environ.get("FUZZ_SEED", "2025"))


@pytest.mark.django_db(transaction=True)
def test_no_bad_input_crashes_a_page_or_half_saves(library):
    report = Fuzzer(SEED).run(INPUTS)

    print(f"\n{report.text()}")
    assert report.sent == INPUTS
    assert report.clean, report.text()
