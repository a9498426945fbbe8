"""Agreement between two readings of the same documents' theme labels, for the agreement
scripts beside it (realnews_agreement.py, wire_agreement.py)."""

THEMES = ("governance", "security", "economy")


def agreement(pairs):
    """`pairs`: (first reading, second reading) per document, each a set of labels. Returns
    micro-F1 and exact match between the readings, and per theme in THEMES (count in the first,
    count in the second, Cohen's kappa)."""
    n = len(pairs)
    tp = sum(len(a & b) for a, b in pairs)
    fp = sum(len(b - a) for a, b in pairs)
    fn = sum(len(a - b) for a, b in pairs)
    exact = sum(a == b for a, b in pairs) / n
    themes = []
    for theme in THEMES:
        first = [theme in a for a, _ in pairs]
        second = [theme in b for _, b in pairs]
        p_o = sum(x == y for x, y in zip(first, second)) / n
        p_a, p_b = sum(first) / n, sum(second) / n
        p_e = p_a * p_b + (1 - p_a) * (1 - p_b)
        themes.append((theme, sum(first), sum(second), (p_o - p_e) / (1 - p_e)))
    return 2 * tp / (2 * tp + fp + fn), exact, themes
