"""The IOPC's allegation categories and sub-categories, as the published allegation table
shows them (IOPC, "Police complaints: statistics for England and Wales", 2023/24, "What
complaints were about"; categories defined in the IOPC's "Guidance on capturing data about
police complaints", February 2020, updated January 2021).

The nine top-level categories are seeded by cases migration 0002. The sub-categories below are
seeded by stats migration 0003 and are data afterwards: an administrator may add, rename or
retire them. Each carries where its name was read:

- ``SEEN``: the name appears, as a sub-category of the 2020 scheme, in a force's published list
  of the IOPC terms it records (Northamptonshire OPFCC, FOI 10042022-1 "Police Complaint
  Statistics", 2022). The parent is the category the name belongs to in that scheme; the
  IOPC's own annex was not read (the stored copy shows only its first page), so the
  parent-child pairing itself is *unverified*.
- ``UNVERIFIED``: a sub-category the IOPC scheme is believed to have, not found in any text
  read. Kept so the common allegations have a home; review against the IOPC guidance annex.

An allegation records its sub-category by pointing at it (``Allegation.category``); an
allegation recorded against a top-level category is counted as "sub-category not recorded".
"""

SEEN = "Seen in a force's list of IOPC 2020 terms (Northamptonshire OPFCC FOI 10042022-1)"
UNVERIFIED = "Unverified: not found in the texts read"

DELIVERY = "Delivery of duties and service"
POWERS = "Police powers, policies and procedures"
PROPERTY = "Handling of or damage to property/premises"
INFORMATION = "Access and/or disclosure of information"
VEHICLES = "Use of police vehicles"
DISCRIMINATION = "Discriminatory behaviour"
ABUSE = "Abuse of position/corruption"
BEHAVIOURS = "Individual behaviours"

# (top-level category, sub-category, where the name was read), in the published order.
SUBCATEGORIES: list[tuple[str, str, str]] = [
    (DELIVERY, "Police action following contact", SEEN),
    (DELIVERY, "Decisions", SEEN),
    (DELIVERY, "Information", SEEN),
    (DELIVERY, "General level of service", SEEN),
    (POWERS, "Arrest", UNVERIFIED),
    (POWERS, "Detention in police custody", UNVERIFIED),
    (POWERS, "Stop and search", UNVERIFIED),
    (POWERS, "Searches of premises and seizure of property", SEEN),
    (POWERS, "Use of force", UNVERIFIED),
    (POWERS, "Out of court disposals", SEEN),
    (POWERS, "Other policies and procedures", SEEN),
    (PROPERTY, "Handling of or damage to property/premises", SEEN),
    (INFORMATION, "Disclosure of information", SEEN),
    (VEHICLES, "Use of police vehicles", SEEN),
    # Protected characteristics (Equality Act 2010 s4); Race and Sex seen as sub-categories.
    (DISCRIMINATION, "Age", UNVERIFIED),
    (DISCRIMINATION, "Disability", UNVERIFIED),
    (DISCRIMINATION, "Gender reassignment", UNVERIFIED),
    (DISCRIMINATION, "Race", SEEN),
    (DISCRIMINATION, "Religion or belief", UNVERIFIED),
    (DISCRIMINATION, "Sex", SEEN),
    (DISCRIMINATION, "Sexual orientation", UNVERIFIED),
    (ABUSE, "Abuse of position for a sexual purpose", UNVERIFIED),
    (BEHAVIOURS, "Impolite language/tone", SEEN),
    (BEHAVIOURS, "Impolite and intolerant actions", SEEN),
    (BEHAVIOURS, "Unprofessional attitude and disrespect", SEEN),
    (BEHAVIOURS, "Lack of fairness and impartiality", SEEN),
    (BEHAVIOURS, "Overbearing or harassing behaviours", UNVERIFIED),
]

NOT_RECORDED = "Sub-category not recorded"


def seed(category_model) -> int:
    """Create the sub-categories missing under their (existing) top-level categories; leave
    any an administrator changed alone. Returns how many were created."""
    created, position = 0, {}
    tops = {c.name: c for c in category_model.objects.filter(parent=None)}
    for parent, name, _source in SUBCATEGORIES:
        if parent not in tops:
            continue
        # Ordered after every top-level category and grouped under their own: 101, 102...
        # for the first category's, 201... for the second's (choice lists sort by order).
        position[parent] = position.get(parent, 0) + 1
        _, made = category_model.objects.get_or_create(
            parent=tops[parent],
            name=name,
            defaults={"order": tops[parent].order * 100 + position[parent]},
        )
        created += made
    return created
