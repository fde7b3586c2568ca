#!/usr/bin/env bash
# Before/after: the semantic-cache profile (stores on every miss) on one redis-server, the two trees alternating.
# The "old" tree is a worktree of the commit to compare with: git worktree add /tmp/wt-old <commit> and a node_modules
# link (ln -s "$PWD/node_modules" /tmp/wt-old/node_modules). Results: docs/BENCHMARKS.md section 14.
set -u
PORT=7420
redis-server --port $PORT --save '' --appendonly no --daemonize yes --logfile /tmp/semstore-redis.log
sleep 0.5
uptime
for run in 1 2 3; do
  for tree in old new; do
    dir=/work/main; [ $tree = old ] && dir=/tmp/wt-old
    (cd $dir && npx tsx lib/cli/ectk.ts loadtest --endpoint redis://127.0.0.1:$PORT --workload semantic-cache \
      --rate 1000 --duration 10s --warmup 2s --keyspace 20000 --json /tmp/sem-$tree-$run.json > /dev/null 2>&1)
    node -e "const r=require('/tmp/sem-$tree-$run.json'); console.log('$tree', $run, r.ops, 'misses', r.counts.misses, 'p50', r.service_time_ms.p50.toFixed(3), 'p99', r.service_time_ms.p99.toFixed(3), 'lat p99', r.latency_ms.p99.toFixed(3))"
  done
done
uptime
redis-cli -p $PORT shutdown nosave > /dev/null 2>&1
