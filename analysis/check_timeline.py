#!/usr/bin/env python3
"""Validate a tiersim timeline against the Chrome trace event format (JSON Object Format).

Checks: the object has a `traceEvents` list; every event has a known phase and the fields that
phase needs; every (pid, tid) used is named by thread_name metadata and every pid by
process_name; complete events ("X") have ts >= 0 and dur >= 0, and on each track they do not
overlap (they may be written out of time order: a gap-filling link books idle time before an
already recorded transfer; viewers sort by ts); async request events come in "b"/"e" pairs with the
same id, the end not before the begin. Prints a summary; exits 1 with the first problem found.
expected_requests, when given, is compared with the requests on the "workloads" tracks (devices
such as `dram` record the same requests again on their own tracks).

Usage: analysis/check_timeline.py timeline.json [expected_requests]
"""
import json
import sys


def fail(msg):
    print(f"invalid timeline: {msg}", file=sys.stderr)
    sys.exit(1)


def main():
    path = sys.argv[1]
    expected = int(sys.argv[2]) if len(sys.argv) > 2 else None
    with open(path) as f:
        doc = json.load(f)
    if not isinstance(doc, dict) or not isinstance(doc.get("traceEvents"), list):
        fail("top level must be an object with a traceEvents list")
    procs, threads = {}, {}
    slices = {}
    open_requests = {}
    counts = {"X": 0, "b": 0, "e": 0, "M": 0}
    workload_requests = 0
    for i, ev in enumerate(doc["traceEvents"]):
        ph = ev.get("ph")
        if ph not in counts:
            fail(f"event {i}: unknown phase {ph!r}")
        counts[ph] += 1
        for key in ("pid", "tid", "name"):
            if key not in ev:
                fail(f"event {i}: missing {key}")
        track = (ev["pid"], ev["tid"])
        if ph == "M":
            if ev["name"] == "process_name":
                procs[ev["pid"]] = ev["args"]["name"]
            elif ev["name"] == "thread_name":
                threads[track] = ev["args"]["name"]
            continue
        if ev["pid"] not in procs or track not in threads:
            fail(f"event {i}: track {track} used before it is named")
        ts = float(ev["ts"])
        if ts < 0:
            fail(f"event {i}: negative ts")
        if ph == "X":
            dur = float(ev["dur"])
            if dur < 0:
                fail(f"event {i}: negative dur")
            slices.setdefault(track, []).append((ts, ts + dur, i))
        elif ph == "b":
            open_requests[(track, ev["id"])] = ts
            if procs[ev["pid"]] == "workloads":
                workload_requests += 1
        else:
            begin = open_requests.pop((track, ev["id"]), None)
            if begin is None:
                fail(f"event {i}: end without begin (id {ev['id']})")
            if ts < begin:
                fail(f"event {i}: request ends before it begins")
    for track, spans in slices.items():
        spans.sort()
        for (_, end, _), (start, _, i) in zip(spans, spans[1:]):
            if start < end - 1e-6:
                fail(f"event {i}: overlaps another slice on track {threads[track]!r}")
    if open_requests:
        fail(f"{len(open_requests)} requests never end")
    if expected is not None and workload_requests != expected:
        fail(f"{workload_requests} workload requests, expected {expected}")
    print(f"ok: {len(procs)} groups, {len(threads)} tracks, {counts['X']} slices, "
          f"{counts['b']} request spans ({workload_requests} on workload tracks)")


if __name__ == "__main__":
    main()
