// `npm start`: the whole product on one machine. Migrates and (on an empty database) seeds the
// demo district, builds the H5 app when it is missing or older than its sources, starts the API
// (which serves the H5 build) and — when TELEGRAM_BOT_TOKEN is set — the bot, each in its own
// process, then prints a fresh demo invite code per role and the URL to open. A child that dies is
// restarted with backoff (scripts/supervisor.ts); SIGINT/SIGTERM stop everything.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { createDb, createDeps, issueDemoInvites, prepareDatabase, seedKnowledge, seedQuizQuestions, waitForDatabase } from "@xieshui/core/server";
import { formatCode, t } from "@xieshui/core";
import { loadStartEnv } from "./env.ts";
import { createSupervisor, type SupervisedChild } from "./supervisor.ts";

const root = resolve(import.meta.dirname, "..");
const env = loadStartEnv();
const h5Index = join(root, "apps/miniapp/dist/h5/index.html");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "dist" || entry.name.startsWith(".")) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

function ensureH5Build(): void {
  if (env.SKIP_H5_BUILD === "1") return;
  const sources = Math.max(newestMtime(join(root, "apps/miniapp/src")), newestMtime(join(root, "packages/core/src/domain")));
  if (existsSync(h5Index) && statSync(h5Index).mtimeMs >= sources) return;
  console.log("正在构建 H5 应用（首次约需 1 分钟）… / building the H5 app (about a minute the first time)");
  // Taro draws progress bars on stderr; keep them out of the start log unless the build fails.
  const result = spawnSync("npm", ["run", "-s", "build:h5", "-w", "apps/miniapp"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) {
    console.error(`${(result.stderr ?? "").slice(-4000)}\nH5 build failed; the API still starts. Run \`npm run build:h5\` to see why.`);
  }
}

async function waitForHealth(url: string, child: ChildProcess, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the API exited (${child.signalCode ?? `code ${child.exitCode}`})`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`the API did not answer ${url}/healthz within ${timeoutMs / 1000} s`);
}

function startApp(entry: string): ChildProcess {
  return spawn(process.execPath, ["--import", "tsx", entry], {
    cwd: root,
    env: { ...process.env, PORT: String(env.PORT), HOST: env.HOST, DATABASE_URL: env.DATABASE_URL, XIESHUI_DEMO: env.XIESHUI_DEMO },
    stdio: ["ignore", "inherit", "inherit"],
  });
}

const host = env.HOST === "0.0.0.0" ? "127.0.0.1" : env.HOST;
const url = `http://${host}:${env.PORT}`;
const children: SupervisedChild[] = [
  { name: "API", spawn: () => startApp("apps/api/src/main.ts"), ready: (child) => waitForHealth(url, child), onBack: () => console.log(`  ${url}`) },
];
if (env.TELEGRAM_BOT_TOKEN) children.push({ name: "bot", spawn: () => startApp("apps/bot/src/main.ts") });
const supervisor = createSupervisor(children);
let stopping = false;

async function main(): Promise<void> {
  const db = createDb(env.DATABASE_URL);
  const deps = createDeps(db);
  await waitForDatabase(db, { onRetry: (message) => console.error(message) });
  const { migrations, seeded } = await prepareDatabase(deps, { demo: env.XIESHUI_DEMO === "1" });
  if (migrations.length) console.log(`数据库迁移 / migrations applied: ${migrations.join(", ")}`);
  if (seeded) console.log("已写入演示数据 / demo district seeded");
  // The starter knowledge base (seed/knowledge) is product content, not demo data: loaded whenever no article exists.
  const articles = await seedKnowledge(deps);
  if (articles) console.log(`已导入知识库 ${articles} 篇 / knowledge base seeded (${articles} articles)`);
  // The question bank (seed/quiz/questions.csv) links to those articles: loaded after them, when the bank is empty.
  const questions = await seedQuizQuestions(deps);
  if (questions) console.log(`已导入题库 ${questions} 题 / question bank seeded (${questions} questions)`);
  const invites = env.XIESHUI_DEMO === "1" ? await issueDemoInvites(deps) : [];
  await db.close();

  ensureH5Build();

  await supervisor.start();

  console.log(`\n协税通已启动 / Xieshui is running: ${url}   (API docs: ${url}/docs)`);
  console.log(env.TELEGRAM_BOT_TOKEN ? "Telegram bot: running" : "Telegram bot: not started (set TELEGRAM_BOT_TOKEN to start it)");
  if (invites.length) {
    console.log("\n演示邀请码（7 天内有效，每个只能用一次）/ demo invite codes (7 days, single use):");
    for (const inv of invites) {
      console.log(`  ${t("zh-CN", `role-${inv.role}`).padEnd(8, "　")} ${inv.role.padEnd(12)} ${formatCode(inv.code)}   unit ${inv.unit}`);
    }
    console.log(`\n在浏览器打开 ${url} 并用邀请码登录；Telegram 中发送 /start <邀请码>。`);
  }
}

function shutdown(signal: NodeJS.Signals, exitCode = 0): void {
  if (stopping) return;
  stopping = true;
  console.log("\n正在停止… / stopping…");
  void supervisor.stop(signal).then(() => process.exit(exitCode));
}
process.on("SIGINT", () => shutdown("SIGINT"));
process.on("SIGTERM", () => shutdown("SIGTERM"));

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  shutdown("SIGTERM", 1);
});
