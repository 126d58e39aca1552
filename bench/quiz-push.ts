// Pushing a quiz to 1,000 Telegram users at Telegram's pace: `npx tsx bench/quiz-push.ts [users]`.
// A fake Bot API server (below) answers sendMessage like Telegram and refuses with 429 +
// retry_after whenever more than 30 messages arrived in the last second (or a chat got two within
// a second). The sender is a child process with the production wiring (bench/quiz-push-sender.ts).
// Run 1: push and send. Run 2: push a second quiz and SIGKILL the sender halfway, start a new one.
// Figures: time to the last delivery vs the floor users/30 s, messages lost, users who got the
// quiz twice, 429s seen.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { fileURLToPath } from "node:url";
import { loadavg } from "node:os";
import { createQuiz, pushQuiz, seedKnowledge, seedQuizQuestions, systemActor } from "@xieshui/core/server";
import { createTestDb } from "../test/factories/db.ts";
import { report } from "./lib/report.ts";

const USERS = Number(process.argv[2] ?? 1000);
const LIMIT_PER_S = 30;
const floorS = USERS / LIMIT_PER_S;

// ---- the fake Bot API
const deliveries = new Map<string, number>();
let recent: number[] = [];
const lastByChat = new Map<string, number>();
let refused = 0;
let messageId = 1;
function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
const api = createServer((req: IncomingMessage, res: ServerResponse) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    const method = (req.url ?? "").split("/").pop();
    if (method !== "sendMessage") return answer(res, 200, { ok: true, result: true });
    const body = JSON.parse(Buffer.concat(chunks).toString() || "{}") as { chat_id: string | number; text: string };
    const chat = String(body.chat_id);
    const now = Date.now();
    recent = recent.filter((t) => now - t < 1000);
    const last = lastByChat.get(chat);
    if (recent.length >= LIMIT_PER_S || (last !== undefined && now - last < 1000)) {
      refused++;
      return answer(res, 429, { ok: false, error_code: 429, description: "Too Many Requests: retry after 1", parameters: { retry_after: 1 } });
    }
    recent.push(now);
    lastByChat.set(chat, now);
    deliveries.set(chat, (deliveries.get(chat) ?? 0) + 1);
    return answer(res, 200, { ok: true, result: { message_id: messageId++, date: Math.floor(now / 1000), chat: { id: Number(chat), type: "private" }, text: body.text } });
  });
});
await new Promise<void>((r) => api.listen(0, "127.0.0.1", r));
const port = (api.address() as { port: number }).port;
const apiRoot = `http://127.0.0.1:${port}`;

// ---- the district: USERS reporters with Telegram in 20 villages
const t = createTestDb();
await seedKnowledge(t.deps);
await seedQuizQuestions(t.deps);
const { prisma } = t.db;
for (let u = 0; u < 20; u++) await prisma.unit.create({ data: { code: `v${u}`, name: `第${u + 1}村村委会`, type: "village" } });
const units = await prisma.unit.findMany({ select: { id: true } });
const users = Array.from({ length: USERS }, (_, i) => ({ id: `u${String(i).padStart(5, "0")}`, name: `协税员${i}`, unitId: units[i % units.length]!.id }));
await prisma.user.createMany({ data: users });
await prisma.userRole.createMany({ data: users.map((u) => ({ userId: u.id, role: "reporter" })) });
await prisma.identity.createMany({ data: users.map((u, i) => ({ provider: "telegram", subject: String(900_000 + i), chatId: String(900_000 + i), userId: u.id })) });

let lastSenderCpuMs = 0;
/** Starts a sender process; resolves once it is polling the outbox. */
function startSender(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("quiz-push-sender.ts", import.meta.url)), t.url, apiRoot], { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve) => {
    child.stdout!.on("data", (c: Buffer) => {
      const text = c.toString();
      const cpu = /sender cpu (\d+) ms/.exec(text);
      if (cpu) lastSenderCpuMs = Number(cpu[1]);
      if (text.includes("sender ready")) resolve(child);
    });
  });
}
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
async function pushOne(title: string) {
  const quiz = await createQuiz(t.deps, systemActor("cli"), { title, selection: { types: ["judge"] }, count: 5, opensAt: "2026-01-01 08:00", closesAt: "2099-12-31 18:00", targets: { unitTypes: ["village"] } });
  return pushQuiz(t.deps, systemActor("cli"), quiz.id);
}
async function run(label: string, killAt: number | null) {
  deliveries.clear();
  recent = [];
  lastByChat.clear();
  refused = 0;
  // The bot is already running when a trainer pushes (as in production): start the sender first.
  let sender = await startSender();
  const started = Date.now();
  const pushed = await pushOne(label);
  if (pushed.botQueued !== USERS) throw new Error(`queued ${pushed.botQueued}`);
  let killedAt: number | null = null;
  let restartedAt: number | null = null;
  for (;;) {
    await sleep(100);
    if (killAt !== null && killedAt === null && deliveries.size >= killAt) {
      sender.kill("SIGKILL");
      await new Promise((r) => sender.once("exit", r));
      killedAt = (Date.now() - started) / 1000;
      sender = await startSender();
      restartedAt = (Date.now() - started) / 1000;
    }
    if (deliveries.size >= USERS) break;
    if (Date.now() - started > 10 * 60_000) break;
  }
  const lastDelivery = (Date.now() - started) / 1000;
  // Let any straggler (a duplicate resend) arrive before counting, then stop the sender cleanly.
  await sleep(3_000);
  sender.kill("SIGTERM");
  await new Promise((r) => sender.once("exit", r));
  const sent = await prisma.quizAssignment.count({ where: { quiz: { title: label }, botStatus: "sent" } });
  await sleep(200);
  const lost = USERS - deliveries.size;
  const twice = [...deliveries.values()].filter((n) => n > 1).length;
  console.log(`${label}: ${lastDelivery.toFixed(1)} s to the last delivery (floor ${floorS.toFixed(1)} s, ${(lastDelivery / floorS).toFixed(2)}x), lost ${lost}, twice ${twice}, 429s ${refused}, marked sent ${sent}, sender CPU ${(lastSenderCpuMs / 1000).toFixed(1)} s${killedAt !== null ? `, killed at ${killedAt.toFixed(1)} s, restarted at ${restartedAt!.toFixed(1)} s` : ""}`);
  return { cpuS: Number((lastSenderCpuMs / 1000).toFixed(1)), seconds: Number(lastDelivery.toFixed(1)), ratio: Number((lastDelivery / floorS).toFixed(2)), lost, twice, refused, sent, killedAt };
}

console.log(`load average before: ${loadavg().map((l) => l.toFixed(2)).join(" ")}`);
const a = await run("push", null);
const b = await run("push-killed", Math.floor(USERS / 2));
report({
  name: "quiz-push",
  figures: {
    users: USERS,
    floorS: Number(floorS.toFixed(1)),
    seconds: a.seconds,
    ratio: a.ratio,
    lost: a.lost,
    twice: a.twice,
    "429s": a.refused,
    senderCpuS: a.cpuS,
    killedSeconds: b.seconds,
    killedRatio: b.ratio,
    killedLost: b.lost,
    killedTwice: b.twice,
    "killed429s": b.refused,
  },
  targets: [
    { label: `${USERS} users in ${a.seconds} s = ${a.ratio}x the ${floorS.toFixed(1)} s floor (<= 1.2x)`, ok: a.ratio <= 1.2 },
    { label: `no message lost (${a.lost}), nobody twice (${a.twice})`, ok: a.lost === 0 && a.twice === 0 },
    { label: `sender SIGKILLed halfway and restarted: lost ${b.lost}, twice ${b.twice}`, ok: b.lost === 0 && b.twice === 0 },
  ],
});
api.close();
await t.close();
