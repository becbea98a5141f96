"""Plain-text tables for benchmark output."""

from collections.abc import Sequence


def print_table(title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
    cells = [[str(h) for h in headers], *[[_fmt(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    line = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    print(f"\n{title}")
    print(line)
    for n, row in enumerate(cells):
        print("| " + " | ".join(_align(c, w, n) for c, w in zip(row, widths, strict=True)) + " |")
        if n == 0:
            print(line)
    print(line)


def _fmt(value: object) -> str:
    if isinstance(value, float):
        if value >= 100:
            return f"{value:,.0f}"
        return f"{value:.2f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _align(cell: str, width: int, row_number: int) -> str:
    numeric = cell.replace(",", "").replace(".", "").replace("%", "").lstrip("-").isdigit()
    return cell.rjust(width) if row_number and numeric else cell.ljust(width)
