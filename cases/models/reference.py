"""Reference data kept as tables, not code (DOMAIN.md: keep criteria and categories as data)."""

from django.db import models


class AllegationCategory(models.Model):
    """IOPC complaint categories (statistics 2023/24 onwards); administrators add sub-categories."""

    name = models.CharField(max_length=120)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    order = models.PositiveSmallIntegerField(default=0)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["order", "name"]
        verbose_name_plural = "allegation categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_unique_in_parent")
        ]

    def __str__(self) -> str:
        return f"{self.parent.name}: {self.name}" if self.parent_id else self.name

    @property
    def group(self) -> "AllegationCategory":
        """The top-level category this one reports under."""
        return self.parent if self.parent_id else self


class Standard(models.Model):
    """The Standards of Professional Behaviour (Police (Conduct) Regulations 2020 Sch 2)."""

    name = models.CharField(max_length=80, unique=True)
    order = models.PositiveSmallIntegerField(unique=True)

    class Meta:
        ordering = ["order"]

    def __str__(self) -> str:
        return self.name


class ReferralCriterion(models.Model):
    """A reason a matter must (or may) be referred to the IOPC (PRA 2002 Sch 3; C&M Regs reg 4)."""

    code = models.SlugField(max_length=40, unique=True)
    description = models.CharField(max_length=300)
    citation = models.CharField(max_length=120)
    mandatory = models.BooleanField(
        default=True, help_text="Mandatory criteria force a referral; others are voluntary."
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order"]
        verbose_name_plural = "referral criteria"

    def __str__(self) -> str:
        return self.description


class ReferenceCounter(models.Model):
    """Last case number issued per year: references are allocated without gaps or races.

    The row is locked (SELECT ... FOR UPDATE) inside the transaction that creates the case, so
    a rolled-back creation also rolls back the number.
    """

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
