// Issue 12 point 4: several processes on one PostgreSQL, spawned as `npm start` spawns them
// (node --import tsx apps/api/src/main.ts), behind no shared memory: what one process does, the
// other honours at once. A PostgreSQL of this file's own (scripts/pg-temp.ts), on either run.
// Two bot processes (long polling against the local Bot API emulator) drain one real quiz push
// from the shared outbox.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { tmpdir } from "node:os";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TelegramServer } from "telegram-test-api/lib/telegramServer.js";
import {
  createDb,
  createDeps,
  createInvite,
  createQuiz,
  createTipContext,
  migrateDb,
  pushQuiz,
  redeemInvite,
  seedKnowledge,
  seedQuizQuestions,
  systemActor,
  type Db,
  type Deps,
} from "@xieshui/core/server";
import { startTempPostgres, type TempPostgres } from "../scripts/pg-temp.ts";
import { makeUnit } from "./factories/identity.ts";
import { freePort } from "./support/ports.ts";

const root = resolve(import.meta.dirname, "..");
const CHECK_LIMIT = 25;
let pg: TempPostgres;
let db: Db;
let deps: Deps;
const dir = mkdtempSync(join(tmpdir(), "xs-multi-"));
const apis: { url: string; child: ChildProcess; log: string }[] = [];
const bots: { child: ChildProcess; log: string }[] = [];
const BOT_TOKEN = "424242:MULTI-xieshui";
let emulator: TelegramServer;

function startBot(url: string): { child: ChildProcess; log: string } {
  const child = spawn(process.execPath, ["--import", "tsx", "apps/bot/src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      XIESHUI_DEMO: "0",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      TELEGRAM_BOT_TOKEN: BOT_TOKEN,
      TELEGRAM_API_ROOT: emulator.config.apiURL,
      OUTBOX_INTERVAL_MS: "100",
      TIP_KEY_FILE: join(dir, "tip-keys.json"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const bot = { child, log: "" };
  child.stdout!.on("data", (d: Buffer) => (bot.log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (bot.log += d.toString()));
  return bot;
}

/** A CST wall-clock time `minutes` from now, as quiz forms take it ("2026-12-07 09:00"). */
function cstAt(minutes: number): string {
  return new Date(Date.now() + 8 * 3_600_000 + minutes * 60_000).toISOString().slice(0, 16).replace("T", " ");
}

async function startApi(url: string): Promise<{ url: string; child: ChildProcess; log: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ["--import", "tsx", "apps/api/src/main.ts"], {
    cwd: root,
    env: {
      ...process.env,
      DATABASE_URL: url,
      PORT: String(port),
      HOST: "127.0.0.1",
      XIESHUI_DEMO: "0",
      LOG_LEVEL: "warn",
      LOG_FORMAT: "json",
      CHECK_RATE_LIMIT_PER_HOUR: String(CHECK_LIMIT),
      TIP_KEY_FILE: join(dir, "tip-keys.json"),
      H5_DIR: join(dir, "no-h5"),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const api = { url: `http://127.0.0.1:${port}`, child, log: "" };
  child.stdout!.on("data", (d: Buffer) => (api.log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (api.log += d.toString()));
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`API exited ${child.exitCode}: ${api.log}`);
    if (await fetch(`${api.url}/healthz`).then((r) => r.ok, () => false)) return api;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`API did not start: ${api.log}`);
}

beforeAll(async () => {
  pg = await startTempPostgres({ fast: true });
  const admin = createDb(pg.adminUrl);
  await admin.pg.query(`CREATE DATABASE "xs_multi"`);
  await admin.close();
  db = createDb(pg.urlFor("xs_multi"));
  await migrateDb(db);
  deps = createDeps(db);
  // The tip key file the APIs read (made once here, as an operator would).
  createTipContext(deps, { keyFile: join(dir, "tip-keys.json"), generateKey: true, storeDir: join(dir, "tips") });
  apis.push(await startApi(pg.urlFor("xs_multi")), await startApi(pg.urlFor("xs_multi")));
}, 240_000);

afterAll(async () => {
  for (const a of [...apis, ...bots]) {
    a.child.kill("SIGTERM");
    await new Promise((r) => (a.child.exitCode !== null ? r(null) : a.child.once("exit", r)));
  }
  await emulator?.stop();
  await db?.close();
  pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function signIn(roles: string[]): Promise<string> {
  const unit = await makeUnit(deps, { type: "traffic_police" });
  const { code } = await createInvite(deps, systemActor("test"), { unit, roles: roles as ["checker"] });
  const res = await fetch(`${apis[0]!.url}/api/v1/auth/redeem`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ code }) });
  expect(res.status).toBe(200);
  return ((await res.json()) as { token: string }).token;
}

describe("two API processes on one PostgreSQL", () => {
  it("a logout on one process is honoured by the other on the next request", async () => {
    const token = await signIn(["checker"]);
    const me = (i: number) => fetch(`${apis[i]!.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } }).then((r) => r.status);
    expect([await me(0), await me(1)]).toEqual([200, 200]);
    const out = await fetch(`${apis[0]!.url}/api/v1/auth/logout`, { method: "POST", headers: { authorization: `Bearer ${token}` } });
    expect(out.status).toBe(204);
    expect(await me(1)).toBe(401);
    expect(await me(0)).toBe(401);
  });

  it("200 concurrent clearance checks by one user, split over both processes, respect the per-user limit", async () => {
    const token = await signIn(["checker"]);
    // A plate with no clearance on file: every answered check counts against the limit all the same.
    const body = JSON.stringify({ kind: "vehicle_vessel", key: "豫HMC8R6" });
    const statuses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${apis[i % 2]!.url}/api/v1/clearances/check`, { method: "POST", headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body }).then((r) => r.status),
      ),
    );
    expect(statuses.filter((s) => s === 200), JSON.stringify([...new Set(statuses)])).toHaveLength(CHECK_LIMIT);
    expect(statuses.filter((s) => s === 429)).toHaveLength(200 - CHECK_LIMIT);
  }, 120_000);
});

describe("two bot processes on one PostgreSQL", () => {
  it("drain one quiz push between them and send each member's message exactly once", async () => {
    emulator = new TelegramServer({ port: await freePort(), host: "127.0.0.1", storeTimeout: 120 });
    await emulator.start();
    await seedKnowledge(deps);
    await seedQuizQuestions(deps);
    const unit = await makeUnit(deps, { type: "traffic_police", name: "交警二中队" });
    const members = 30;
    for (let i = 0; i < members; i++) {
      const { code } = await createInvite(deps, systemActor("test"), { unit, roles: ["reporter"] });
      await redeemInvite(deps, { code }, { kind: "telegram", telegramId: String(91000 + i), chatId: String(91000 + i) });
    }
    const quiz = await createQuiz(deps, systemActor("test"), {
      title: "车船税协查",
      selection: { questionIds: ["Q001", "Q002", "Q003"] },
      passMark: 60,
      opensAt: cstAt(-1),
      closesAt: cstAt(3 * 24 * 60),
      targets: { units: [unit] },
    });
    bots.push(startBot(pg.urlFor("xs_multi")), startBot(pg.urlFor("xs_multi")));
    expect(await pushQuiz(deps, systemActor("test"), quiz.id)).toMatchObject({ assigned: members, botQueued: members });
    const sentTo = () => emulator.storage.botMessages.filter((m) => m.botToken === BOT_TOKEN).map((m) => Number(m.message.chat_id));
    await expect
      .poll(async () => (await db.prisma.outbox.count({ where: { sentAt: null, failedAt: null } })) === 0 && sentTo().length >= members, { timeout: 60_000, interval: 200 })
      .toBe(true);
    // Both processes ran their outbox workers the whole time; a second send would land in the next ticks.
    await new Promise((r) => setTimeout(r, 1500));
    const chats = sentTo();
    expect(chats, bots.map((b) => b.log).join("\n")).toHaveLength(members);
    expect(new Set(chats).size).toBe(members);
    expect(bots.every((b) => b.child.exitCode === null)).toBe(true);
  }, 180_000);
});
