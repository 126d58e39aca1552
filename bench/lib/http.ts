import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** autocannon's figures for one run. */
export interface LoadResult {
  rps: number;
  total: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
}

const LOAD = fileURLToPath(new URL("./load.ts", import.meta.url));

/** Runs autocannon against a 127.0.0.1 URL in a child process and returns its figures. */
export function runLoad(config: { url: string; connections: number; duration: number; headers: Record<string, string>; bodies: string[] }): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", LOAD, JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), (config.duration + 60) * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load child exited with ${code}`));
      resolve(JSON.parse(out) as LoadResult);
    });
  });
}
