import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import exifr from "exifr";
import { createDb } from "../db.ts";
import { createDeps } from "../deps.ts";
import { createTestDb, createFixedClock, TEST_DIALECT, type TestDb } from "../../../../../test/factories/db.ts";
import { databaseBytes } from "../../../../../test/factories/db-bytes.ts";
import { makeUnit, makeUser } from "../../../../../test/factories/identity.ts";
import { makeJpeg, pngClaiming } from "../../../../../test/factories/images.ts";
import { expectAppError } from "../../../../../test/factories/errors.ts";
import { formatReceipt, normalizeReceipt, TipStatusQuerySchema } from "../../domain/tips/index.ts";
import {
  addTipEvidence,
  assignTip,
  changeTipStatus,
  closeSpamTips,
  createTipContext,
  decryptTipBytes,
  fileTip,
  hashReceipt,
  getTip,
  listTips,
  loadTipKeyring,
  markTipReward,
  messageTipster,
  purgeTips,
  readTipAttachment,
  replyToTip,
  rotateTipKey,
  tipAad,
  tipStatus,
  type TipContext,
} from "./index.ts";
import type { Actor } from "../identity/actor.ts";

const clock = createFixedClock("2026-12-01T02:00:00Z"); // 10:00 CST
let t: TestDb;
let tips: TipContext;
let handler: Actor;
let officer: Actor;
let otherOfficer: Actor;
let unitCode: string;
const client = "203.0.113.7";
const TIP = { category: "tax_evasion", description: "某饭店长期只收现金不开发票，营业额很大", subject: "幸福路老王饭店", location: "幸福路 12 号", when: "今年以来" };

beforeAll(async () => {
  t = createTestDb({ clock });
  tips = createTipContext(t.deps, { keyFile: join(t.dir, "tip-keys.json"), generateKey: true });
  const supervision = await makeUnit(t.deps, { type: "supervision_office" });
  handler = (await makeUser(t.deps, { roles: ["tip_handler"], unit: supervision })).actor;
  unitCode = await makeUnit(t.deps, { type: "tax_bureau" });
  officer = (await makeUser(t.deps, { roles: ["tax_officer"], unit: unitCode })).actor;
  otherOfficer = (await makeUser(t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).actor;
}, 60_000);
afterAll(async () => t.close());

describe("receipts", { timeout: 120_000 }, () => {
  it("accepts spaces, dashes and full-width digits, and refuses anything but 16 digits", () => {
    expect(normalizeReceipt("1234 5678 9012 3456")).toBe("1234567890123456");
    expect(normalizeReceipt("1234-5678-9012-3456")).toBe("1234567890123456");
    expect(normalizeReceipt("１２３４５６７８９０１２３４５６")).toBe("1234567890123456");
    expect(normalizeReceipt("123456789012345")).toBeNull();
    expect(normalizeReceipt("12345678901234567")).toBeNull();
    expect(normalizeReceipt("1234abcd90123456")).toBeNull();
    expect(formatReceipt("1234567890123456")).toBe("1234 5678 9012 3456");
  });

  it("files a tip and returns 16 random digits, stored only as a keyed hash", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    expect(receipt).toMatch(/^\d{16}$/);
    const row = (await t.db.prisma.tip.findMany()) as unknown as Record<string, unknown>[];
    const text = JSON.stringify(row);
    expect(text).not.toContain(receipt);
    expect(text).not.toContain("老王饭店");
    expect(row[0]).toMatchObject({ filedOn: "2026-12-01", acknowledgeBy: "2026-12-08", concludeBy: "2027-01-30", status: "new" });
    const again = await fileTip(t.deps, tips, TIP, { client });
    expect(again.receipt).not.toBe(receipt);
  });

  it("finds the tip by its receipt in any typed form, with one indexed read", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const full = receipt.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
    for (const typed of [receipt, formatReceipt(receipt), formatReceipt(receipt).replace(/ /g, "-"), full]) {
      expect(await tipStatus(t.deps, tips, { receipt: typed }, { client })).toMatchObject({ status: "new", category: "tax_evasion", messages: [], reward: null });
    }
    if (TEST_DIALECT === "sqlite") {
      const plan = t.db.sqlite.prepare(`EXPLAIN QUERY PLAN SELECT * FROM "Tip" WHERE "receiptHash" = ?`).all("x") as { detail: string }[];
      expect(plan.map((p) => p.detail).join(" ")).toMatch(/USING INDEX/);
    } else {
      // A handful of rows would be read sequentially; with seqscan off the plan shows that the index can serve it.
      const c = await t.db.pg.connect();
      try {
        await c.query("SET enable_seqscan = off");
        const plan = (await c.query<{ "QUERY PLAN": string }>(`EXPLAIN SELECT * FROM "Tip" WHERE "receiptHash" = 'x'`)).rows.map((r) => r["QUERY PLAN"]);
        expect(plan.join(" ")).toMatch(/Index Scan using "Tip_receiptHash_key"/);
      } finally {
        await c.query("RESET enable_seqscan");
        c.release();
      }
    }
  });

  it("answers every unknown receipt with the same 404, and a badly typed one with a field error", async () => {
    const a = await expectAppError(tipStatus(t.deps, tips, { receipt: "0000000000000000" }, { client: "x1" }));
    const b = await expectAppError(tipStatus(t.deps, tips, { receipt: "9999 9999 9999 9999" }, { client: "x1" }));
    expect([a.code, a.reason, a.messageKey]).toEqual(["not_found", "tip_not_found", "tip-not-found"]);
    expect([b.code, b.reason, b.messageKey]).toEqual([a.code, a.reason, a.messageKey]);
    const bad = await expectAppError(tipStatus(t.deps, tips, { receipt: "12ab" }, { client: "x1" }));
    expect(bad).toMatchObject({ code: "invalid_input", fields: { receipt: expect.stringContaining("16") } });
  });

  it("refuses a client after 20 wrong receipts in an hour, even with the right one, and forgets after the hour", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const guesser = "198.51.100.9";
    for (let i = 0; i < 20; i++) await expectAppError(tipStatus(t.deps, tips, { receipt: String(1000000000000000 + i) }, { client: guesser }));
    const blocked = await expectAppError(tipStatus(t.deps, tips, { receipt }, { client: guesser }));
    expect(blocked).toMatchObject({ code: "rate_limited", messageKey: "tip-rate-limited" });
    expect(await tipStatus(t.deps, tips, { receipt }, { client: "someone-else" })).toMatchObject({ status: "new" });
    clock.advance(3_600_000);
    expect(await tipStatus(t.deps, tips, { receipt }, { client: guesser })).toMatchObject({ status: "new" });
  });
});

describe("filing", { timeout: 120_000 }, () => {
  it("requires only the category and what happened, and refuses contact details on an anonymous tip", async () => {
    const missing = await expectAppError(fileTip(t.deps, tips, {}, { client }));
    expect(Object.keys(missing.fields ?? {}).sort()).toEqual(["category", "description"]);
    expect(await fileTip(t.deps, tips, { category: "other", description: "有人出租房屋一直没有登记" }, { client })).toHaveProperty("receipt");
    const contact = await expectAppError(fileTip(t.deps, tips, { ...TIP, contact: "13800000000" }, { client }));
    expect(contact.fields).toHaveProperty("contact");
    const real = await fileTip(t.deps, tips, { ...TIP, realName: true, contact: "王先生 13800000000" }, { client });
    expect(real.receipt).toMatch(/^\d{16}$/);
  });

  it("refuses a client's tips beyond the hourly filing limit, in memory, and takes another client's", async () => {
    const strict = createTipContext(t.deps, { keyFile: tips.keys.file, generateKey: false, rules: { filingsPerHour: 2 } });
    await fileTip(t.deps, strict, TIP, { client: "flood" });
    await fileTip(t.deps, strict, TIP, { client: "flood" });
    expect(await expectAppError(fileTip(t.deps, strict, TIP, { client: "flood" }))).toMatchObject({ code: "rate_limited" });
    expect(await fileTip(t.deps, strict, TIP, { client: "calm" })).toHaveProperty("receipt");
  });

  it("takes a one-word description and a receipt sent as a JSON number", async () => {
    expect(await fileTip(t.deps, tips, { category: "other", description: "偷税" }, { client })).toHaveProperty("receipt");
    expect(TipStatusQuerySchema.parse({ receipt: 1234567890123456 })).toEqual({ receipt: "1234567890123456" });
    expect(TipStatusQuerySchema.safeParse({ receipt: 1234 }).success).toBe(false);
  });

  it("refuses oversize text, unknown fields and control characters with field errors", async () => {
    const big = await expectAppError(fileTip(t.deps, tips, { ...TIP, description: "很".repeat(5001) }, { client }));
    expect(big.fields).toHaveProperty("description");
    const unknown = await expectAppError(fileTip(t.deps, tips, { ...TIP, telegramId: 1 }, { client }));
    expect(unknown.fields).toHaveProperty("telegramId");
    const ctrl = await expectAppError(fileTip(t.deps, tips, { ...TIP, subject: "a\u0007b" }, { client }));
    expect(ctrl.fields).toHaveProperty("subject");
    const cat = await expectAppError(fileTip(t.deps, tips, { ...TIP, category: "murder" }, { client }));
    expect(cat.fields).toHaveProperty("category");
  });
});

describe("evidence", { timeout: 120_000 }, () => {
  it("stores a photo re-encoded without GPS EXIF, encrypted under a random name", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const photo = await makeJpeg();
    expect(await exifr.gps(photo)).toBeTruthy();
    expect(await addTipEvidence(t.deps, tips, receipt, photo, { client })).toEqual({ attachments: 1 });
    const att = await t.db.prisma.tipAttachment.findFirstOrThrow({ where: { tip: { receiptHash: { not: "" } } }, orderBy: { seq: "desc" } });
    const onDisk = (await tips.files.get(att.file))!;
    expect(onDisk.subarray(0, 4).toString()).toBe("XST1");
    expect(onDisk.includes(Buffer.from([0xff, 0xd8, 0xff]))).toBe(false);
    const plain = decryptTipBytes(tips.keys, onDisk, tipAad.attachment(att.id));
    expect(await exifr.gps(plain)).toBeUndefined();
    expect(await exifr.parse(plain)).toBeUndefined();
    if (tips.files.location === "database") {
      // In the database the file keeps no time that could link it to a request.
      const stored = await t.db.prisma.storedFile.findUniqueOrThrow({ where: { namespace_key: { namespace: "tips", key: att.file } } });
      expect(stored.createdAt.getTime()).toBe(0);
    } else {
      expect(statSync(join(tips.files.location, att.file)).mode & 0o077).toBe(0);
    }
  });

  it("refuses an executable named .jpg, a PNG bomb, an oversize file and a PDF, suggesting a photo", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const elf = Buffer.concat([Buffer.from("\x7fELF\x02\x01\x01\x00"), Buffer.alloc(4096, 0x90)]);
    expect(await expectAppError(addTipEvidence(t.deps, tips, receipt, elf, { client }))).toMatchObject({ code: "invalid_input", messageKey: "tip-attachment-not-image" });
    const fakeJpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from("\x7fELF"), Buffer.alloc(4096, 0x90)]);
    expect(await expectAppError(addTipEvidence(t.deps, tips, receipt, fakeJpeg, { client }))).toMatchObject({ code: "invalid_input" });
    expect(await expectAppError(addTipEvidence(t.deps, tips, receipt, await pngClaiming(30000, 30000), { client }))).toMatchObject({ reason: "image_too_many_pixels" });
    expect(await expectAppError(addTipEvidence(t.deps, tips, receipt, Buffer.alloc(6 * 1024 * 1024, 1), { client }))).toMatchObject({ code: "payload_too_large" });
    expect(await expectAppError(addTipEvidence(t.deps, tips, receipt, Buffer.from("%PDF-1.7\n..."), { client }))).toMatchObject({ messageKey: "tip-attachment-not-image" });
    expect(await t.db.prisma.tipAttachment.count({ where: { tip: { status: "new" }, seq: { gt: 0 }, tipId: (await tipIdOf(receipt)) } })).toBe(0);
  });
});

/** The tip a receipt names (tips carry no time of day to find the newest by). */
async function tipIdOf(receipt: string): Promise<string> {
  return (await t.db.prisma.tip.findUniqueOrThrow({ where: { receiptHash: await hashReceipt(tips.keys, receipt) } })).id;
}

describe("handling", { timeout: 120_000 }, () => {
  it("lets only tip handlers read the inbox; a unit's tax officers see only tips assigned to them, without contact or messages", async () => {
    const { receipt } = await fileTip(t.deps, tips, { ...TIP, realName: true, contact: "王先生 13800000000" }, { client });
    const newest = await tipIdOf(receipt);
    const inbox = await listTips(t.deps, tips, handler);
    const item = inbox.find((i) => i.id === newest)!;
    expect(item).toMatchObject({ status: "new", category: "tax_evasion", realName: true, unit: null });
    expect(await expectAppError(listTips(t.deps, tips, null))).toMatchObject({ code: "unauthorized" });
    const reporter = (await makeUser(t.deps, { roles: ["reporter"] })).actor;
    expect(await expectAppError(listTips(t.deps, tips, reporter))).toMatchObject({ code: "forbidden" });
    expect(await listTips(t.deps, tips, officer)).toEqual([]);
    expect(await expectAppError(getTip(t.deps, tips, officer, item.id))).toMatchObject({ code: "not_found" });

    await assignTip(t.deps, tips, handler, item.id, { unit: unitCode });
    await messageTipster(t.deps, tips, handler, item.id, { text: "请问饭店的营业时间？" });
    const seen = await getTip(t.deps, tips, officer, item.id);
    expect(seen.facts).toEqual({ subject: TIP.subject, location: TIP.location, when: TIP.when, description: TIP.description });
    expect(seen).toMatchObject({ messages: null, history: null, realName: false });
    expect(await expectAppError(getTip(t.deps, tips, otherOfficer, item.id))).toMatchObject({ code: "not_found" });
    expect(await expectAppError(changeTipStatus(t.deps, tips, officer, item.id, { status: "accepted", reason: "x" }))).toMatchObject({ code: "forbidden" });

    const status = await tipStatus(t.deps, tips, { receipt }, { client });
    expect(status.messages).toEqual([{ from: "handler", text: "请问饭店的营业时间？", on: "2026-12-01" }]);
    await replyToTip(t.deps, tips, { receipt, text: "每天晚上营业到凌晨" }, { client });
    const full = await getTip(t.deps, tips, handler, item.id);
    expect(full.messages?.map((m) => m.from)).toEqual(["handler", "tipster"]);
    expect(full.facts.contact).toBe("王先生 13800000000");
  });

  it("moves a tip through the statuses with reasons, audits every action with the handler, and rewards a closed one", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const id = await tipIdOf(receipt);
    const noReason = await expectAppError(changeTipStatus(t.deps, tips, handler, id, { status: "accepted" }));
    expect(noReason.fields).toHaveProperty("reason");
    expect(await expectAppError(changeTipStatus(t.deps, tips, handler, id, { status: "investigating", reason: "先调查" }))).toMatchObject({ code: "conflict", reason: "bad_transition" });
    await changeTipStatus(t.deps, tips, handler, id, { status: "accepted", reason: "线索具体" });
    expect(await expectAppError(markTipReward(t.deps, tips, handler, id, { band: "500_2000" }))).toMatchObject({ reason: "tip_not_closed" });
    await changeTipStatus(t.deps, tips, handler, id, { status: "investigating", reason: "转稽查局" });
    const closed = await changeTipStatus(t.deps, tips, handler, id, { status: "closed", reason: "查实补税" });
    expect(closed.history?.map((h) => [h.status, h.reason])).toEqual([
      ["accepted", "线索具体"],
      ["investigating", "转稽查局"],
      ["closed", "查实补税"],
    ]);
    await markTipReward(t.deps, tips, handler, id, { band: "500_2000" });
    expect(await tipStatus(t.deps, tips, { receipt }, { client })).toMatchObject({ status: "closed", reward: "500_2000" });
    expect(await expectAppError(replyToTip(t.deps, tips, { receipt, text: "还有补充" }, { client }))).toMatchObject({ reason: "tip_closed" });
    const audit = await t.db.prisma.auditLog.findMany({ where: { subject: id } });
    expect(audit.map((a) => a.action).sort()).toEqual(["tip.reward", "tip.status", "tip.status", "tip.status"]);
    expect(audit.every((a) => a.userId === handler.userId)).toBe(true);
  });

  it("flags tips not acknowledged or not concluded in time", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const id = await tipIdOf(receipt);
    const later = createFixedClock("2026-12-10T02:00:00Z");
    const lateDeps = { ...t.deps, clock: later };
    const item = (await listTips(lateDeps, tips, handler, { overdue: true })).find((i) => i.id === id);
    expect(item).toMatchObject({ acknowledgeOverdue: true, concludeOverdue: false });
  });

  it("closes spam in bulk, each with a history entry", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { receipt } = await fileTip(t.deps, tips, { category: "other", description: `广告广告广告广告广告 ${i}` }, { client: `spam-${i}` });
      ids.push(await tipIdOf(receipt));
    }
    expect(await closeSpamTips(t.deps, tips, handler, { ids })).toEqual({ closed: 3 });
    expect(await closeSpamTips(t.deps, tips, handler, { ids })).toEqual({ closed: 0 });
    expect(await expectAppError(closeSpamTips(t.deps, tips, officer, { ids }))).toMatchObject({ code: "forbidden" });
    const rows = await t.db.prisma.tip.findMany({ where: { id: { in: ids } } });
    expect(rows.every((r) => r.status === "closed" && r.purgeOn === "2027-03-01")).toBe(true);
  });
});

describe("retention, rotation and key file", { timeout: 120_000 }, () => {
  it("purges closed tips after the retention period, with their files, once a day, leaving no trace in the file or WAL", async () => {
    const marker = "独一无二的举报内容ZQX";
    const { receipt } = await fileTip(t.deps, tips, { ...TIP, description: `${marker}，营业额很大` }, { client });
    const id = await tipIdOf(receipt);
    await addTipEvidence(t.deps, tips, receipt, await makeJpeg({ seed: 7 }), { client });
    await messageTipster(t.deps, tips, handler, id, { text: "收到" });
    await changeTipStatus(t.deps, tips, handler, id, { status: "not_accepted", reason: "线索不足" });
    const file = (await t.db.prisma.tipAttachment.findFirstOrThrow({ where: { tipId: id } })).file;
    expect(await tips.files.has(file)).toBe(true);
    const row = await t.db.prisma.tip.findUniqueOrThrow({ where: { id } });
    const ciphertext = row.body.split(":")[1]!.slice(0, 40);

    // What is read afterwards does find the tip before the purge (so the check below can fail).
    const onDisk = async () =>
      TEST_DIALECT === "sqlite"
        ? Buffer.concat([readFileSync(t.db.file), existsSync(`${t.db.file}-wal`) ? readFileSync(`${t.db.file}-wal`) : Buffer.alloc(0)])
        : Buffer.concat(await databaseBytes(t.db, { tables: ["Tip", "TipMessage", "TipEvent", "TipAttachment", "StoredFile"] }));
    expect((await onDisk()).includes(Buffer.from(ciphertext))).toBe(true);
    const day89 = { ...t.deps, clock: createFixedClock("2027-02-28T02:00:00Z") };
    expect(await purgeTips(day89, tips, { daily: true })).toMatchObject({ ran: true, purged: 0 });
    const day90 = { ...t.deps, clock: createFixedClock("2027-03-01T02:00:00Z") };
    expect(await purgeTips(day90, tips, { daily: true })).toMatchObject({ ran: true });
    expect(await t.db.prisma.tip.findUnique({ where: { id } })).toBeNull();
    expect(await t.db.prisma.tipMessage.count({ where: { tipId: id } })).toBe(0);
    expect(await tips.files.has(file)).toBe(false);
    // A second process the same day does nothing.
    expect(await purgeTips(day90, tips, { daily: true })).toMatchObject({ ran: false });
    const bytes = await onDisk();
    expect(bytes.includes(Buffer.from(ciphertext))).toBe(false);
    expect(bytes.includes(Buffer.from(row.receiptHash))).toBe(false);
    // Only the handlers' audit rows keep the (random, now meaningless) tip id.
  });

  it("rotates the key: every text and file re-encrypted, the old key dropped, everything still readable", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    const id = await tipIdOf(receipt);
    await addTipEvidence(t.deps, tips, receipt, await makeJpeg({ seed: 3 }), { client });
    await messageTipster(t.deps, tips, handler, id, { text: "轮换前的消息" });
    const oldId = tips.keys.currentId;
    const result = await rotateTipKey(t.deps, tips);
    expect(result.keyId).not.toBe(oldId);
    expect(result.droppedKeys).toContain(oldId);
    const ring = loadTipKeyring(tips.keys.file, { generate: false });
    expect([...ring.keys.keys()]).toEqual([result.keyId]);
    expect(statSync(ring.file).mode & 0o777).toBe(0o600);
    const bodies = await t.db.prisma.tip.findMany({ select: { body: true } });
    expect(bodies.every((b) => b.body.startsWith(`${result.keyId}:`))).toBe(true);
    const status = await tipStatus(t.deps, tips, { receipt }, { client });
    expect(status.messages.at(-1)?.text).toBe("轮换前的消息");
    const att = await t.db.prisma.tipAttachment.findFirstOrThrow({ where: { tipId: id } });
    const img = await readTipAttachment(t.deps, tips, handler, id, att.id);
    expect(img.mime).toBe("image/jpeg");
    if (tips.files.location === "database") expect(await t.db.prisma.storedFile.count({ where: { key: { contains: ".tmp" } } })).toBe(0);
    else expect(readdirSync(tips.files.location).some((f) => f.endsWith(".tmp"))).toBe(false);
  });

  it("refuses to start without a key file unless told to generate one", () => {
    expect(() => createTipContext(t.deps, { keyFile: join(t.dir, "missing.json"), generateKey: false })).toThrow(/tips rotate-key/);
  });
});

describe("limits across processes", { timeout: 120_000 }, () => {
  it("counts wrong receipts of one client in the database, so two processes together stop the guesser at 20", async () => {
    const { receipt } = await fileTip(t.deps, tips, TIP, { client });
    // Two "processes": their own connections (pools) to the same database and their own tip contexts.
    const dbA = createDb(t.url);
    const dbB = createDb(t.url);
    try {
      const a = { deps: createDeps(dbA, { clock }), tips: createTipContext(createDeps(dbA, { clock }), { keyFile: tips.keys.file, generateKey: false }) };
      const b = { deps: createDeps(dbB, { clock }), tips: createTipContext(createDeps(dbB, { clock }), { keyFile: tips.keys.file, generateKey: false }) };
      const guesser = "198.51.100.77";
      const guesses = Array.from({ length: 20 }, (_, i) => String(3000000000000000 + i));
      // Ten guesses on each, at the same time: every miss is counted, none lost to a race.
      await Promise.all(guesses.map((g, i) => expectAppError(tipStatus((i % 2 ? a : b).deps, (i % 2 ? a : b).tips, { receipt: g }, { client: guesser }))));
      expect(await a.tips.receiptMisses.count(guesser)).toBe(20);
      for (const p of [a, b]) expect(await expectAppError(tipStatus(p.deps, p.tips, { receipt }, { client: guesser }))).toMatchObject({ code: "rate_limited" });
      expect(await tipStatus(b.deps, b.tips, { receipt }, { client: "192.0.2.55" })).toMatchObject({ status: "new" });
      // The table holds neither the address nor anything finer than the hour.
      const rows = JSON.stringify((await t.db.prisma.attemptCounter.findMany()).map((r) => ({ ...r, windowEnd: String(r.windowEnd) })));
      expect(rows).not.toContain(guesser);
      expect(rows).not.toContain("198.51.100");
    } finally {
      await dbA.close();
      await dbB.close();
    }
  });
});
