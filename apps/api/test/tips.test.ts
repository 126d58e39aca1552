import { Writable } from "node:stream";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import exifr from "exifr";
import { createLogger, createTipContext, decryptTipBytes, fileStoreFor, localFileStore, tipAad } from "@xieshui/core/server";
import { databaseBytes } from "../../../test/factories/db-bytes.ts";
import { makeUnit, makeUser } from "../../../test/factories/identity.ts";
import { makeJpeg, pngClaiming } from "../../../test/factories/images.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

const DIRECT_IP = "203.0.113.77";
const PROXIED_IP = "198.51.100.23";
const PROXY_IP = "127.0.0.1";
const TIP = { category: "false_invoice", description: "某公司对外虚开增值税专用发票，收取开票费", subject: "某某商贸有限公司", location: "工业路 8 号", when: "2026 年 10 月" };

/** Every way an IPv4 address could sit in a file: text (UTF-8, UTF-16LE) and its four raw bytes. */
function ipNeedles(ip: string): Buffer[] {
  return [Buffer.from(ip), Buffer.from(ip, "utf16le"), Buffer.from(ip.split(".").map(Number))];
}

function logSink() {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { lines, logger: createLogger({ level: "trace", destination: sink }) };
}

let api: TestApi;
let staffToken: string;
let handlerToken: string;
let officerToken: string;
let taxUnit: string;
const log = logSink();

beforeAll(async () => {
  api = await createTestApi({ logger: log.logger, trustProxy: [PROXY_IP] });
  staffToken = (await makeUser(api.t.deps, { roles: ["reporter"] })).token;
  handlerToken = (await makeUser(api.t.deps, { roles: ["tip_handler"], unitType: "supervision_office" })).token;
  taxUnit = await makeUnit(api.t.deps, { type: "tax_bureau" });
  officerToken = (await makeUser(api.t.deps, { roles: ["tax_officer"], unit: taxUnit })).token;
}, 60_000);
afterAll(async () => api.close());

const post = (url: string, payload: unknown, opts: { ip?: string; xff?: string; headers?: Record<string, string> } = {}) =>
  api.app.inject({
    method: "POST",
    url,
    payload: payload as object,
    remoteAddress: opts.ip ?? DIRECT_IP,
    headers: { ...(opts.xff ? { "x-forwarded-for": opts.xff } : {}), ...opts.headers },
  });

const upload = (receipt: string, bytes: Buffer, ip = DIRECT_IP, type = "image/jpeg") =>
  api.app.inject({ method: "POST", url: "/api/v1/tips/evidence", payload: bytes, remoteAddress: ip, headers: { "content-type": type, "x-tip-receipt": receipt } });

describe("anonymous tips over HTTP", { timeout: 120_000 }, () => {
  it("files a tip without auth and answers 201 with a 16-digit receipt; status, reply and evidence follow with it", async () => {
    const filed = await post("/api/v1/tips", TIP);
    expect(filed.statusCode).toBe(201);
    expect(filed.headers["set-cookie"]).toBeUndefined();
    const { receipt } = filed.json() as { receipt: string };
    expect(receipt).toMatch(/^\d{16}$/);
    const spaced = receipt.replace(/(\d{4})(?=\d)/g, "$1 ");
    const status = await post("/api/v1/tips/status", { receipt: spaced });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ status: "new", messages: [], category: "false_invoice" });
    expect((await upload(receipt.replace(/(\d{4})(?=\d)/g, "$1-"), await makeJpeg())).json()).toEqual({ attachments: 1 });
    const reply = await post("/api/v1/tips/reply", { receipt, text: "补充：开票费按票面 6% 收取" });
    expect(reply.json().messages).toEqual([{ from: "tipster", text: "补充：开票费按票面 6% 收取", on: "2026-11-26" }]);
  });

  it("answers every unknown receipt with the same 404 body, and refuses malformed ones with the field named", async () => {
    const a = await post("/api/v1/tips/status", { receipt: "1111 2222 3333 4444" }, { ip: "192.0.2.1" });
    const b = await post("/api/v1/tips/status", { receipt: "９９９９８８８８７７７７６６６６" }, { ip: "192.0.2.1" });
    expect(a.statusCode).toBe(404);
    expect(b.statusCode).toBe(404);
    expect(a.body).toBe(b.body);
    const bad = await post("/api/v1/tips/status", { receipt: "12345" }, { ip: "192.0.2.1" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty("receipt");
    const en = await post("/api/v1/tips/status", { receipt: "1111 2222 3333 4445" }, { ip: "192.0.2.1", headers: { "accept-language": "en" } });
    expect(en.json().error.message).toMatch(/receipt/i);
  });

  it("answers 429 after 20 wrong receipts from one address in an hour, without saying whether a guess was close", async () => {
    const { receipt } = (await post("/api/v1/tips", TIP)).json() as { receipt: string };
    const guesser = "192.0.2.99";
    const near = receipt.slice(0, 15) + String((Number(receipt[15]) + 1) % 10);
    const far = "0000000000000001";
    const nearMiss = await post("/api/v1/tips/status", { receipt: near }, { ip: guesser });
    const farMiss = await post("/api/v1/tips/status", { receipt: far }, { ip: guesser });
    expect(nearMiss.body).toBe(farMiss.body);
    for (let i = 0; i < 18; i++) expect((await post("/api/v1/tips/status", { receipt: String(2000000000000000 + i) }, { ip: guesser })).statusCode).toBe(404);
    const limited = await post("/api/v1/tips/status", { receipt }, { ip: guesser });
    expect(limited.statusCode).toBe(429);
    expect(limited.json().error.code).toBe("rate_limited");
    expect((await post("/api/v1/tips/status", { receipt }, { ip: "192.0.2.100" })).statusCode).toBe(200);
  });

  it("refuses bad bodies and files: missing fields, oversize text, text/plain, an executable named .jpg, a PNG bomb, an oversize image", async () => {
    const missing = await post("/api/v1/tips", { category: "tax_evasion" });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toHaveProperty("description");
    const big = await post("/api/v1/tips", { ...TIP, description: "税".repeat(5001) });
    expect(big.statusCode).toBe(400);
    expect(big.json().error.fields).toHaveProperty("description");
    const plain = await api.app.inject({ method: "POST", url: "/api/v1/tips", payload: "category=tax_evasion", headers: { "content-type": "text/plain" } });
    expect(plain.statusCode).toBe(415);
    const malformed = await api.app.inject({ method: "POST", url: "/api/v1/tips", payload: "{", headers: { "content-type": "application/json" } });
    expect(malformed.statusCode).toBe(400);

    const { receipt } = (await post("/api/v1/tips", TIP)).json() as { receipt: string };
    const exe = await upload(receipt, Buffer.concat([Buffer.from("MZ\x90\x00"), Buffer.alloc(2048, 0x41)]));
    expect(exe.statusCode).toBe(400);
    expect(exe.json().error.message).toContain("截图");
    const bomb = await upload(receipt, await pngClaiming(40000, 40000), DIRECT_IP, "image/png");
    expect(bomb.statusCode).toBe(400);
    const huge = await upload(receipt, Buffer.alloc(6 * 1024 * 1024, 0xff));
    expect(huge.statusCode).toBe(413);
    const pdf = await upload(receipt, Buffer.from("%PDF-1.4 fake"), DIRECT_IP, "application/pdf");
    expect(pdf.statusCode).toBe(415);
    const noReceipt = await api.app.inject({ method: "POST", url: "/api/v1/tips/evidence", payload: await makeJpeg(), headers: { "content-type": "image/jpeg" } });
    expect(noReceipt.statusCode).toBe(400);
  });

  it("lets handlers work the inbox over HTTP and keeps everyone else out", async () => {
    await post("/api/v1/tips", TIP);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/tip-inbox" })).statusCode).toBe(401);
    expect((await api.app.inject({ method: "GET", url: "/api/v1/tip-inbox", headers: bearer(staffToken) })).statusCode).toBe(403);
    const inbox = await api.app.inject({ method: "GET", url: "/api/v1/tip-inbox", headers: bearer(handlerToken) });
    expect(inbox.statusCode).toBe(200);
    const id = (inbox.json().tips as { id: string }[])[0]!.id;
    const assign = await api.app.inject({ method: "POST", url: `/api/v1/tip-inbox/${id}/assign`, payload: { unit: taxUnit }, headers: bearer(handlerToken) });
    expect(assign.statusCode).toBe(200);
    const seen = await api.app.inject({ method: "GET", url: `/api/v1/tip-inbox/${id}`, headers: bearer(officerToken) });
    expect(seen.statusCode).toBe(200);
    expect(seen.json()).toMatchObject({ messages: null, history: null });
    const bad = await api.app.inject({ method: "POST", url: `/api/v1/tip-inbox/${id}/status`, payload: { status: "closed" }, headers: bearer(handlerToken) });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty("reason");
  });
});

describe("what the server keeps about a tip sender", { timeout: 120_000 }, () => {
  it("keeps no client address (direct or X-Forwarded-For), token or account link in the database file, its WAL, the logs or the attachment store", async () => {
    const auditBefore = await api.t.db.prisma.auditLog.count();
    const sessionsBefore = JSON.stringify(await api.t.db.prisma.session.findMany());
    // A signed-in staff member files through a trusted proxy, and a citizen directly; both send evidence.
    const viaProxy = await post("/api/v1/tips", { ...TIP, description: "通过代理提交的举报内容，足够长" }, { ip: PROXY_IP, xff: PROXIED_IP, headers: bearer(staffToken) });
    expect(viaProxy.statusCode).toBe(201);
    const direct = await post("/api/v1/tips", TIP, { ip: DIRECT_IP });
    for (const { receipt } of [viaProxy.json(), direct.json()] as { receipt: string }[]) {
      expect((await upload(receipt, await makeJpeg({ seed: 5 }), PROXY_IP)).statusCode).toBe(201);
      expect((await post("/api/v1/tips/status", { receipt }, { ip: PROXY_IP, xff: PROXIED_IP, headers: bearer(staffToken) })).statusCode).toBe(200);
      expect((await post("/api/v1/tips/reply", { receipt, text: "再补充一点" }, { ip: DIRECT_IP })).statusCode).toBe(200);
    }
    expect((await post("/api/v1/tips/status", { receipt: "5555 5555 5555 5555" }, { ip: PROXY_IP, xff: PROXIED_IP })).statusCode).toBe(404);

    // Nothing the tipster did wrote an audit row or touched the staff member's session.
    expect(await api.t.db.prisma.auditLog.count()).toBe(auditBefore);
    expect(JSON.stringify(await api.t.db.prisma.session.findMany())).toBe(sessionsBefore);

    if (api.t.db.dialect === "sqlite") api.t.db.sqlite.pragma("wal_checkpoint(PASSIVE)"); // (the WAL is read as it is, too)
    const files = await databaseBytes(api.t.db);
    // Wherever the server's tip context keeps evidence: the test's folder, or the StoredFile table.
    const folder = join(api.t.dir, "tips");
    const store = existsSync(folder) ? localFileStore(folder) : fileStoreFor(api.t.db, "tips");
    const stored = [
      ...(existsSync(folder) ? readdirSync(folder).map((f) => readFileSync(join(folder, f))) : []),
      ...(await api.t.db.prisma.storedFile.findMany({ where: { namespace: "tips" } })).map((f) => Buffer.from(f.bytes)),
    ];
    expect(stored.length).toBeGreaterThanOrEqual(2);
    const logText = log.lines.join("");
    expect(log.lines.length).toBeGreaterThan(0); // the handlers' routes were logged
    for (const ip of [DIRECT_IP, PROXIED_IP]) {
      for (const needle of ipNeedles(ip)) {
        for (const blob of [...files, ...stored]) expect(blob.includes(needle)).toBe(false);
      }
      expect(logText).not.toContain(ip);
    }
    expect(logText).not.toContain(staffToken);
    expect(logText).not.toMatch(/\/api\/v1\/tips/);
    // The tip rows have no column that could hold an account, and no value of one.
    const staffId = (await api.t.db.prisma.session.findFirstOrThrow()).userId;
    for (const table of ["Tip", "TipMessage", "TipEvent", "TipAttachment"]) {
      const rows = JSON.stringify(await tipTableRows(table));
      expect(rows).not.toContain(staffId);
      expect(rows).not.toMatch(/\d{2}:\d{2}:\d{2}/); // dates only, no time of day
    }
    // The evidence on disk is ciphertext; decrypted it is a JPEG without GPS.
    const att = await api.t.db.prisma.tipAttachment.findFirstOrThrow();
    const keyFile = join(api.t.dir, "tip-keys.json");
    const ring = createTipContext(api.t.deps, { ...(existsSync(keyFile) ? { keyFile } : {}), generateKey: false }).keys;
    const plain = decryptTipBytes(ring, (await store.get(att.file))!, tipAad.attachment(att.id));
    expect(await exifr.gps(plain)).toBeUndefined();
  });
});

/** Every row of a tip table, through Prisma (the same on both databases). */
async function tipTableRows(table: string): Promise<unknown[]> {
  const p = api.t.db.prisma;
  if (table === "Tip") return p.tip.findMany();
  if (table === "TipMessage") return p.tipMessage.findMany();
  if (table === "TipEvent") return p.tipEvent.findMany();
  return p.tipAttachment.findMany();
}
