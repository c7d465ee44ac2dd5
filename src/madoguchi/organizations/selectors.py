from django.conf import settings

from .models import Municipality, OrgUnit


def home_municipality() -> Municipality:
    """The municipality this deployment serves by default (Kyoto City, 261009)."""
    return Municipality.objects.get(code=settings.MADOGUCHI_MUNICIPALITY_CODE)


def wards(municipality: Municipality) -> list[OrgUnit]:
    return list(
        OrgUnit.objects.filter(municipality=municipality, kind=OrgUnit.Kind.WARD).order_by(
            "local_government_code"
        )
    )


def section_for(municipality: Municipality, *, function: str, ward: OrgUnit | None) -> OrgUnit:
    """The section that handles ``function``: inside ``ward`` when given, else city-wide."""
    units = OrgUnit.objects.filter(
        municipality=municipality, kind=OrgUnit.Kind.SECTION, function=function
    )
    if ward is not None:
        units = units.filter(parent=ward)
    return units.get()
