import { Writable } from "node:stream";
import { readdirSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Update, User } from "grammy/types";
import { createLogger, createTipContext, decryptTipBytes, tipAad, type TipContext } from "@xieshui/core/server";
import exifr from "exifr";
import { createTestDb, createFixedClock, type TestDb } from "../../../test/factories/db.ts";
import { databaseBytes } from "../../../test/factories/db-bytes.ts";
import { createFakeTransport, makeCallbackQuery, makeMessage, makeUpdate, makeUser, textUpdate, TEST_BOT_INFO, type FakeTransport } from "../../../test/factories/telegram.ts";
import { makeJpeg } from "../../../test/factories/images.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";

const TIPSTER_ID = 7_770_001_234;
const TIPSTER_USERNAME = "quiet_neighbour_zx";
const tipster = makeUser({ id: TIPSTER_ID, username: TIPSTER_USERNAME, first_name: "邻居", language_code: "zh-hans" });

let t: TestDb;
let api: FakeTransport;
let bot: XieshuiBot;
let tips: TipContext;
const lines: string[] = [];
const transcript: string[] = [];
let photo: Buffer;

beforeAll(async () => {
  const clock = createFixedClock("2026-12-01T02:00:00Z");
  t = createTestDb({ clock });
  const sink = new Writable({
    write(chunk, _e, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  const deps = { ...t.deps, logger: createLogger({ level: "trace", destination: sink }) };
  tips = createTipContext(deps, { keyFile: join(t.dir, "tip-keys.json"), generateKey: true });
  api = createFakeTransport();
  photo = await makeJpeg({ seed: 11 });
  bot = createBot({ token: "42:TEST", deps, tips, config: { botInfo: TEST_BOT_INFO, fetch: api.fetch, downloadFile: async () => photo } });
}, 60_000);
afterAll(async () => t.close());

async function send(update: Update, label: string): Promise<string[]> {
  const before = api.texts().length;
  await bot.handleUpdate(update);
  const out = api.texts().slice(before);
  transcript.push(`> ${label}`, ...out.map((o) => `< ${o.replace(/\n/g, "\n  ")}`));
  return out;
}
const say = (from: User, text: string) => send(textUpdate(from, text), text);
const tap = (from: User, data: string) => send(makeUpdate({ callback_query: makeCallbackQuery(from, data) }), `[button ${data}]`);
const sendPhoto = (from: User) => {
  api.failNext("getFile", { result: { file_id: "F1", file_unique_id: "U1", file_path: "photos/file_1.jpg" } });
  return send(makeUpdate({ message: makeMessage(from, { photo: [{ file_id: "F1", file_unique_id: "U1", width: 320, height: 200 }] }) as Update["message"] }), "[photo]");
};

function receiptOf(texts: string[]): string {
  const m = /(\d{4} \d{4} \d{4} \d{4})/.exec(texts.join("\n"));
  if (!m) throw new Error(`no receipt in ${texts.join(" | ")}`);
  return m[1]!;
}

describe("the /tip conversation", { timeout: 120_000 }, () => {
  let receipt = "";

  it("files an anonymous tip step by step, with a photo, and ends by showing the receipt", async () => {
    expect((await say(tipster, "/tip")).join()).toContain("匿名举报");
    expect((await tap(tipster, "tip:c:unregistered_rental")).join()).toContain("被举报的是谁");
    expect((await say(tipster, "幸福小区 3 栋 502 房东")).join()).toContain("在哪里");
    expect((await say(tipster, "/skip")).join()).toContain("发生了什么");
    expect((await say(tipster, "有\u0007控制字符")).join()).toContain("控制字符");
    expect((await say(tipster, "房子一直出租给多名外地务工人员，从未登记，也没有缴税")).join()).toContain("什么时候");
    expect((await say(tipster, "去年起")).join()).toContain("照片或截图");
    expect((await sendPhoto(tipster)).join()).toContain("第 1 张");
    expect((await send(makeUpdate({ message: makeMessage(tipster, { document: { file_id: "D", file_unique_id: "D" } }) as Update["message"] }), "[document]")).join()).toContain("只收照片或截图");
    expect((await say(tipster, "/done")).join()).toContain("匿名还是实名");
    const confirm = (await tap(tipster, "tip:anon")).join();
    expect(confirm).toContain("出租房屋未登记");
    expect(confirm).toContain("1 张图片");
    const done = await tap(tipster, "tip:submit");
    receipt = receiptOf(done);
    expect(done.join()).toContain("请务必记下");
    expect(await t.db.prisma.tip.count()).toBe(1);
    expect(await t.db.prisma.tipAttachment.count()).toBe(1);
  });

  it("follows the tip with /status, shows the handlers' messages, and takes an answer", async () => {
    const tip = await t.db.prisma.tip.findFirstOrThrow();
    await t.db.prisma.tipMessage.create({ data: { id: "m-1", tipId: tip.id, seq: 1, from: "handler", authorId: null, text: (await import("@xieshui/core/server")).encryptTipText(tips.keys, "房东姓什么？", tipAad.message("m-1")), on: "2026-12-01" } });
    const status = (await say(tipster, `/status ${receipt.replace(/ /g, "-")}`)).join();
    expect(status).toContain("已收到，待受理");
    expect(status).toContain("房东姓什么？");
    expect((await tap(tipster, "tip:reply")).join()).toContain("回复");
    expect((await say(tipster, "姓李，住在一楼")).join()).toContain("回复已送达");
    expect((await say(tipster, `/status ${receipt}`)).join()).toContain("姓李，住在一楼");
    // Asked without the receipt: the bot asks for it.
    expect((await say(tipster, "/status")).join()).toContain("16 位回执码");
    expect((await say(tipster, "１２３４")).join()).toContain("16 位数字");
  });

  it("stops the flow on /cancel and keeps nothing", async () => {
    const user = makeUser({ id: 7_770_009_999, username: "cancel_me" });
    await say(user, "/tip");
    await tap(user, "tip:c:other");
    expect((await say(user, "/cancel")).join()).toContain("已放弃");
    expect((await tap(user, "tip:submit")).join()).toContain("已失效");
    expect(await t.db.prisma.tip.count()).toBe(1);
  });

  it("answers 20 wrong receipts from one chat and then refuses, even the right one, without saying whether a guess was close", async () => {
    const guesser = makeUser({ id: 7_770_005_555 });
    const answers = new Set<string>();
    for (let i = 0; i < 20; i++) answers.add((await say(guesser, `/status ${String(3000000000000000 + i)}`)).join());
    expect(answers.size).toBe(1);
    expect([...answers][0]).toContain("没有找到");
    expect((await say(guesser, `/status ${receipt}`)).join()).toContain("尝试次数过多");
  });

  it("keeps the tipster's Telegram id and username out of the database file, its WAL, the session table, the logs and the attachment store", async () => {
    const needles = [
      Buffer.from(String(TIPSTER_ID)),
      Buffer.from(String(TIPSTER_ID), "utf16le"),
      Buffer.from(TIPSTER_USERNAME),
      Buffer.from(TIPSTER_USERNAME, "utf16le"),
      (() => {
        const b = Buffer.alloc(8);
        b.writeBigInt64LE(BigInt(TIPSTER_ID));
        return b;
      })(),
      (() => {
        const b = Buffer.alloc(8);
        b.writeBigInt64BE(BigInt(TIPSTER_ID));
        return b;
      })(),
    ];
    const blobs = await databaseBytes(t.db);
    if (t.db.dialect === "sqlite") expect(blobs[1]?.length ?? 0).toBeGreaterThan(0); // the WAL is read as it is
    const store =
      tips.files.location === "database"
        ? (await t.db.prisma.storedFile.findMany({ where: { namespace: "tips" } })).map((f) => Buffer.from(f.bytes))
        : readdirSync(tips.files.location).map((f) => readFileSync(join(tips.files.location, f)));
    expect(store).toHaveLength(1);
    for (const needle of needles) for (const blob of [...blobs, ...store]) expect(blob.includes(needle)).toBe(false);
    expect(await t.db.prisma.botSession.count()).toBe(0);
    expect(lines.join("")).not.toContain(String(TIPSTER_ID));
    expect(lines.join("")).not.toContain(TIPSTER_USERNAME);
    // The evidence came out of Telegram's JPEG without its GPS position.
    const att = await t.db.prisma.tipAttachment.findFirstOrThrow();
    const clean = decryptTipBytes(tips.keys, store[0]!, tipAad.attachment(att.id));
    expect(await exifr.gps(photo)).toBeTruthy();
    expect(await exifr.gps(clean)).toBeUndefined();
    mkdirSync("/tmp/xieshui-transcripts", { recursive: true });
    writeFileSync("/tmp/xieshui-transcripts/bot-tip.txt", transcript.join("\n"));
  });
});
