// Runs autocannon GET requests in its own process (so the server under test keeps a core to itself)
// cycling through the given paths, and prints the figures as JSON. Only 127.0.0.1 targets.
import autocannon from "autocannon";

interface LoadConfig {
  base: string;
  paths: string[];
  connections: number;
  duration: number;
}

const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(config.base)) throw new Error("load-get: only http://127.0.0.1 targets");
let i = 0;
const result = await autocannon({
  url: config.base,
  connections: Math.min(config.connections, 100),
  duration: Math.min(config.duration, 60),
  requests: [{ method: "GET", setupRequest: (req) => ({ ...req, path: config.paths[i++ % config.paths.length] }) }],
});
process.stdout.write(JSON.stringify({
  rps: result.requests.average,
  p50: result.latency.p50,
  p97_5: result.latency.p97_5,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors + result.timeouts,
}));
