"""The shared design that ships with Threefold: the Signs of Safety innovation programme pilots.

Migration 0002 creates it; `pilot_design_ensure` puts it back if it has gone (a test database
flushed between tests, or someone deleted it in the admin)."""

from evaluation.models import EvaluationDesign

SLUG = "signs-of-safety-pilots"
# DfE LA codes: Brent, Bristol, Leicestershire, Lincolnshire, Norfolk, Suffolk, Tower Hamlets,
# Wakefield, West Sussex, Wokingham (EIP1, 2014-16; first treated year ending March 2015).
EIP1 = ["304", "801", "855", "925", "926", "935", "211", "384", "938", "872"]
BEXLEY = "303"  # joined for EIP2 (from 29 September 2017; first treated year ending March 2018)
INDICATORS = [
    "referral_rate",
    "rereferral_pct",
    "cin_rate",
    "s47_rate",
    "icpc_rate",
    "cpp_start_rate",
    "repeat_cpp_pct",
    "cpp_rate",
    "cpp_2yrs_pct",
]
DESCRIPTION = (
    "The ten authorities of the DfE Innovation Programme Signs of Safety pilots (2014-16, "
    "first treated year ending March 2015) and Bexley, which joined the second round "
    "(2017-19, first treated year ending March 2018), against their statistical neighbours "
    "(DfE April 2021 groupings), years ending March 2013 to 2019. Tower Hamlets left after "
    "the first round and is kept as treated (intention to treat)."
)


def pilot_values() -> dict:
    implementation = [{"code": code, "start": 2015} for code in EIP1]
    implementation.append({"code": BEXLEY, "start": 2018})
    return {
        "name": "Signs of Safety innovation programme pilots",
        "description": DESCRIPTION,
        "implementation": sorted(implementation, key=lambda item: item["code"]),
        "comparison": "neighbours",
        "neighbour_model": "2021",
        "first_year": 2013,
        "last_year": 2019,
        "indicators": INDICATORS,
    }


def pilot_design_ensure() -> EvaluationDesign:
    design = EvaluationDesign.objects.filter(agency=None, slug=SLUG).first()
    if design is None:
        design = EvaluationDesign.objects.create(agency=None, slug=SLUG, **pilot_values())
    return design
