"""Turns hyperfine's JSON exports into the markdown tables of bench/run.

Usage: report.py TOKEN.json MEMORY.tsv [NETWORK.json [VAULT.json]]
                 [--startup STARTUP.json] [--curl CURL.json]
                 [--parallel PARALLEL.json] [--single-flight SINGLE_FLIGHT.tsv]

A file that does not exist is a group that was not measured: its table is left
out, and its rows of the targets table (printed when any of the --options is
given) say "not measured".
"""

import argparse
import json
import os


def load(path):
    if not path or not os.path.exists(path):
        return {}
    with open(path) as handle:
        return {r["command"]: r for r in json.load(handle)["results"]}


def load_single_flight(path):
    """Rounds of the single-flight benchmark: [(round, grants, failed calls)]."""
    if not path or not os.path.exists(path):
        return []
    with open(path) as handle:
        return [tuple(int(field) for field in line.split("\t")) for line in handle if line.strip()]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("token")
    parser.add_argument("memory", nargs="?")
    parser.add_argument("network", nargs="?")
    parser.add_argument("vault", nargs="?")
    parser.add_argument("--startup")
    parser.add_argument("--curl")
    parser.add_argument("--parallel")
    parser.add_argument("--single-flight")
    args = parser.parse_args()

    token = load(args.token)
    network = load(args.network)
    vault = load(args.vault)
    startup = load(args.startup)
    curl = load(args.curl)
    parallel = load(args.parallel)
    single_flight = load_single_flight(args.single_flight)
    memory = {}
    if args.memory:
        with open(args.memory) as handle:
            for line in handle:
                name, _, kib = line.rstrip("\n").rpartition("\t")
                memory[name] = kib

    def table(results, baseline_name, title):
        baseline = results[baseline_name]
        # Peak RSS only for tables whose commands were measured (GNU time).
        with_rss = any(name in memory for name in results)
        print(f"\n{title}\n")
        print(f"| command | median | mean ± σ | × {baseline_name} |" + (" peak RSS |" if with_rss else ""))
        print("|---|---:|---:|---:|" + ("---:|" if with_rss else ""))
        for name, r in results.items():
            ratio = r["median"] / baseline["median"]
            rss = f" {memory.get(name, '—')} KiB |" if with_rss else ""
            print(
                f"| `{name}` | {r['median'] * 1000:.1f} ms | "
                f"{r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms | "
                f"{ratio:.2f} |{rss}"
            )

    table(token, "secret-tool lookup", "Reading a stored credential")
    if network:
        table(network, "curl", "Token-endpoint round trips on loopback")
    if vault:
        table(vault, "bao kv get", "Reading a credential from Vault (OpenBao dev server on loopback)")
    if startup:
        table(
            startup,
            "/bin/true",
            "Start-up, and `token` with 1 and with 1,000 profiles (keyring: profiles.json grows; file store: credentials.json too)",
        )
    if curl:
        table(curl, "curl -H @file", "`crmauth curl` next to `curl -H @file`, GET of the same loopback URL")
    if parallel:
        table(parallel, "1 token call", "Parallel calls (keyring), each set started by one bash")
    if any(option is not None for option in (args.startup, args.curl, args.parallel, args.single_flight)):
        targets(token, startup, curl, parallel, single_flight)


def median_ms(results, name):
    """The median of one command in ms, or None when it was not measured."""
    return results[name]["median"] * 1000 if name in results else None


def targets(token, startup, curl, parallel, single_flight):
    """Issue #18's targets, one row each: | target | measured | reference | ratio / figure | limit | met |."""
    rows = []

    def row(target, measured, reference, figure, limit, met):
        rows.append((target, measured, reference, figure, limit, "✓" if met else "✗"))

    def not_measured(target, limit):
        row(target, "not measured", "—", "—", limit, False)

    def ratio(target, measured, reference, limit):
        if measured is None or reference is None:
            return not_measured(target, f"≤ {limit:.2f}×")
        value = measured / reference
        row(target, f"{measured:.2f} ms", f"{reference:.2f} ms", f"{value:.2f}×", f"≤ {limit:.2f}×", value <= limit)

    def above_floor(target, value, limit):
        floor = median_ms(startup, "/bin/true")
        if value is None or floor is None:
            return not_measured(target, f"≤ {limit:.1f} ms")
        row(
            target,
            f"{value:.2f} ms",
            f"/bin/true {floor:.2f} ms",
            f"{value:.2f} ms (+{value - floor:.2f})",
            f"≤ {limit:.1f} ms",
            value <= limit,
        )

    above_floor("`crmauth --version` median", median_ms(startup, "crmauth --version"), 1.0)
    above_floor("`crmauth token --store file` median", median_ms(token, "crmauth token --store file"), 1.0)
    ratio(
        "`crmauth token` (keyring) / `secret-tool lookup` of the same size",
        median_ms(token, "crmauth token"),
        median_ms(token, "secret-tool lookup"),
        0.5,
    )
    ratio(
        "growth: `token` (keyring), 1,000 profiles in profiles.json / 1 profile",
        median_ms(startup, "crmauth token (1,000 profiles)"),
        median_ms(startup, "crmauth token (1 profile)"),
        1.2,
    )
    crmauth_curl, plain_curl = median_ms(curl, "crmauth curl"), median_ms(curl, "curl -H @file")
    target = "`crmauth curl` − `curl -H @file`, same loopback URL (file store)"
    if crmauth_curl is None or plain_curl is None:
        not_measured(target, "≤ +1.5 ms")
    else:
        added = crmauth_curl - plain_curl
        reference = f"{plain_curl:.2f} ms"
        env_curl = median_ms(curl, "env curl -H @file")
        if env_curl is not None:
            reference += f"; `env curl` adds {env_curl - plain_curl:+.2f} ms"
        row(target, f"{crmauth_curl:.2f} ms", reference, f"{added:+.2f} ms", "≤ +1.5 ms", added <= 1.5)
    target = "20 parallel `crmauth token` (keyring) / 1, wall time"
    many, one = median_ms(parallel, "20 token calls at once"), median_ms(parallel, "1 token call")
    if many is None or one is None:
        not_measured(target, "≤ 2.00×")
    else:
        floors = []
        for name, twenty, single in (
            ("secret-tool", "20 secret-tool lookups at once", "1 secret-tool lookup"),
            ("/bin/true", "20 /bin/true at once", "1 /bin/true"),
        ):
            if median_ms(parallel, twenty) and median_ms(parallel, single):
                floors.append(f"{name} {median_ms(parallel, twenty) / median_ms(parallel, single):.2f}×")
        reference = f"{one:.2f} ms; same for " + ", ".join(floors) if floors else f"{one:.2f} ms"
        row(target, f"{many:.2f} ms", reference, f"{many / one:.2f}×", "≤ 2.00×", many / one <= 2.0)
    target = "grants for 20 parallel `token --min-valid 2h` on a 30-min token (worst round)"
    if not single_flight:
        not_measured(target, "1 grant")
    else:
        worst = max(grants for _, grants, _ in single_flight)
        failed = sum(failed for _, _, failed in single_flight)
        rounds = " ".join(str(grants) for _, grants, _ in single_flight)
        figure = f"{worst} grant{'s' if worst != 1 else ''}"
        if failed:
            figure += f", {failed} failed call{'s' if failed != 1 else ''}"
        row(target, f"per round: {rounds}", "—", figure, "1 grant", worst == 1 and not failed)

    # Not a target: with the file store, credentials.json grows too.
    many_file = median_ms(startup, "crmauth token --store file (1,000 profiles)")
    one_file = median_ms(startup, "crmauth token --store file (1 profile)")
    file_growth = None
    if many_file and one_file:
        file_growth = (
            f"Not a target: `token --store file` with 1,000 profiles and 1,000 records in "
            f"credentials.json takes {many_file:.2f} ms, {many_file / one_file:.2f}× the {one_file:.2f} ms "
            f"with one (+{many_file - one_file:.2f} ms: both files are read whole)."
        )

    print("\nTargets (issue #18)\n")
    print("| target | measured | reference | ratio / figure | limit | met |")
    print("|---|---:|---:|---:|---:|:---:|")
    for cells in rows:
        print("| " + " | ".join(cells) + " |")
    met = sum(cells[-1] == "✓" for cells in rows)
    print(f"\n{met} of {len(rows)} targets met.")
    if file_growth:
        print(f"\n{file_growth}")


if __name__ == "__main__":
    main()
