// A throwaway PostgreSQL server from Debian's `postgresql` package: a temporary data directory,
// 127.0.0.1 on a free port, trust authentication, removed by stop(). Used by `npm run test:pg`,
// `npm run bench -- --db pg` and the multi-process test. initdb refuses to run as root, so as root
// the server runs as the package's `postgres` user.
import { execFileSync, spawnSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync, chmodSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface TempPostgres {
  /** postgresql://xieshui@127.0.0.1:<port>/postgres: the maintenance database, for CREATE DATABASE */
  adminUrl: string;
  port: number;
  /** A URL for database `name` on this server. */
  urlFor(name: string): string;
  /** Stops the server but keeps its data directory (a database outage, for fault tests). */
  pause(): void;
  /** Starts a paused server again on the same data directory and port. */
  resume(): void;
  stop(): void;
}

export function postgresBinDir(): string {
  const base = "/usr/lib/postgresql";
  const versions = existsSync(base) ? readdirSync(base).filter((v) => existsSync(join(base, v, "bin", "initdb"))).sort((a, b) => Number(b) - Number(a)) : [];
  if (!versions.length) {
    throw new Error("PostgreSQL is not installed: `apt-get install -y postgresql` (Debian's package; .ci/run installs it).");
  }
  return join(base, versions[0]!, "bin");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

export interface TempPostgresOptions {
  /** Trade durability for speed (fsync off): for tests, never for benchmarks. */
  fast?: boolean;
  maxConnections?: number;
}

export async function startTempPostgres(opts: TempPostgresOptions = {}): Promise<TempPostgres> {
  const bin = postgresBinDir();
  const root = mkdtempSync(join(tmpdir(), "xieshui-pg-"));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim());
    chownSync(root, uid, gid);
  }
  chmodSync(root, 0o700);
  const run = (cmd: string, args: string[]) => {
    const [file, argv] = asRoot ? ["runuser", ["-u", "postgres", "--", join(bin, cmd), ...args]] : [join(bin, cmd), args];
    const r = spawnSync(file, argv, { encoding: "utf8" });
    if (r.status !== 0) throw new Error(`${cmd} failed (${r.status}): ${r.stderr || r.stdout}`);
  };
  const data = join(root, "data");
  run("initdb", ["-D", data, "-U", "xieshui", "--auth=trust", "--encoding=UTF8", "--locale=C", "--no-sync"]);
  const port = await freePort();
  const settings = [
    `-c listen_addresses=127.0.0.1`, `-p ${port}`, `-k ${root}`,
    `-c max_connections=${opts.maxConnections ?? 400}`, `-c shared_buffers=256MB`,
    ...(opts.fast ? [`-c fsync=off`, `-c synchronous_commit=off`, `-c full_page_writes=off`] : []),
  ];
  const start = () => run("pg_ctl", ["-D", data, "-l", join(root, "server.log"), "-w", "-t", "60", "-o", settings.join(" "), "start"]);
  start();
  let stopped = false;
  let paused = false;
  const urlFor = (name: string) => `postgresql://xieshui@127.0.0.1:${port}/${name}`;
  return {
    adminUrl: urlFor("postgres"),
    port,
    urlFor,
    pause() {
      if (stopped || paused) return;
      run("pg_ctl", ["-D", data, "-m", "fast", "-w", "stop"]);
      paused = true;
    },
    resume() {
      if (stopped || !paused) return;
      start();
      paused = false;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      try {
        if (!paused) run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(root, { recursive: true, force: true });
      }
    },
  };
}
