// Diagnostic preload for bench:lookup's server (BENCH_NODE_ARGS='--require bench/tools/slow-requests.js'):
// requests slower than 1 s (server side, from the parsed request to the response's end), every accepted
// connection, and event-loop stalls over 200 ms, appended to /tmp/slow.txt, /tmp/conns.txt and /tmp/lag.txt.
const http = require('http');
const fs = require('fs');
const { monitorEventLoopDelay } = require('perf_hooks');
const orig = http.Server.prototype.emit;
let inflight = 0;
http.Server.prototype.emit = function (ev, req, res) {
  if (ev === 'request') {
    const t = process.hrtime.bigint();
    inflight++;
    res.on('close', () => {
      inflight--;
      const ms = Number(process.hrtime.bigint() - t) / 1e6;
      if (ms > 1000) fs.appendFileSync('/tmp/slow.txt', `${new Date().toISOString()} ${ms.toFixed(0)} ms ${req.method} ${req.url} inflight ${inflight}\n`);
    });
  }
  if (ev === 'connection') fs.appendFileSync('/tmp/conns.txt', `${new Date().toISOString()} conn\n`);
  return orig.apply(this, arguments);
};
const h = monitorEventLoopDelay({ resolution: 20 });
h.enable();
setInterval(() => {
  const max = h.max / 1e6;
  if (max > 200) fs.appendFileSync('/tmp/lag.txt', `${new Date().toISOString()} loop max ${max.toFixed(0)} ms inflight ${inflight}\n`);
  h.reset();
}, 1000).unref();
