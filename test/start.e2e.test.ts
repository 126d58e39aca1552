import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, describe, expect, it } from "vitest";
import { restartDelayMs } from "../scripts/supervisor.ts";
import { freePort } from "./support/ports.ts";

const root = resolve(import.meta.dirname, "..");

/** The API processes the supervisor started (Linux `ps`; tsx's esbuild service is a child too). */
function childPids(pid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=,args=", "--ppid", String(pid)], { encoding: "utf8" })
      .split("\n")
      .filter((line) => line.includes("apps/api/src/main.ts"))
      .map((line) => Number(line.trim().split(/\s+/)[0]))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there is none
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function withoutBotToken(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.TELEGRAM_BOT_TOKEN;
  delete env.LOG_LEVEL;
  return env;
}

async function healthy(url: string): Promise<boolean | undefined> {
  try {
    const res = await fetch(`${url}/healthz`);
    return res.ok ? true : undefined;
  } catch {
    return undefined;
  }
}

describe("restart backoff", () => {
  it("doubles from 1 s to at most 30 s", () => {
    expect([0, 1, 2, 3, 4, 5, 6, 40].map((n) => restartDelayMs(n))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
  });
});

describe("npm start", () => {
  const dir = mkdtempSync(join(tmpdir(), "xieshui-start-"));
  let supervisor: ChildProcess | undefined;
  afterAll(() => {
    // After a failure, leave nothing running: the API children first, then the supervisor.
    if (supervisor?.pid && alive(supervisor.pid)) {
      for (const child of childPids(supervisor.pid)) process.kill(child, "SIGKILL");
      supervisor.kill("SIGKILL");
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it("brings a killed API back healthy, says so, and leaves no child behind when stopped", async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let out = "";
    supervisor = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
      cwd: root,
      env: { ...withoutBotToken(), PORT: String(port), HOST: "127.0.0.1", DATABASE_URL: `file:${join(dir, "start.db")}`, SKIP_H5_BUILD: "1", LOG_FORMAT: "json" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    supervisor.stdout!.on("data", (c: Buffer) => (out += c.toString()));
    supervisor.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    const pid = supervisor.pid!;

    await until("the welcome", () => (out.includes("协税通已启动 / Xieshui is running") ? true : undefined));
    expect(out).toMatch(/演示邀请码/);
    // At the default level the terminal carries no per-request lines, however often it is polled.
    for (let i = 0; i < 5; i++) expect(await healthy(url)).toBe(true);
    const [apiPid] = childPids(pid);
    expect(apiPid).toBeGreaterThan(0);

    process.kill(apiPid!, "SIGKILL");
    await until("the restart notice", () => (out.includes("API 意外停止（信号 SIGKILL），1 秒后重启") ? true : undefined));
    expect(out).toContain("the API stopped (signal SIGKILL); restarting in 1 s");
    await until("the API back", () => (out.includes("API 已重新启动 / the API is running again") ? true : undefined));
    expect(await healthy(url)).toBe(true);
    const [newPid] = childPids(pid);
    expect(newPid).toBeGreaterThan(0);
    expect(newPid).not.toBe(apiPid);
    expect(out).not.toMatch(/"url":"\/healthz"|GET \/healthz/);

    const exited = new Promise<number | null>((r) => supervisor!.once("exit", (code) => r(code)));
    supervisor.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(alive(newPid!)).toBe(false);
    expect(childPids(pid)).toEqual([]);
    expect(await healthy(url)).toBeUndefined();
  });
});
