import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const miniapp = join(root, "apps/miniapp");

/** Where the API serves the H5 build from. */
export const H5_DIR = join(miniapp, "dist/h5");

// Everything that ends up in the H5 bundle.
const SOURCES = [
  join(miniapp, "src"),
  join(miniapp, "config"),
  join(miniapp, "babel.config.js"),
  join(miniapp, ".env.production"),
  join(miniapp, "package.json"),
  join(root, "packages/core/src/domain"),
];

function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (entry.endsWith(".test.ts") || entry.endsWith(".test.tsx")) continue;
    newest = Math.max(newest, newestMtime(join(path, entry)));
  }
  return newest;
}

/** True when dist/h5 is missing or older than any source that goes into it. */
export function isH5BuildStale(): boolean {
  const index = join(H5_DIR, "index.html");
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

/**
 * Builds the H5 app when missing or stale (30-60 s on a small machine). A file lock keeps two test
 * processes from building into the same folder at once.
 */
export function ensureH5Build(): string {
  if (!isH5BuildStale()) return H5_DIR;
  const result = spawnSync("flock", ["/tmp/xieshui-h5-build.lock", "npm", "run", "build:h5", "-w", "apps/miniapp"], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0 || !existsSync(join(H5_DIR, "index.html"))) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`.slice(-4000);
    throw new Error(`H5 build failed (status ${result.status}):\n${output}`);
  }
  return H5_DIR;
}
