#!/usr/bin/env bash
# CPU profile of madx during one harness workload, with async-profiler 3.0 attached as an agent:
#   perf/profile.sh [--event itimer|wall|cpu] [--workload statsd-1k] [--interval 1ms]
# Writes perf/results/profile-<workload>-<date>/: madx-<pid>.collapsed (collapsed stacks, one per daemon start; the
# largest is the measured run), summary.md (CPU by thread role and hottest frames of the ingest and aggregator
# threads) and the harness's RESULTS.md/JSON of that run. Feed a .collapsed file to any flame-graph tool
# (flamegraph.pl, speedscope) for the picture.
# event=itimer (default) samples CPU time without perf_events (the box has perf_event_paranoid=2); wall samples
# every thread, idle ones too. The async-profiler jar comes from the local Maven repository:
#   ./mvnw -B -ntp dependency:get -Dartifact=tools.profiler:async-profiler:3.0 -Dtransitive=false
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
event=itimer
workload=statsd-1k
interval=1ms
while [ $# -gt 0 ]; do
  case "$1" in
    --event) event=$2; shift 2 ;;
    --workload) workload=$2; shift 2 ;;
    --interval) interval=$2; shift 2 ;;
    *) echo "profile: unknown argument $1" >&2; exit 2 ;;
  esac
done
jar=${ASYNC_PROFILER_JAR:-$HOME/.m2/repository/tools/profiler/async-profiler/3.0/async-profiler-3.0.jar}
[ -f "$jar" ] || { echo "profile: $jar missing (see the dependency:get line at the top of this script)" >&2; exit 2; }
lib=${AP_DIR:-/tmp/ap}
mkdir -p "$lib"
unzip -oqj "$jar" linux-x64/libasyncProfiler.so -d "$lib"
out="$home/perf/results/profile-$workload-$(date -u +%Y-%m-%d)"
rm -rf "$out"
mkdir -p "$out"
# No class-data archive: on a tree whose archive is not built yet, bin/mad would ask the JVM to dump one at exit,
# and CDS dumping refuses a JVMTI agent (the daemon then fails to start and the harness reports no /ping).
export MADX_NO_CDS=1
# threads: one root frame per thread, so CPU can be split by role; DebugNonSafepoints: exact inlined frames.
export MADX_JVM_OPTS="-XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints \
-agentpath:$lib/libasyncProfiler.so=start,event=$event,interval=$interval,threads,collapsed,file=$out/madx-%p.collapsed"
"$home/perf/run-harness.sh" --quick --daemons madx --workloads "$workload" --out "$out" | tee "$out/harness.log"
python3 - "$out" <<'PY'
import collections, glob, os, re, sys
out = sys.argv[1]
files = sorted(glob.glob(os.path.join(out, "madx-*.collapsed")), key=os.path.getsize)
if not files:
    sys.exit("profile: no collapsed stacks written")
stacks = []
for line in open(files[-1]):
    frames, _, n = line.rstrip("\n").rpartition(" ")
    if frames:
        stacks.append((frames.split(";"), int(n)))
total = sum(n for _, n in stacks) or 1
def role(thread):
    t = re.sub(r"^\[|\s*tid=\d+\]$", "", thread)
    for prefix, name in (("ingest", "ingest"), ("aggregator", "aggregator"), ("emitter", "emitter"),
                         ("GC", "gc"), ("G1", "gc"), ("C1", "jit"), ("C2", "jit"), ("madx-sink", "sinks"),
                         ("HttpClient", "sinks")):
        if t.startswith(prefix):
            return name
    return "other"
by_role = collections.Counter()
self_by_role = collections.defaultdict(collections.Counter)
incl_by_role = collections.defaultdict(collections.Counter)
for frames, n in stacks:
    r = role(frames[0])
    by_role[r] += n
    self_by_role[r][frames[-1]] += n
    for f in set(frames[1:]):
        incl_by_role[r][f] += n
with open(os.path.join(out, "summary.md"), "w") as md:
    md.write(f"# madx CPU profile ({os.path.basename(files[-1])}, {total} samples)\n\n| thread role | share |\n|---|---:|\n")
    for r, n in by_role.most_common():
        md.write(f"| {r} | {100.0 * n / total:.1f} % |\n")
    for r in ("ingest", "aggregator"):
        md.write(f"\n## {r}: hottest frames (self, % of all samples)\n\n| frame | self | inclusive |\n|---|---:|---:|\n")
        for f, n in self_by_role[r].most_common(25):
            md.write(f"| `{f}` | {100.0 * n / total:.1f} % | {100.0 * incl_by_role[r][f] / total:.1f} % |\n")
        md.write(f"\n## {r}: madx methods (inclusive)\n\n| method | inclusive |\n|---|---:|\n")
        for f, n in incl_by_role[r].most_common():
            if f.startswith(("mad/", "mad.")) and n * 200 >= total:
                md.write(f"| `{f}` | {100.0 * n / total:.1f} % |\n")
print(open(os.path.join(out, "summary.md")).read())
PY
