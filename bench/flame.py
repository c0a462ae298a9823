"""Folded stacks (py-spy's ``raw`` output) to a flame graph SVG, and a short text summary.

py-spy writes either folded stacks or an SVG; the bench keeps the folded stacks (easy to diff and
summarise) and draws the SVG from them here, so one recording gives both.

    python -m bench.flame bench/results/profile-sign.folded docs/perf/sign-after.svg
"""

import sys
from collections import Counter
from html import escape
from pathlib import Path

WIDTH, ROW = 1200, 16


def read_folded(path) -> Counter:
    stacks = Counter()
    for line in Path(path).read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if stack and count.isdigit():
            # One graph for all of gunicorn's workers, not one per process id.
            frames = [frame for frame in stack.split(";") if not frame.startswith("process ")]
            stacks[tuple(frames)] += int(count)
    return stacks


def _tree(stacks: Counter) -> dict:
    root = {"name": "all", "count": 0, "children": {}}
    for frames, count in stacks.items():
        node = root
        node["count"] += count
        for frame in frames:
            node = node["children"].setdefault(frame, {"name": frame, "count": 0, "children": {}})
            node["count"] += count
    return root


def _colour(name: str) -> str:
    ours = any(part in name for part in ("actions/", "cms/", "advocacy/", "reports/"))
    seed = sum(map(ord, name)) % 60
    return f"rgb({200 + seed // 2},{90 + seed},{40})" if not ours else f"rgb({60},{140 + seed},{200})"


def svg(stacks: Counter, title: str) -> str:
    root = _tree(stacks)
    total = max(root["count"], 1)
    depth_max = max((len(f) for f in stacks), default=0) + 1
    height = (depth_max + 3) * ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" font-family="monospace" '
        f'font-size="11"><rect width="100%" height="100%" fill="#fff"/>'
        f'<text x="4" y="13">{escape(title)} ({total} samples; blue: this project\'s code)</text>'
    ]

    def draw(node, x, depth):
        width = WIDTH * node["count"] / total
        if width < 0.5:
            return
        y = height - (depth + 1) * ROW
        share = 100 * node["count"] / total
        label = f"{node['name']} ({share:.1f}%)"
        out.append(
            f'<g><title>{escape(label)}</title><rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{ROW - 1}" '
            f'fill="{_colour(node["name"])}"/>'
        )
        if width > 40:
            text = label[: int(width / 6.6)]
            out.append(f'<text x="{x + 2:.1f}" y="{y + 11}">{escape(text)}</text>')
        out.append("</g>")
        for child in sorted(node["children"].values(), key=lambda c: c["name"]):
            draw(child, x, depth + 1)
            x += WIDTH * child["count"] / total

    draw(root, 0.0, 0)
    out.append("</svg>")
    return "\n".join(out)


def summary(stacks: Counter, top: int = 25) -> str:
    """Inclusive share of the busiest frames (each counted once per stack)."""
    total = max(sum(stacks.values()), 1)
    inclusive = Counter()
    for frames, count in stacks.items():
        for frame in set(frames):
            inclusive[frame.split(" (")[0]] += count
    return "\n".join(f"{100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top))


if __name__ == "__main__":
    source, target = sys.argv[1], sys.argv[2]
    folded = read_folded(source)
    Path(target).write_text(svg(folded, Path(target).stem))
    print(summary(folded))
