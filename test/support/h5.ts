import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const miniapp = join(root, "apps/miniapp");

/** Where the API serves the H5 build from. */
export const H5_DIR = join(miniapp, "dist/h5");
/** The WeChat mini-program build. */
export const WEAPP_DIR = join(miniapp, "dist/weapp");

type Target = "h5" | "weapp";
const outputs: Record<Target, { dir: string; marker: string }> = {
  h5: { dir: H5_DIR, marker: "index.html" },
  weapp: { dir: WEAPP_DIR, marker: "app.js" },
};

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

/** True when the build is missing or older than any source that goes into it. */
export function isBuildStale(target: Target = "h5"): boolean {
  const index = join(outputs[target].dir, outputs[target].marker);
  if (!existsSync(index)) return true;
  const built = statSync(index).mtimeMs;
  return SOURCES.some((s) => newestMtime(s) > built);
}

/**
 * Builds the H5 app when missing or stale (30-60 s on a small machine). A file lock keeps two test
 * processes from building into the same folder at once.
 */
export function ensureH5Build(): string {
  return ensureBuild("h5");
}

/** Builds the H5 or WeChat app when missing or stale; returns its folder. */
export function ensureBuild(target: Target): string {
  const { dir, marker } = outputs[target];
  if (!isBuildStale(target)) return dir;
  const result = spawnSync("flock", [`/tmp/xieshui-${target}-build.lock`, "npm", "run", `build:${target}`, "-w", "apps/miniapp"], {
    cwd: root,
    encoding: "utf8",
    timeout: 300_000,
    env: { ...process.env, NODE_ENV: "production" },
  });
  if (result.status !== 0 || !existsSync(join(dir, marker))) {
    const output = `${result.stdout ?? ""}\n${result.stderr ?? ""}`.slice(-4000);
    throw new Error(`${target} build failed (status ${result.status}):\n${output}`);
  }
  return dir;
}
