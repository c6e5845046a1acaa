#!/usr/bin/env bash
# Builds perf/target/benchmarks.jar and runs every JMH suite with the GC profiler (one command):
#   perf/run-jmh.sh [JMH regex]        results: perf/results/jmh-<date>.json and a table on stdout
# Short iterations so the whole suite fits in ~10 min on a 2-core box; timings there are indicative only,
# gc.alloc.rate.norm (bytes per op = per sample) is the figure that matters.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -B -ntp -q -DskipTests package -pl perf -am
mkdir -p perf/results
out="perf/results/jmh-$(date -u +%Y-%m-%d).json"
java=${JAVA_HOME:+$JAVA_HOME/bin/}java
"$java" --add-opens java.base/jdk.internal.misc=ALL-UNNAMED -jar perf/target/benchmarks.jar "${1:-.*}" \
  -prof gc -wi 2 -w 1s -i 3 -r 1s -f 1 -rf json -rff "$out"
python3 - "$out" <<'PY'
import json, sys
rows = json.load(open(sys.argv[1]))
print("| benchmark | params | ns/op | B/op (gc.alloc.rate.norm) |")
print("|---|---|---|---|")
for r in rows:
    params = ",".join(f"{k}={v}" for k, v in (r.get("params") or {}).items())
    norm = r["secondaryMetrics"].get("·gc.alloc.rate.norm") or r["secondaryMetrics"].get("gc.alloc.rate.norm") or {}
    print(f"| {r['benchmark'].replace('mad.perf.', '')} | {params} | {r['primaryMetric']['score']:.1f} | {norm.get('score', float('nan')):.3f} |")
PY
