#!/usr/bin/env bash
# Side-by-side load harness: MAD 1.20.1 (../shared/mad-ref) and madx in turn, same unchanged config, same workloads.
#   perf/run-harness.sh [--quick] [--daemons mad,madx,collectd] [--workloads statsd-1k,statsd-100k,clientv3,prometheus,graphite]
#                       [--receiver harness|capture-server] [--out DIR]
# collectd (its C statsd plugin, StatsD workloads only) runs when /usr/sbin/collectd is installed
# (bin/install-test-peers). Builds madx and the perf module (offline), then runs mad.perf.harness.Harness, which writes
# perf/results/harness-<date>.json and perf/RESULTS.md. Loopback ports 7090, 8125/udp, 2003, 7066 must be free
# (it waits up to 3 min for them). The PT1S sinks post to the harness's own receiver (mad.perf.harness.CaptureReceiver,
# --receiver capture-server for madref's CaptureServer). Full profile ~19 min on 2 cores, --quick ~7 min.
set -euo pipefail
home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
madref=${MAD_REF:-$home/../shared/mad-ref}
cd "$home"
if [ -z "${HARNESS_NO_BUILD:-}" ]; then
  ./mvnw -B -ntp -q -o -DskipTests package -pl compat,perf -am
fi
[ -f "$madref/lib/metrics-aggregator-daemon-1.20.1.jar" ] || { echo "run-harness: MAD not built in $madref/lib (mvn -q -B package there)" >&2; exit 2; }
[ -d "$madref/tools/target/classes" ] || { echo "run-harness: build $madref/tools first (mvn -q -B -f tools/pom.xml package)" >&2; exit 2; }
exec java -Xmx1g -cp perf/target/benchmarks.jar mad.perf.harness.Harness --home "$home" --mad-ref "$madref" "$@"
