// Benchmark: building the quarterly meeting pack (issue 13) — its content (every unit's figures for
// the quarter and the previous one), the XLSX, the HTML and the PDF (Debian's Chromium) — for
// (1) the demo district as `npm start` seeds it and (2) a synthetic district of 200 units with a
// year of activity: 20 towns × 7 villages/communities, 20 traffic-police squads, 20 bureaus/venues;
// 4 rentals a month per village (reviewed: 90% accepted, 10% returned), monthly feeds by the bureaus
// (one in six missed), 20 clearance checks a day per squad (a quarter without clearance).
// Rows are written with prepared statements (what the use-cases would write, much faster); the pack
// is built by the same functions the CLI calls. Usage: npx tsx bench/oversight-pack.ts
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { createDb, createDeps, createFixedClock, migrate, packHtml, packPdf, packWorkbook, quarterlyPack, seedDemo, systemActor, type Deps } from "@xieshui/core/server";
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
    for (let b = 1; b <= 20; b++) {
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
    },
    targets: [
      { label: "demo pack (XLSX+HTML+PDF) < 5 s", ok: demoFigures.totalMs! < 5000 },
      { label: "200-unit pack (XLSX+HTML+PDF) < 15 s", ok: bigFigures.totalMs! < 15000 },
    ],
  });
} finally {
  rmSync(dir, { recursive: true, force: true });
}
