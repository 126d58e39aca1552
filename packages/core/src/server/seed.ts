import type { Role, UnitType } from "../domain/units.ts";
import { ROLES } from "../domain/units.ts";
import type { LocalTax } from "../domain/targets/index.ts";
import type { Deps } from "./deps.ts";
import { createInvite, systemActor } from "./identity/index.ts";
import { migrateDb } from "./migrate.ts";
import { waitForDatabase } from "./db.ts";
import { seedDemoMeeting } from "./meetings/demo.ts";
import { addDays, cstDate } from "../domain/time.ts";
import { addAgent, recordInspection, registerCollector } from "./entrusted/entrusted.ts";
import { isAppError } from "./errors.ts";
import { isUniqueViolation } from "./reports/common.ts";

/** A demo unit of the seeded district. */
export interface DemoUnit {
  code: string;
  name: string;
  type: UnitType;
  parent?: string;
  /** where the unit works from: the default place of its vehicle reports, shown on forms */
  address?: string;
}

/**
 * The demo district: a town with two village committees and a residents' committee, a traffic-police
 * brigade, a venue, and the bureaus named in the 2007 implementation opinion. Codes are stable:
 * tests and the README refer to them.
 */
export const DEMO_UNITS: DemoUnit[] = [
  { code: "xingfu-town", name: "幸福镇", type: "town", address: "幸福镇人民路 1 号" },
  { code: "dongcun", name: "幸福镇东村村委会", type: "village", parent: "xingfu-town", address: "幸福镇东村 1 组村委会大院" },
  { code: "xicun", name: "幸福镇西村村委会", type: "village", parent: "xingfu-town", address: "幸福镇西村 2 组村委会大院" },
  { code: "heping", name: "幸福镇和平社区居委会", type: "community", parent: "xingfu-town", address: "幸福镇和平路 36 号" },
  { code: "traffic-1", name: "区公安局交警大队一中队", type: "traffic_police", address: "幸福镇人民路 88 号交警一中队检查站" },
  { code: "grand-theatre", name: "区人民大剧院", type: "venue", address: "文化路 8 号" },
  { code: "culture-bureau", name: "区文化和旅游局", type: "culture_bureau" },
  { code: "land-bureau", name: "区自然资源局（国土）", type: "land_bureau" },
  { code: "housing-bureau", name: "区房产管理局", type: "housing_bureau" },
  { code: "construction-bureau", name: "区住房和城乡建设局", type: "construction_bureau" },
  { code: "tax-bureau", name: "国家税务总局本区税务局", type: "tax_bureau" },
  { code: "finance-bureau", name: "区财政局", type: "finance_bureau" },
  { code: "finance-supervision", name: "区财政监督检查办公室", type: "supervision_office" },
  { code: "market-regulation", name: "区市场监督管理局", type: "market_regulation" },
  { code: "power-supply", name: "国网本区供电公司", type: "power_supply" },
  { code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）", type: "entrusted_collector", address: "幸福镇人民路 20 号" },
];

/** Which demo unit each role's demo invite belongs to. */
export const DEMO_INVITE_UNITS: Record<Role, string> = {
  reporter: "dongcun",
  checker: "traffic-1",
  tax_officer: "tax-bureau",
  trainer: "tax-bureau",
  tip_handler: "finance-supervision",
  coordinator: "finance-bureau",
  admin: "finance-bureau",
};

/**
 * Inserts the demo units that are missing (and, once, the demo 2026Q3 meeting with its tasks), and gives a demo unit without an address its demo
 * address (databases seeded before units had addresses); never changes anything else. Returns how
 * many units were added.
 */
export async function seedDemo(deps: Deps): Promise<number> {
  const { prisma } = deps.db;
  let added = 0;
  for (const unit of DEMO_UNITS) {
    const exists = await prisma.unit.findUnique({ where: { code: unit.code } });
    if (exists) {
      if (unit.address && exists.address === null) await prisma.unit.update({ where: { id: exists.id }, data: { address: unit.address } });
      continue;
    }
    const parent = unit.parent ? await prisma.unit.findUnique({ where: { code: unit.parent } }) : null;
    await prisma.unit.create({ data: { code: unit.code, name: unit.name, type: unit.type, parentId: parent?.id ?? null, address: unit.address ?? null } });
    added++;
  }
  await seedDemoMeeting(deps); // the 2026Q3 summary meeting and its tasks, once
  await seedEntrustedDemo(deps);
  return added;
}

/** The demo town's 2026 targets (万元) and its actuals for 2026-01..2026-11 (万元 per month): 房产税 and 城镇土地使用税 on track, 车船税 ahead, 资源税 behind. */
const DEMO_TAX_FIGURES: { town: string; year: number; taxes: Record<LocalTax, { target: number; months: number[] }> } = {
  town: "xingfu-town",
  year: 2026,
  taxes: {
    property_tax: { target: 1200, months: [70, 60, 80, 190, 80, 75, 70, 70, 80, 190, 85] },
    urban_land_use_tax: { target: 800, months: [45, 40, 55, 140, 50, 45, 45, 40, 50, 135, 55] },
    vehicle_vessel_tax: { target: 300, months: [45, 40, 35, 30, 28, 26, 25, 24, 22, 20, 20] },
    resource_tax: { target: 150, months: [6, 5, 6, 7, 6, 5, 6, 6, 5, 6, 6] },
  },
};

/**
 * Gives the demo town its 2026 targets and monthly actuals when it has none (DEMO_TAX_FIGURES), so
 * the targets page and the pack's section have something to show; never touches existing figures.
 */
export async function seedDemoTaxFigures(deps: Deps): Promise<void> {
  const { prisma } = deps.db;
  const town = await prisma.unit.findUnique({ where: { code: DEMO_TAX_FIGURES.town } });
  if (!town) return;
  const now = deps.clock.now();
  const fen = (wan: number) => BigInt(Math.round(wan * 100)) * 10_000n;
  const { year, taxes } = DEMO_TAX_FIGURES;
  if ((await prisma.taxTarget.count({ where: { unitId: town.id } })) === 0) {
    await prisma.taxTarget.createMany({ data: Object.entries(taxes).map(([tax, f]) => ({ year, unitId: town.id, tax, amountFen: fen(f.target), updatedAt: now })) });
  }
  if ((await prisma.taxActual.count({ where: { unitId: town.id } })) === 0) {
    await prisma.taxActual.createMany({
      data: Object.entries(taxes).flatMap(([tax, f]) => f.months.map((wan, i) => ({ month: `${year}-${String(i + 1).padStart(2, "0")}`, unitId: town.id, tax, amountFen: fen(wan), updatedAt: now }))),
    });
  }
}

/**
 * The demo collector's agreement (this calendar year), two agents and one inspection whose
 * follow-up is overdue, so the entrusted page and the oversight column show something. Only when the
 * collector has no agreement yet: a database where someone registered it keeps what they entered.
 */
export async function seedEntrustedDemo(deps: Deps): Promise<void> {
  const unit = await deps.db.prisma.unit.findUnique({ where: { code: "entrusted-rental" }, select: { id: true } });
  if (!unit || (await deps.db.prisma.entrustedCollector.findUnique({ where: { unitId: unit.id } }))) return;
  const seed = systemActor("seed");
  const today = cstDate(deps.clock.now());
  const year = today.slice(0, 4);
  try {
    await registerCollector(deps, seed, { unit: "entrusted-rental", agreementNo: `WTDZ-${year}-001`, scope: "零星房屋出租涉及的房产税、城镇土地使用税、印花税、个人所得税、增值税及附加", validFrom: `${year}-01-01`, validTo: `${year}-12-31` });
    for (const [name, certificateNo, phone] of [["张建国", "DZ-DEMO-001", "13800000001"], ["李秀英", "DZ-DEMO-002", "13800000002"]] as const) {
      if (!(await deps.db.prisma.entrustedAgent.findUnique({ where: { certificateNo } }))) await addAgent(deps, seed, { unit: "entrusted-rental", name, certificateNo, phone });
    }
    await recordInspection(deps, seed, {
      unit: "entrusted-rental",
      inspectedOn: addDays(today, -20),
      findings: "代征税款未按规定时限解缴入库，部分代征凭证开具不规范",
      followUp: "按月解缴代征税款，规范开具代征凭证并提交整改报告",
      followUpBy: addDays(today, -5),
    });
  } catch (e) {
    // Another process starting on the same database seeded it first (the agreement or a certificate is taken).
    if ((isAppError(e) && e.code === "conflict") || isUniqueViolation(e)) return;
    throw e;
  }
}

/**
 * Issues one fresh demo invite per role (7 days) and revokes the unused demo invites of earlier
 * starts, so the codes printed by `npm start` are always the ones that work.
 */
export async function issueDemoInvites(deps: Deps): Promise<{ role: Role; unit: string; code: string }[]> {
  await deps.db.prisma.invite.updateMany({
    where: { label: "demo", usedAt: null, revokedAt: null },
    data: { revokedAt: deps.clock.now() },
  });
  const out: { role: Role; unit: string; code: string }[] = [];
  for (const role of ROLES) {
    const unit = DEMO_INVITE_UNITS[role];
    const { code } = await createInvite(deps, systemActor("seed"), { unit, roles: [role], expiresInDays: 7, label: "demo" });
    out.push({ role, unit, code });
  }
  return out;
}

/**
 * Brings a database to a usable state: applies pending migrations and, when `demo` is on, adds the
 * demo units that are missing. Safe to call on every start: existing data is kept.
 */
export async function prepareDatabase(deps: Deps, opts: { demo: boolean }): Promise<{ migrations: string[]; seeded: boolean }> {
  await waitForDatabase(deps.db, { onRetry: (message) => deps.logger.warn(message) });
  const migrations = await migrateDb(deps.db);
  await (await import("./clearances/recovery.ts")).recoverInterruptedImports(deps); // clearance imports killed mid-way: `interrupted`, true counts
  // Demo mode adds any demo unit that is missing (new demo units arrive with upgrades); it never changes existing rows.
  const seeded = opts.demo ? (await seedDemo(deps)) > 0 : false;
  if (opts.demo) await seedDemoTaxFigures(deps);
  return { migrations, seeded };
}
