"""Turn a run's results into the Markdown tables docs/performance.md uses (targets checked, met or not)."""

from __future__ import annotations

import statistics
from typing import Any


def _rps(row: dict[str, Any], key: str) -> float:
    return float(row[key]["rps"])


def _ratio(row: dict[str, Any], top: str, bottom: str) -> float:
    """Median over runs of top/bottom, each pair measured in the same run, one after the other."""
    pairs = zip(row[top]["runs"], row[bottom]["runs"], strict=True)
    return statistics.median(a / b for a, b in pairs)


def _mark(ok: bool) -> str:
    return "met" if ok else "**not met**"


def thread_tables(results: dict[str, Any]) -> str:
    """Throughput per N and the ratios the targets are about."""
    lines = [
        "Requests per second (median of the runs); *ceiling* is the same bytes from memory in the same server.",
        "",
        "| N | page: ceiling | cold | warm (Redis) | warm (in-process) | whole thread (limit=1000): ceiling | cold "
        "| warm | HTML page: ceiling | cold | warm | 304: ceiling | Redis | in-process | Isso (whole thread) |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for n, row in results["sizes"].items():
        cells = [
            "ceiling_json", "cold_json", "warm_json", "local_json", "ceiling_full", "cold_full", "warm_full",
            "ceiling_html", "cold_html", "warm_html", "ceiling_304", "warm_304", "local_304", "isso",
        ]
        values = " | ".join(f"{_rps(row, c):.1f}" if _rps(row, c) < 20 else f"{_rps(row, c):.0f}" for c in cells)
        lines.append(f"| {int(n):,} | {values} |")
    lines += [
        "",
        "Ratios (median over runs of the ratio measured within each run):",
        "",
        "| N | cold whole thread / Isso | cold page / Isso | warm / ceiling | 304 / 304 ceiling | 304 / 200 ceiling "
        "| in-process warm / ceiling | in-process 304 / 304 ceiling | cold HTML time / cold JSON time |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for n, row in results["sizes"].items():
        lines.append(
            f"| {int(n):,} | {_ratio(row, 'cold_full', 'isso'):.1f}x | {_ratio(row, 'cold_json', 'isso'):.1f}x "
            f"| {_ratio(row, 'warm_json', 'ceiling_json'):.0%} | {_ratio(row, 'warm_304', 'ceiling_304'):.0%} "
            f"| {_ratio(row, 'warm_304', 'ceiling_json'):.0%} | {_ratio(row, 'local_json', 'ceiling_json'):.0%} "
            f"| {_ratio(row, 'local_304', 'ceiling_304'):.0%} | {_ratio(row, 'cold_json', 'cold_html'):.2f} |"
        )
    return "\n".join(lines)


def targets(results: dict[str, Any]) -> str:
    """Each target of the issue with the figure that decides it."""
    lines = ["| target | figure | |", "|---|---|---|"]
    row = results["sizes"].get("1000") or results["sizes"].get(1000)
    if row:
        full = _ratio(row, "cold_full", "isso")
        page = _ratio(row, "cold_json", "isso")
        warm = _ratio(row, "warm_json", "ceiling_json")
        n304 = _ratio(row, "warm_304", "ceiling_304")
        html = _ratio(row, "cold_json", "cold_html")
        lines += [
            f"| 1,000 comments, cold JSON ≥ 10 × Isso (whole thread both sides) | {full:.1f}x | {_mark(full >= 10)} |",
            f"| the same, our default page (50 top-level) vs Isso's whole thread | {page:.1f}x | {_mark(page >= 10)} |",
            f"| warm JSON ≥ 50% of the ceiling | {warm:.0%} | {_mark(warm >= 0.5)} |",
            f"| 304 ≥ 80% of the ceiling (a 304 from memory) | {n304:.0%} | {_mark(n304 >= 0.8)} |",
            f"| cold HTML page < 3 × cold JSON time | {html:.2f} × | {_mark(html < 3)} |",
        ]
    post = results.get("post_ms")
    if post:
        ours, isso = statistics.median(post["ours"]), statistics.median(post["isso"])
        ratio = statistics.median(post["block_ratios"]) if "block_ratios" in post else ours / isso
        lines.append(
            f"| posting median ≤ Isso's | ours {ours:.2f} ms, Isso {isso:.2f} ms; "
            f"{ratio:.2f} × (median of the per-block ratios) | {_mark(ratio <= 1)} |"
        )
    rss = results.get("rss")
    if rss:
        peak = max(max(v) for v in rss.values() if v)
        lines.append(f"| each worker < 150 MB resident serving the 10,000-comment thread | peak {peak:.0f} MB "
                     f"| {_mark(peak < 150)} |")
    big = results.get("big")
    if big:
        for key, label in (("thread", "thread read"), ("list_first", "article list, page 1"),
                           ("list_last_cursor", "article list, last page by cursor (Older articles)"),
                           ("list_last", "article list, last page by number (?page=)")):
            if key not in big["ratios"]:
                continue
            ratio = big["ratios"][key]
            lines.append(f"| 1,000,000-comment DB: {label} ≤ 1.2 × its time on the 10,000-comment DB "
                         f"| {ratio:.2f} × | {_mark(ratio <= 1.2)} |")
    return "\n".join(lines)


def other_tables(results: dict[str, Any]) -> str:
    """Posting, the article list, the queue, memory and the large database."""
    lines = []
    post = results.get("post_ms")
    if post:
        lines += [
            "| posting (sequential, one at a time, in alternating blocks) | requests | median | p90 | / Isso |",
            "|---|---|---|---|---|",
        ]
        sides = [k for k in post if isinstance(post[k], list) and k not in ("block_ratios",)]
        for who in sides:
            times = sorted(post[who])
            ratio = statistics.median(post["ratios"][who]) if "ratios" in post else float("nan")
            label = "Isso 0.14" if who == "isso" else who
            lines.append(f"| {label} | {len(times)} | {statistics.median(times):.2f} ms "
                         f"| {times[int(len(times) * 0.9)]:.2f} ms | {ratio:.2f} |")
        lines.append("")
    if "lists" in results:
        lines += ["| page | requests/s | median latency |", "|---|---|---|"]
        for key, value in results["lists"].items():
            lines.append(f"| {key} | {value['rps']:.0f} | {value['p50_ms']:.1f} ms |")
        lines.append("")
    if "rss" in results:
        lines += ["| worker memory while wrk serves the 10,000-comment thread | peak RSS per worker |", "|---|---|"]
        for key, peaks in results["rss"].items():
            lines.append(f"| {key} | {', '.join(f'{p:.0f} MB' for p in peaks)} |")
        lines.append("")
    big = results.get("big")
    if big:
        lines += [
            "| request | 10,000-comment DB (100 articles) | 1,000,000-comment DB (10,000 articles) | time ratio |",
            "|---|---|---|---|",
        ]
        for key, label in (("thread", "thread JSON (cold), one article's 100 comments"),
                           ("list_first", "article list, page 1"),
                           ("list_last_cursor", "article list, last page by cursor"),
                           ("list_last", "article list, last page by number")):
            if key not in big["small"]:
                continue
            small, large = big["small"][key], big["large"][key]
            lines.append(f"| {label} | {small['rps']:.0f}/s, {small['p50_ms']:.1f} ms | {large['rps']:.0f}/s, "
                         f"{large['p50_ms']:.1f} ms | {big['ratios'][key]:.2f} |")
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    """The whole report."""
    parts = [f"Run of {results['started']} — {results['machine']}", "", "### Threads", "", thread_tables(results),
             "", "### Targets", "", targets(results), "", "### Posting, lists, queue, memory, large database", "",
             other_tables(results)]
    return "\n".join(parts)
