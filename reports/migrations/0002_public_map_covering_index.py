"""A covering index for the public map aggregate (reports.selectors.public_map_cells).

It starts with (grid_x, grid_y), so it replaces reports_grid_idx."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="report",
            name="reports_grid_idx",
        ),
        migrations.AddIndex(
            model_name="report",
            index=models.Index(
                fields=[
                    "grid_x",
                    "grid_y",
                    "category",
                    "status",
                    "duplicate_of",
                    "created_at",
                    "support_count",
                ],
                name="reports_public_map_idx",
            ),
        ),
    ]
