"""A figure's table as CSV: the numbers its chart draws, for spreadsheets (UTF-8 with a BOM, which Excel
needs to read Korean; text cells that could run as formulas are neutralised like the feed's)."""

import csv
import io

from catalog.feeds.writers import neutralise_formula
from program.tables import Table


def table_csv(table: Table) -> str:
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise_formula(str(column)) for column in table.columns])
    for row in table.rows:
        writer.writerow(
            [
                "" if cell is None else neutralise_formula(cell) if isinstance(cell, str) else cell
                for cell in [str(row[0]), *row[1:]]
            ]
        )
    return out.getvalue()
