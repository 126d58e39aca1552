// Benchmark: building the quarterly meeting pack (issue 13) — its content (every unit's figures for
// the quarter and the previous one), the XLSX, the HTML and the PDF (Debian's Chromium) — for
// (1) the demo district as `npm start` seeds it and (2) a synthetic district of 200 units with a
// year of activity: 20 towns × 7 villages/communities, 20 traffic-police squads, 15 bureaus/venues, 5 entrusted collectors;
// 4 rentals a month per village (reviewed: 90% accepted, 10% returned), monthly feeds by the bureaus
// (one in six missed), 20 clearance checks a day per squad (a quarter without clearance), quizzes,
// tips, meeting tasks, tax targets with monthly actuals and entrusted collectors (see seedSynthetic).
// Rows are written with prepared statements (what the use-cases would write, much faster); the pack
// is built by the same functions the CLI calls. Usage: npx tsx bench/oversight-pack.ts
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { annualEvaluation, createDb, createDeps, createFixedClock, migrate, packHtml, packPdf, packWorkbook, quarterlyPack, seedDemo, systemActor, type Deps } from "@xieshui/core/server";
const cuidLike = (n: number) => `bench${String(n).padStart(20, "0")}`;
import { report } from "./lib/report.ts";

const QUARTER = "2026Q4";
const NOW = "2026-12-20T02:00:00Z";
const dir = mkdtempSync(join(tmpdir(), "xs-bench-pack-"));

async function timePack(deps: Deps): Promise<Record<string, number>> {
  const t0 = performance.now();
  const pack = await quarterlyPack(deps, systemActor("test"), { quarter: QUARTER });
  const t1 = performance.now();
  const xlsx = await packWorkbook(pack);
  const t2 = performance.now();
  const html = packHtml(pack);
  const t3 = performance.now();
  const pdf = await packPdf(html);
  const t4 = performance.now();
  const ms = (a: number, b: number) => Math.round(b - a);
  return { contentMs: ms(t0, t1), xlsxMs: ms(t1, t2), htmlMs: ms(t2, t3), pdfMs: ms(t3, t4), totalMs: ms(t0, t4), rows: pack.rows.length, xlsxKb: Math.round(xlsx.length / 1024), htmlKb: Math.round(html.length / 1024), pdfKb: Math.round(pdf.length / 1024) };
}

function seedSynthetic(deps: Deps): { units: number; reports: number; checks: number } {
  const sqlite = deps.db.sqlite;
  const unit = sqlite.prepare(`INSERT INTO Unit (id, code, name, type, parentId, active, createdAt) VALUES (?, ?, ?, ?, ?, 1, ?)`);
  const rep = sqlite.prepare(
    `INSERT INTO Report (id, type, unitId, userId, clientId, data, summary, status, timeliness, period, nil, rowCount, createdAt, reviewedAt, version) VALUES (?, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, 0, ?, ?, 1)`,
  );
  const audit = sqlite.prepare(`INSERT INTO AuditLog (at, userId, unitId, action, subject, result, detail) VALUES (?, ?, ?, 'clearance.check', ?, ?, NULL)`);
  const iso = (d: Date) => d.toISOString().replace("Z", "+00:00");
  const created = iso(new Date("2025-12-01T00:00:00Z"));
  const villages: string[] = [];
  const towns: string[] = [];
  const squads: string[] = [];
  const bureaus: string[] = [];
  let units = 0;
  let reports = 0;
  let checks = 0;
  let seq = 0;
  const tx = sqlite.transaction(() => {
    for (let t = 1; t <= 20; t++) {
      const townId = cuidLike(++seq);
      unit.run(townId, `town-${t}`, `第${t}镇`, "town", null, created);
      towns.push(townId);
      units++;
      for (let v = 1; v <= 7; v++) {
        const id = cuidLike(++seq);
        unit.run(id, `town-${t}-v${v}`, `第${t}镇第${v}村委会`, v === 7 ? "community" : "village", townId, created);
        villages.push(id);
        units++;
      }
    }
    for (let s = 1; s <= 20; s++) {
      const id = cuidLike(++seq);
      unit.run(id, `squad-${s}`, `交警第${s}中队`, "traffic_police", null, created);
      squads.push(id);
      units++;
    }
    const bureauTypes = ["construction_bureau", "market_regulation", "land_bureau", "power_supply", "venue"];
    for (let b = 1; b <= 15; b++) {
      const id = cuidLike(++seq);
      unit.run(id, `bureau-${b}`, `第${b}协税单位`, bureauTypes[b % bureauTypes.length]!, null, created);
      bureaus.push(id);
      units++;
    }
    for (let m = 1; m <= 12; m++) {
      const period = `2026-${String(m).padStart(2, "0")}`;
      villages.forEach((u, i) => {
        for (let k = 0; k < 4; k++) {
          const at = new Date(Date.UTC(2026, m - 1, 2 + k * 6, 2));
          if (at > new Date(NOW)) continue;
          const n = ++reports;
          const timeliness = (n + i) % 9 === 0 ? "late" : "on_time";
          const status = n % 10 < 7 ? (n % 10 === 0 ? "returned" : "accepted") : "submitted";
          rep.run(cuidLike(1_000_000 + n), "rental", u, "bench-user", `c${n}`, `租赁 ${n}`, status, timeliness, null, 0, iso(at), status === "submitted" ? null : iso(new Date(at.getTime() + 86_400_000)));
        }
      });
      bureaus.forEach((u, i) => {
        if ((m + i) % 6 === 0) return; // missed
        const at = new Date(Date.UTC(2026, m, 5, 2));
        if (at > new Date(NOW)) return;
        const n = ++reports;
        rep.run(cuidLike(1_000_000 + n), "feed_construction_permits", u, "bench-user", `f${n}`, `数据 ${period}`, "accepted", "on_time", period, 1, iso(at), iso(at));
      });
    }
    const start = Date.UTC(2026, 0, 1, 1);
    for (let day = 0; day < 365; day++) {
      const at = start + day * 86_400_000;
      if (at > Date.parse(NOW)) break;
      squads.forEach((u, i) => {
        for (let k = 0; k < 20; k++) {
          checks++;
          audit.run(iso(new Date(at + k * 600_000)), "bench-user", u, `vehicle_vessel:豫A${String(checks).padStart(5, "0")}`, (checks + i) % 4 === 0 ? "missing" : "cleared");
        }
      });
    }
    // Learning and duties over the same year: a quiz a quarter pushed to three people in each
    // village (85% finish, scores 60-100), 100 tips assigned to towns (70% concluded in time), a
    // meeting a quarter with a task for every town (75% done by the due day), 2026 targets for the four
    // locally retained taxes in every town with monthly actuals, and five entrusted collectors with two
    // inspections each (one follow-up left overdue).
    const quiz = sqlite.prepare(`INSERT INTO Quiz (id, title, definition, status, passMark, opensAt, closesAt, createdAt, updatedAt, pushedAt) VALUES (?, ?, '{}', 'pushed', 60, ?, ?, ?, ?, ?)`);
    const assignment = sqlite.prepare(`INSERT INTO QuizAssignment (id, quizId, userId, unitId, assignedAt, finishedAt, correct, score, passed, botStatus) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'none')`);
    for (let q = 1; q <= 4; q++) {
      const opens = new Date(Date.UTC(2026, (q - 1) * 3, 10, 1));
      if (opens > new Date(NOW)) break;
      const quizId = cuidLike(3_000_000 + q);
      quiz.run(quizId, `第${q}季度测验`, iso(opens), iso(new Date(opens.getTime() + 20 * 86_400_000)), iso(opens), iso(opens), iso(opens));
      villages.forEach((u, i) => {
        for (let k = 0; k < 3; k++) {
          const n = ++seq;
          const done = (n + i) % 7 !== 0;
          const score = 60 + ((n * 13) % 41);
          assignment.run(cuidLike(3_100_000 + n), quizId, `bench-person-${i}-${k}`, u, iso(opens), done ? iso(new Date(opens.getTime() + 2 * 86_400_000)) : null, done ? Math.round(score / 10) : null, done ? score : null, done ? (score >= 60 ? 1 : 0) : null);
        }
      });
    }
    const tip = sqlite.prepare(`INSERT INTO Tip (id, receiptHash, category, status, realName, body, filedOn, acknowledgeBy, concludeBy, acknowledgedOn, closedOn, unitId) VALUES (?, ?, 'tax_evasion', ?, 0, 'k:x', ?, ?, ?, ?, ?, ?)`);
    for (let n = 0; n < 100; n++) {
      const filed = new Date(Date.UTC(2026, 0, 5 + n * 3));
      if (filed > new Date(NOW)) break;
      const day = (d: Date) => d.toISOString().slice(0, 10);
      const plus = (k: number) => day(new Date(filed.getTime() + k * 86_400_000));
      const inTime = n % 10 < 7;
      tip.run(cuidLike(3_500_000 + n), `bench-${n}`, inTime ? "closed" : "investigating", day(filed), plus(15), plus(60), plus(3), inTime ? plus(40) : null, towns[n % towns.length]!);
    }
    const meeting = sqlite.prepare(`INSERT INTO Meeting (id, heldOn, title, decisions, createdAt) VALUES (?, ?, ?, ?, ?)`);
    const task = sqlite.prepare(`INSERT INTO MeetingTask (id, meetingId, unitId, title, dueOn, status, doneAt, doneNote, createdAt) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    for (let q = 1; q <= 4; q++) {
      const held = new Date(Date.UTC(2026, (q - 1) * 3 + 1, 15, 2));
      if (held > new Date(NOW)) break;
      const meetingId = cuidLike(3_700_000 + q);
      meeting.run(meetingId, held.toISOString().slice(0, 10), `2026年第${q}季度例会`, "部署下季度协税护税工作", iso(held));
      towns.forEach((u, i) => {
        const due = new Date(held.getTime() + 30 * 86_400_000);
        const done = (i + q) % 4 !== 0 && due < new Date(NOW);
        task.run(cuidLike(3_800_000 + q * 100 + i), meetingId, u, `第${q}季度任务：摸排出租房屋`, due.toISOString().slice(0, 10), done ? "done" : "open", done ? iso(new Date(due.getTime() - 86_400_000)) : null, done ? "已完成" : null, iso(held));
      });
    }
    const target = sqlite.prepare(`INSERT INTO TaxTarget (year, unitId, tax, amountFen, updatedAt) VALUES (2026, ?, ?, ?, ?)`);
    const actual = sqlite.prepare(`INSERT INTO TaxActual (month, unitId, tax, amountFen, updatedAt) VALUES (?, ?, ?, ?, ?)`);
    const taxes = ["property_tax", "urban_land_use_tax", "vehicle_vessel_tax", "resource_tax"];
    towns.forEach((u, i) => {
      taxes.forEach((tax, k) => {
        const yearly = (1_000_000 + i * 50_000 + k * 200_000) * 100;
        target.run(u, tax, BigInt(yearly), created);
        for (let m = 1; m <= 11; m++) actual.run(`2026-${String(m).padStart(2, "0")}`, u, tax, BigInt(Math.round((yearly / 12) * (0.8 + ((i + m + k) % 5) / 10))), created);
      });
    });
    const collector = sqlite.prepare(`INSERT INTO EntrustedCollector (unitId, agreementNo, scope, validFrom, validTo, createdAt, updatedAt) VALUES (?, ?, '零星房屋出租税费', '2026-01-01', '2026-12-31', ?, ?)`);
    const inspection = sqlite.prepare(`INSERT INTO EntrustedInspection (id, unitId, inspectedOn, findings, followUp, followUpBy, followUpDoneOn, createdAt) VALUES (?, ?, ?, '台账基本完整', ?, ?, ?, ?)`);
    for (let e = 1; e <= 5; e++) {
      const id = cuidLike(++seq);
      unit.run(id, `entrusted-${e}`, `第${e}委托代征点`, "entrusted_collector", null, created);
      units++;
      collector.run(id, `WT-2026-${e}`, created, created);
      inspection.run(cuidLike(3_900_000 + e * 2), id, "2026-05-10", null, null, null, created);
      inspection.run(cuidLike(3_900_001 + e * 2), id, "2026-10-20", "补齐代征凭证", "2026-11-20", e === 1 ? null : "2026-11-15", created);
    }
  });
  tx();
  return { units, reports, checks };
}

try {
  const clock = createFixedClock(NOW);
  const demoDb = createDb(`file:${join(dir, "demo.db")}`);
  migrate(demoDb.sqlite);
  const demo = createDeps(demoDb, { clock });
  await seedDemo(demo);
  await timePack(demo); // warm-up: module loading and the first Chromium start
  const demoFigures = await timePack(demo);
  await demoDb.close();

  const bigDb = createDb(`file:${join(dir, "synthetic.db")}`);
  migrate(bigDb.sqlite);
  const big = createDeps(bigDb, { clock });
  const seeded = seedSynthetic(big);
  const dbMb = Math.round(statSync(join(dir, "synthetic.db")).size / 1024 / 1024);
  const bigFigures = await timePack(big);
  const bigAgain = await timePack(big);
  const e0 = performance.now();
  const evaluation = await annualEvaluation(big, systemActor("test"), { year: 2026 });
  const evaluationMs = Math.round(performance.now() - e0);
  await bigDb.close();
  report({
    name: "oversight-pack",
    figures: {
      ...Object.fromEntries(Object.entries(demoFigures).map(([k, v]) => [`demo.${k}`, v])),
      "synthetic.units": seeded.units,
      "synthetic.reports": seeded.reports,
      "synthetic.checks": seeded.checks,
      "synthetic.dbMb": dbMb,
      ...Object.fromEntries(Object.entries(bigFigures).map(([k, v]) => [`synthetic.${k}`, v])),
      "synthetic.totalMs.second": bigAgain.totalMs!,
      "synthetic.evaluationMs": evaluationMs,
      "synthetic.evaluationRows": evaluation.rows.length,
    },
    targets: [
      { label: "demo pack (XLSX+HTML+PDF) < 5 s", ok: demoFigures.totalMs! < 5000 },
      { label: "200-unit pack (XLSX+HTML+PDF) < 15 s", ok: bigFigures.totalMs! < 15000 },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
