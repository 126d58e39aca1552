import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { fieldSensitivity, REPORT_TYPES, reportFields, withIdCheckChar, withUsccCheckChar } from "../domain/index.ts";
import { createLogger, pathOnly, resolveLogFormat, scrubLogText } from "./logger.ts";

function bufferLogger(level = "trace") {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { logger: createLogger({ level, destination: sink }), lines };
}

const ID = withIdCheckChar("41010619800101001");
const USCC = withUsccCheckChar("91410100MA0000001");

describe("log redaction", () => {
  it("redacts every ID-number, credit-code and name field of every report type, at any depth", () => {
    const { logger, lines } = bufferLogger();
    const sensitive = REPORT_TYPES.flatMap((type) => reportFields(type).filter((f) => fieldSensitivity(f) !== null).map((f) => ({ type: type.code, name: f.name })));
    // The registry decides: the ones the hand-written list used to miss are among them.
    expect(sensitive.map((s) => s.name)).toEqual(expect.arrayContaining(["transferorIdNo", "transfereeIdNo", "organizerUscc", "landlordName", "ownerName", "legalRep"]));
    for (const [i, { type, name }] of sensitive.entries()) {
      const value = `秘密值${i}号`;
      logger.info({ [name]: value }, "top");
      logger.info({ body: { type, data: { [name]: value } } }, "nested");
      logger.info({ batch: [{ rows: [{ data: { [name]: value } }] }] }, "deep");
    }
    const log = lines.join("");
    expect(lines.length).toBe(sensitive.length * 3);
    expect(log).not.toMatch(/秘密值\d+号/);
    expect(log).toContain("[redacted]");
  });

  it("scrubs ID numbers, credit codes and mobile numbers from messages, error texts and free text", () => {
    const { logger, lines } = bufferLogger();
    logger.info({ note: `房东 ${ID}，电话 13812345678` }, `lookup for ${ID}`);
    logger.error({ err: new Error(`Invalid value ${USCC} for organizer`) }, "failed");
    logger.warn({ error: { kind: "Error", message: `bad ${ID.slice(0, 17)}X`, stack: `at ${USCC}` } }, "wrapped");
    const log = lines.join("");
    for (const secret of [ID, USCC, "13812345678", `${ID.slice(0, 17)}X`]) expect(log).not.toContain(secret);
    // Ordinary numbers survive: times, counts, request ids.
    expect(scrubLogText("2026-11-26 took 1796153518275 ms, 200 rows")).toBe("2026-11-26 took 1796153518275 ms, 200 rows");
  });

  it("logs a request as its method and path, never its query string or headers", () => {
    const { logger, lines } = bufferLogger();
    logger.info({ req: { method: "GET", url: "/api/v1/reports/mine?token=abc&landlordIdNo=1", headers: { authorization: "Bearer x" }, ip: "10.0.0.1" } }, "request");
    const entry = JSON.parse(lines[0]!) as { req: Record<string, unknown> };
    expect(entry.req).toEqual({ method: "GET", url: "/api/v1/reports/mine", remoteAddress: "10.0.0.1" });
    expect(pathOnly("/a/b#frag")).toBe("/a/b");
    expect(pathOnly(undefined)).toBe("/");
  });

  it("keeps credentials out as before: tokens, codes, authorization headers", () => {
    const { logger, lines } = bufferLogger();
    logger.info({ token: "t0k3n", headers: { authorization: "Bearer t0k3n" }, invite: { code: "ABCD2345" } }, "creds");
    const log = lines.join("");
    expect(log).not.toContain("t0k3n");
    expect(log).not.toContain("ABCD2345");
  });
});

describe("log format", () => {
  it("writes readable lines to a terminal and JSON to files and pipes, unless told", () => {
    expect(resolveLogFormat("auto", true)).toBe("pretty");
    expect(resolveLogFormat(undefined, false)).toBe("json");
    expect(resolveLogFormat("json", true)).toBe("json");
    expect(resolveLogFormat("pretty", false)).toBe("pretty");
  });
});
