#!/usr/bin/env python3
"""Print the summary and the head of the per-request table of a tiersim results file.

Usage: analysis/summary.py results.h5 [rows]
Uses Debian's python3-h5py and python3-pandas (run with /usr/bin/python3).
"""
import sys

import h5py
import pandas as pd


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path = sys.argv[1]
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with h5py.File(path, "r") as f:
        if f.attrs.get("format") != "tiersim-results":
            print(f"{path}: not a tiersim results file", file=sys.stderr)
            return 1
        print("summary:")
        for key, value in f["summary"].attrs.items():
            if isinstance(value, bytes):
                value = value.decode()
            print(f"  {key} = {value}")
        if "requests" in f:
            table = pd.DataFrame(f["requests"][:])
            components = [c.decode() for c in f["names/components"][:]]
            streams = [s.decode() for s in f["names/streams"][:]]
            table["source"] = table["source"].map(lambda i: components[i])
            table["target"] = table["target"].map(lambda i: components[i])
            table["stream"] = table["stream"].map(lambda i: streams[i])
            table["latency_ns"] = (table["complete_ps"] - table["issue_ps"]) / 1000.0
            print(f"requests: {len(table)} rows")
            print(table.head(rows).to_string(index=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
