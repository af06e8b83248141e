"""The program's own table: the targets admins set for active certified products, per year and sector."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from certification.codes import Sector


class Target(models.Model):
    """How many active certified products the program means to have at the end of ``year`` in ``sector``
    (the ministry's strategy: 250 products by 2023). Compared on the program page with the count of
    certificates valid on the last day of that year (``program.figures.active_over_time``)."""

    year = models.PositiveSmallIntegerField(validators=[MinValueValidator(2000), MaxValueValidator(2099)])
    sector = models.CharField(max_length=20, choices=Sector.choices)
    products = models.PositiveIntegerField(help_text="active certified products at the end of the year")
    note = models.CharField(max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["year", "sector"]
        constraints = [models.UniqueConstraint(fields=["year", "sector"], name="program_one_target_per_year")]

    def __str__(self) -> str:
        return f"{self.year} {self.sector}: {self.products}"


class FigureGeneration(models.Model):
    """One row whose token changes, in the same transaction, with every write that could change a closed
    year's figures: database triggers on certificates and their status history (migration
    ``0003_figure_generation``) set a new random token. Closed years' counts are cached under the token
    (``program.closed_years``), so a cached count is never shown after such a write commits. A random
    token, not a counter: a rolled-back write's token never comes back to name other data."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.CharField(max_length=64)

    def __str__(self) -> str:
        return self.token
