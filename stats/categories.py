"""The IOPC's allegation categories and subcategories, as its published statistics print them.

Source, read for every name and parent below: IOPC, "Police complaints: statistics for England
and Wales 2024/25" (policeconduct.gov.uk), Table 6 "Number of allegations logged - what has
been complained about" (the eleven categories, in this order), Table 18 "Nature of allegations
finalised under Schedule 3 by how they were handled" (each category with its subcategories,
Delivery of duties and service to Abuse of position / corruption) and the table of allegations
logged by category and subcategory (Use of police vehicles to Other). The categories follow
the IOPC's "Guidance on capturing data about police complaints" (February 2020, updated
January 2021), whose annex itself was not read.

Spelling: the published tables put spaces round some slashes ("Abuse of position /
corruption", "Impolite language / tone") and not others ("property/ premises"); the names
here keep the unspaced slash the force's data already uses, so that imports and existing
records still match. Nothing else differs.

The first nine categories are seeded by cases migration 0002; "Sexual conduct" and "Other"
and every subcategory by this module (stats migrations 0003 and 0005). They are data
afterwards: an administrator may add, rename or retire them. An allegation records its
subcategory by pointing at it (``Allegation.category``); one recorded against a top-level
category that has subcategories is counted as "No subcategory recorded", the published row.
"""

PUBLISHED = (
    "IOPC, Police complaints: statistics for England and Wales 2024/25, Tables 6 and 18 and "
    "allegations logged by category and subcategory"
)

DELIVERY = "Delivery of duties and service"
POWERS = "Police powers, policies and procedures"
PROPERTY = "Handling of or damage to property/premises"
INFORMATION = "Access and/or disclosure of information"
VEHICLES = "Use of police vehicles"
DISCRIMINATION = "Discriminatory behaviour"
ABUSE = "Abuse of position/corruption"
BEHAVIOURS = "Individual behaviours"
SEXUAL = "Sexual conduct"
DISCREDITABLE = "Discreditable conduct"
OTHER = "Other"

# The top-level categories in the published order (Table 6); ``order`` is the position.
CATEGORIES = [
    DELIVERY,
    POWERS,
    PROPERTY,
    INFORMATION,
    VEHICLES,
    DISCRIMINATION,
    ABUSE,
    BEHAVIOURS,
    SEXUAL,
    DISCREDITABLE,
    OTHER,
]

# (top-level category, subcategory), in the published order.
SUBCATEGORIES: list[tuple[str, str]] = [
    (DELIVERY, "Police action following contact"),
    (DELIVERY, "Decisions"),
    (DELIVERY, "General level of service"),
    (DELIVERY, "Information"),
    (POWERS, "Stops, and stop and search"),
    (POWERS, "Searches of premises and seizure of property"),
    (POWERS, "Power to arrest and detain"),
    (POWERS, "Detention in police custody"),
    (POWERS, "Bail, identification and interview procedures"),
    (POWERS, "Use of force"),
    (POWERS, "Evidential procedures"),
    (POWERS, "Out of court disposals"),
    (POWERS, "Other policies and procedures"),
    (PROPERTY, "Handling of or damage to property/premises"),
    (INFORMATION, "Use of police systems"),
    (INFORMATION, "Disclosure of information"),
    (INFORMATION, "Handling of information"),
    (INFORMATION, "Accessing and handling of information from other sources"),
    (VEHICLES, "Use of police vehicles"),
    (DISCRIMINATION, "Age"),
    (DISCRIMINATION, "Disability"),
    (DISCRIMINATION, "Gender reassignment"),
    (DISCRIMINATION, "Marriage and civil partnership"),
    (DISCRIMINATION, "Pregnancy and maternity"),
    (DISCRIMINATION, "Race"),
    (DISCRIMINATION, "Religion or belief"),
    (DISCRIMINATION, "Sex"),
    (DISCRIMINATION, "Sexual orientation"),
    (DISCRIMINATION, "Other"),
    (ABUSE, "Abuse of position for financial purpose"),
    (ABUSE, "Abuse of position for sexual purpose"),
    (
        ABUSE,
        "Abuse of position for the purpose of pursuing an inappropriate emotional relationship",
    ),
    (ABUSE, "Abuse of position for other purpose"),
    (ABUSE, "Obstruction of justice"),
    (ABUSE, "Organisational corruption"),
    (BEHAVIOURS, "Unprofessional attitude and disrespect"),
    (BEHAVIOURS, "Lack of fairness and impartiality"),
    (BEHAVIOURS, "Overbearing or harassing behaviours"),
    (BEHAVIOURS, "Impolite language/tone"),
    (BEHAVIOURS, "Impolite and intolerant actions"),
    (SEXUAL, "Sexual assault"),
    (SEXUAL, "Sexual harassment"),
    (SEXUAL, "Other sexual conduct"),
    (DISCREDITABLE, "Discreditable conduct"),
    (OTHER, "Other"),
]

# Names seeded by stats migration 0003 before the published tables were read, and the
# published name each becomes: (category, old name, new name).
RENAMED = [
    (POWERS, "Arrest", "Power to arrest and detain"),
    (POWERS, "Stop and search", "Stops, and stop and search"),
    (ABUSE, "Abuse of position for a sexual purpose", "Abuse of position for sexual purpose"),
]

NOT_RECORDED = "No subcategory recorded"


def seed(category_model) -> int:
    """Create the subcategories missing under their (existing) top-level categories; leave
    any an administrator changed alone. Returns how many were created."""
    created, position = 0, {}
    tops = {c.name: c for c in category_model.objects.filter(parent=None)}
    for parent, name in SUBCATEGORIES:
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


def publish(category_model) -> None:
    """Bring the categories seeded before the published tables were read into their shape:
    add the missing top-level categories, put the eleven in the published order, give the
    renamed subcategories their published names (the rows are renamed, so the allegations
    recording them follow), create the missing subcategories and order them as published.
    A name an administrator already uses is never taken twice."""
    for order, name in enumerate(CATEGORIES, start=1):
        top = category_model.objects.filter(parent=None, name=name).first()
        if top is None:
            category_model.objects.create(parent=None, name=name, order=order)
        elif top.order != order:
            top.order = order
            top.save(update_fields=["order"])
    for parent, old, new in RENAMED:
        siblings = category_model.objects.filter(parent__parent=None, parent__name=parent)
        if not siblings.filter(name=new).exists():
            siblings.filter(name=old).update(name=new)
    seed(category_model)
    position: dict[str, int] = {}
    for parent, name in SUBCATEGORIES:
        position[parent] = position.get(parent, 0) + 1
        order = (CATEGORIES.index(parent) + 1) * 100 + position[parent]
        category_model.objects.filter(parent__parent=None, parent__name=parent, name=name).update(
            order=order
        )
