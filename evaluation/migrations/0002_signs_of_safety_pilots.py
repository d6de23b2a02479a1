"""The Signs of Safety innovation programme pilots, shipped as a shared design.

EIP1 (2014-16): Brent, Bristol, Leicestershire, Lincolnshire, Norfolk, Suffolk, Tower Hamlets,
Wakefield, West Sussex and Wokingham, funded from autumn 2014, so the first (partly) treated
reporting year is the year ending 31 March 2015. EIP2 (29 September 2017 to September 2019):
the same authorities with Bexley in place of Tower Hamlets; Bexley's first treated year is the
year ending 31 March 2018. Tower Hamlets is kept as treated from 2015 (intention to treat)."""

from django.db import migrations

EIP1 = ["304", "801", "855", "925", "926", "935", "211", "384", "938", "872"]
DESCRIPTION = (
    "The ten authorities of the DfE Innovation Programme Signs of Safety pilots (2014-16, "
    "first treated year ending March 2015) and Bexley, which joined the second round "
    "(2017-19, first treated year ending March 2018), against their statistical neighbours "
    "(DfE April 2021 groupings), years ending March 2013 to 2019. Tower Hamlets left after "
    "the first round and is kept as treated (intention to treat)."
)
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


def create(apps, schema_editor):
    Design = apps.get_model("evaluation", "EvaluationDesign")
    implementation = [{"code": code, "start": 2015} for code in EIP1] + [
        {"code": "303", "start": 2018}
    ]
    Design.objects.update_or_create(
        agency=None,
        slug="signs-of-safety-pilots",
        defaults={
            "name": "Signs of Safety innovation programme pilots",
            "description": DESCRIPTION,
            "implementation": sorted(implementation, key=lambda item: item["code"]),
            "comparison": "neighbours",
            "neighbour_model": "2021",
            "first_year": 2013,
            "last_year": 2019,
            "indicators": INDICATORS,
        },
    )


def remove(apps, schema_editor):
    Design = apps.get_model("evaluation", "EvaluationDesign")
    Design.objects.filter(agency=None, slug="signs-of-safety-pilots").delete()


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(create, remove)]
