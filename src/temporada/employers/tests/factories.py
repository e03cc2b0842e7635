"""Job orders for employer tests: only the columns the resolution reads, plus what the model requires."""

import itertools

from temporada.demand.models import JobOrder

_seq = itertools.count(1)


def job_order(name, *, country="USA", trade="", address="", city="", state="", postal="", year=2017,
              source="oflc_h2a", programme="H-2A", synthetic=False, certified=10, **extra):
    n = next(_seq)
    return JobOrder.objects.create(
        source=source, source_key=f"T-{n:06d}", programme=programme, fiscal_year=year, employer_name=name,
        trade_name=trade, employer_address=address, employer_city=city, employer_state=state,
        employer_postal_code=postal, country_id=country, source_file="test.xlsx", source_row=n + 1,
        is_synthetic=synthetic, positions_certified=certified, positions_requested=certified, **extra,
    )
