import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CLEARANCE_COLUMNS, withIdCheckChar } from "@xieshui/core";
import { makeUser } from "../../../test/factories/identity.ts";
import { createTestApi, bearer, type TestApi } from "./helpers.ts";

// Issue 7 point 5 over HTTP: who may import for real, and an overlapping import answered 409.

const ID = withIdCheckChar("41010619900101123");
const csv = (cert: string) => `${CLEARANCE_COLUMNS.join(",")}\n${[cert, "vehicle_vessel", "车船税", "豫A12345", "", "", ID, "张小三", "2026-01-01", "2026-12-31", "paid", "480.00", "2026-03-01"].join(",")}\n`;

let api: TestApi;
let coordinator: string;
let taxOfficer: string;
beforeAll(async () => {
  api = await createTestApi();
  coordinator = (await makeUser(api.t.deps, { roles: ["coordinator"], unitType: "finance_bureau" })).token;
  taxOfficer = (await makeUser(api.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" })).token;
});
afterAll(async () => {
  await api.close();
});

const upload = (token: string, body: string, query = "", headers: Record<string, string> = {}) =>
  api.app.inject({ method: "POST", url: `/api/v1/clearances/import?fileName=c.csv${query}`, headers: { ...bearer(token), "content-type": "text/csv", ...headers }, payload: body });

describe("POST /api/v1/clearances/import: roles and overlaps", { timeout: 60_000 }, () => {
  it("refuses a coordinator's real import with 403 and a message saying a dry run is allowed, and runs the dry run", async () => {
    const real = await upload(coordinator, csv("APIROLE001"));
    expect(real.statusCode).toBe(403);
    expect(real.json().error).toMatchObject({ code: "forbidden", message: "只有税务人员可以正式导入完税凭证数据；协调员和管理员可以先试导入（只检查，不写入）" });
    const en = await upload(coordinator, csv("APIROLE001"), "", { "accept-language": "en" });
    expect(en.json().error.message).toContain("Only tax officers may import");
    const dry = await upload(coordinator, csv("APIROLE001"), "&dryRun=1");
    expect(dry.statusCode).toBe(200);
    expect(dry.json()).toMatchObject({ imported: 1, dryRun: true, rejected: [], rejectedCount: 0, rejectedTruncated: false });
    const officer = await upload(taxOfficer, csv("APIROLE001"));
    expect(officer.statusCode).toBe(200);
    expect(officer.json()).toMatchObject({ imported: 1, dryRun: false });
  });

  it("answers 409 while another import holds the lease, and 200 once it is released", async () => {
    const now = api.clock.now();
    await api.t.db.prisma.jobLease.create({ data: { name: "clearance-import", holder: "other-process", acquiredAt: now, expiresAt: new Date(now.getTime() + 60_000) } });
    const busy = await upload(taxOfficer, csv("APIBUSY001"));
    expect(busy.statusCode).toBe(409);
    expect(busy.json().error).toMatchObject({ code: "conflict", message: "另一次完税凭证导入正在进行（2026-11-26 10:00 开始）：请等它结束后再试" });
    await api.t.db.prisma.jobLease.deleteMany();
    expect((await upload(taxOfficer, csv("APIBUSY001"))).statusCode).toBe(200);
  });
});
