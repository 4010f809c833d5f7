"""The arithmetic of a season fee, on hand-computed cases."""

from __future__ import annotations

from datetime import date

import pytest

from operational.payments import money, pricing

SEASON = pricing.Season(amount_minor=36500, start=date(2026, 9, 1), end=date(2027, 8, 31), sibling_discount_percent=10)


def test_splits_add_up_and_the_first_shares_take_the_leftover_cents():
    assert money.split(22501, 2) == [11251, 11250]
    assert money.split(10000, 3) == [3334, 3333, 3333]
    assert sum(money.split(99999, 7)) == 99999


def test_rounding_is_half_up_to_the_cent():
    assert money.percent_off(12345, 10) == 1235  # 1234.5 → 1235
    assert money.pro_rata(10000, 1, 3) == 3333  # 3333.33…
    assert money.pro_rata(10000, 2, 3) == 6667  # 6666.66…


def test_amounts_read_as_people_write_them():
    assert money.display(22500, "EUR", "en") == "€225.00"
    assert money.display(22500, "EUR", "de") == "225,00\xa0€"
    assert money.display(22500, "JPY", "en") == "¥22,500"  # no minor unit


def test_a_player_there_from_the_first_day_pays_the_whole_fee():
    assert pricing.fee_lines(SEASON, joined_on=date(2026, 8, 15), has_sibling_billed=False) == [
        pricing.Line("Season fee", 36500)
    ]


def test_a_late_joiner_pays_for_the_days_left():
    # 1 December to 31 August: 274 of 365 days → 365.00 × 274/365 = 274.00
    lines = pricing.fee_lines(SEASON, joined_on=date(2026, 12, 1), has_sibling_billed=False)
    assert sum(line.amount_minor for line in lines) == 27400
    assert lines[1].description == "Joined on 2026-12-01: 274 of 365 days"


def test_the_sibling_discount_comes_off_the_pro_rata_amount():
    # 274.00 less 10 % = 246.60
    lines = pricing.fee_lines(SEASON, joined_on=date(2026, 12, 1), has_sibling_billed=True)
    assert lines[-1] == pricing.Line("Sibling discount 10%", -2740)
    assert sum(line.amount_minor for line in lines) == 24660


def test_a_player_who_joined_after_the_season_owes_nothing():
    assert pricing.fee_lines(SEASON, joined_on=date(2027, 9, 1), has_sibling_billed=False) == []


@pytest.mark.parametrize("payers", [1, 2, 3])
def test_each_guardians_share_adds_up_and_the_shares_make_the_whole(payers):
    lines = [pricing.Line("Season fee", 22501)]
    shares = pricing.shares_of(lines, payers)
    totals = [sum(line.amount_minor for line in share) for share in shares]
    assert totals == money.split(22501, payers)
