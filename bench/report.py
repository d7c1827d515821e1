"""Turns hyperfine's JSON exports into the markdown tables of bench/run.

Usage: report.py TOKEN.json MEMORY.tsv [NETWORK.json [VAULT.json]]
"""

import json
import os
import sys


def load(path):
    with open(path) as handle:
        return {r["command"]: r for r in json.load(handle)["results"]}


def main(argv):
    token = load(argv[1])
    network = load(argv[3]) if len(argv) > 3 and os.path.exists(argv[3]) else {}
    vault = load(argv[4]) if len(argv) > 4 and os.path.exists(argv[4]) else {}
    memory = {}
    if len(argv) > 2:
        with open(argv[2]) as handle:
            for line in handle:
                name, _, kib = line.rstrip("\n").rpartition("\t")
                memory[name] = kib

    def table(results, baseline_name, title):
        baseline = results.get(baseline_name)
        print(f"\n{title}\n")
        print(f"| command | median | mean ± σ | × {baseline_name} | peak RSS |")
        print("|---|---:|---:|---:|---:|")
        for name, r in results.items():
            ratio = r["median"] / baseline["median"] if baseline else float("nan")
            rss = memory.get(name, "?")
            print(
                f"| `{name}` | {r['median'] * 1000:.1f} ms | "
                f"{r['mean'] * 1000:.1f} ± {r['stddev'] * 1000:.1f} ms | "
                f"{ratio:.2f} | {rss} KiB |"
            )

    table(token, "secret-tool lookup", "Reading a stored credential")
    if network:
        table(network, "curl", "Token-endpoint round trips on loopback")
    if vault:
        table(vault, "bao kv get", "Reading a credential from Vault (OpenBao dev server on loopback)")


if __name__ == "__main__":
    main(sys.argv)
