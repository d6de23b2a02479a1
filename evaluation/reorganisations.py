"""Local government reorganisations that break an authority's series, as the files show them.

DfE reports each authority as it was in the reporting year (year ending 31 March). When
authorities were merged or split, the old ones stop and the new ones start. For a series that
runs across the change, the counts and populations of the authorities on both sides are added
up into one combined unit, which covers the same children before and after. The loader checks
each reorganisation against the data (old authorities last reported in the year before, new
ones first in the year given) and reports any authority that starts or stops otherwise.

Changes of ONS code under the same DfE code (Buckinghamshire 2021; North Yorkshire and
Somerset 2024) are not reorganisations for a series: the children covered are the same."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Reorganisation:
    first_year: int  # the first reporting year of the new authorities
    before: tuple[str, ...]
    after: tuple[str, ...]
    series_code: str
    series_name: str


REORGANISATIONS = [
    Reorganisation(
        2020,
        ("835", "836", "837"),
        ("838", "839"),
        "835+",
        "Dorset, Bournemouth and Poole (combined across the 2019 reorganisation)",
    ),
    Reorganisation(
        2022,
        ("928",),
        ("940", "941"),
        "928+",
        "Northamptonshire (combined with North and West Northamptonshire from 2021)",
    ),
    Reorganisation(
        2024,
        ("909",),
        ("942", "943"),
        "909+",
        "Cumbria (combined with Cumberland and Westmorland and Furness from 2023)",
    ),
]
SERIES_OF = {
    code: reorganisation.series_code
    for reorganisation in REORGANISATIONS
    for code in reorganisation.before + reorganisation.after
}
SERIES_NAMES = {r.series_code: r.series_name for r in REORGANISATIONS}
SERIES_MEMBERS = {r.series_code: r.before + r.after for r in REORGANISATIONS}
