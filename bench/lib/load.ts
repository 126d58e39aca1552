// Runs autocannon in its own process (so the server under test keeps a core to itself) and prints
// autocannon's result as JSON. Config comes as one JSON argument: url, connections, duration,
// headers, and the request bodies to cycle through. Only 127.0.0.1 targets are allowed.
import autocannon from "autocannon";

interface LoadConfig {
  url: string;
  connections: number;
  duration: number;
  headers: Record<string, string>;
  bodies: string[];
}

const config = JSON.parse(process.argv[2] ?? "{}") as LoadConfig;
if (!/^http:\/\/127\.0\.0\.1:\d+\//.test(config.url)) throw new Error("load: only http://127.0.0.1 targets");
let i = 0;
const result = await autocannon({
  url: config.url,
  connections: Math.min(config.connections, 200),
  duration: Math.min(config.duration, 60),
  requests: [
    {
      method: "POST",
      headers: { "content-type": "application/json", ...config.headers },
      setupRequest: (req) => ({ ...req, body: config.bodies[i++ % config.bodies.length] }),
    },
  ],
});
process.stdout.write(JSON.stringify({
  rps: result.requests.average,
  total: result.requests.total,
  p50: result.latency.p50,
  p99: result.latency.p99,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  duration: result.duration,
}));
