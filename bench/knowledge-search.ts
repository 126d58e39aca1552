// Benchmark: knowledge search over 10,000 articles generated from the 40 seed articles by
// recombining their sections. Measures the index build (time, memory, size), search latency in
// process (searchKnowledge) and over HTTP (the real API, GET /api/v1/knowledge/search) on 200+
// varied queries, and the cost of one article edit (save + revision + index update, one transaction).
// Targets: p95 < 20 ms per query in process and over HTTP.
// Usage: npx tsx bench/knowledge-search.ts [articles] [http-seconds]; `npm run bench -- --db pg
// knowledge-search` runs it on PostgreSQL (bench/lib/db.ts).
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  createDeps,
  createTipContext,
  createInvite,
  getKnowledgeArticle,
  parseArticleFile,
  rebuildKnowledgeIndex,
  redeemInvite,
  saveKnowledgeArticle,
  searchKnowledge,
  SEED_KNOWLEDGE_DIR,
  sqlDate,
  words,
  systemActor,
  type Actor,
} from "@xieshui/core/server";
import { createServer } from "../apps/api/src/server.ts";
import { QUALITY_QUERIES } from "../packages/core/src/server/knowledge/quality-queries.ts";
import { report } from "./lib/report.ts";
import { BENCH_DIALECT, createBenchDatabase } from "./lib/db.ts";

const ARTICLES = Math.min(Math.max(Number(process.argv[2] ?? 10_000), 100), 100_000);
const HTTP_SECONDS = Math.min(Math.max(Number(process.argv[3] ?? 10), 2), 60);

interface Seed {
  id: string;
  title: string;
  tags: string[];
  audience: string[];
  law: string;
  sections: string[];
}

function loadSeeds(): Seed[] {
  return readdirSync(SEED_KNOWLEDGE_DIR).filter((f) => f.endsWith(".md")).sort().map((f) => {
    const parsed = parseArticleFile(readFileSync(join(SEED_KNOWLEDGE_DIR, f), "utf8"));
    if (!parsed.ok) throw new Error(`${f}: ${parsed.reason}`);
    const sections = parsed.body.split(/\n(?=## )/).map((s) => s.trim()).filter(Boolean);
    return { id: parsed.meta.id, title: parsed.meta.title, tags: parsed.meta.tags, audience: parsed.meta.audience, law: parsed.meta.law, sections };
  });
}

/** A deterministic pseudo-random sequence (so two runs index the same articles). */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const PLACES = ["东村", "西村", "和平社区", "城关镇", "河湾村", "高新区", "北街道", "南湖村", "老城区", "开发区"];

/** Article i: the sections of 2-4 seed articles (its own first), its title with a place and a number, tags merged. */
function generate(seeds: Seed[], i: number) {
  const rand = rng(i + 1);
  const main = seeds[i % seeds.length]!;
  const others = Array.from({ length: 1 + Math.floor(rand() * 3) }, () => seeds[Math.floor(rand() * seeds.length)]!);
  const sections = [...main.sections.slice(0, 1 + Math.floor(rand() * main.sections.length)), ...others.map((o) => o.sections[Math.floor(rand() * o.sections.length)]!)];
  const tags = [...new Set([...main.tags, ...others.flatMap((o) => o.tags.slice(0, 2))])].slice(0, 10);
  return {
    id: `K${String(i + 1).padStart(5, "0")}`,
    title: `${main.title}（${PLACES[i % PLACES.length]}第${Math.floor(i / seeds.length) + 1}期）`,
    tags,
    audience: main.audience.join(","),
    law: main.law,
    body: sections.join("\n\n"),
  };
}

/** 200+ varied queries: the quality set, every seed tag, title fragments, traditional and typo variants. */
function queries(seeds: Seed[]): string[] {
  const set = new Set<string>(QUALITY_QUERIES.map(([q]) => q));
  for (const s of seeds) {
    for (const tag of s.tags) set.add(tag);
    set.add(s.title.slice(0, 4));
    set.add(`${s.tags[0]}怎么办`);
  }
  for (const q of ["車船稅", "契稅", "個人所得稅", "增值稅", "印花稅", "車船水", "气税", "引花税", "增殖税", "个锐", "ETC", "12366", "个税APP", "ｅｔｃ", "１２３６６"]) set.add(q);
  return [...set];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
const round = (n: number, d = 2) => Math.round(n * 10 ** d) / 10 ** d;

function summarise(times: number[]) {
  const sorted = [...times].sort((a, b) => a - b);
  return { p50: round(percentile(sorted, 50)), p95: round(percentile(sorted, 95)), p99: round(percentile(sorted, 99)), max: round(sorted[sorted.length - 1] ?? 0) };
}

const LOAD = fileURLToPath(new URL("./lib/load-get.ts", import.meta.url));
function runGetLoad(config: { base: string; paths: string[]; connections: number; duration: number }): Promise<{ rps: number; p50: number; p97_5: number; p99: number; non2xx: number; errors: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", LOAD, JSON.stringify(config)], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), (config.duration + 60) * 1000);
    child.on("close", (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`load child exited with ${code}`));
      resolve(JSON.parse(out) as never);
    });
  });
}

const bench = await createBenchDatabase("knowledge-search");
const { db, dir } = bench;
const file = db.dialect === "sqlite" ? db.file : "";
try {
  const deps = createDeps(db);
  const seeds = loadSeeds();

  // Articles and their first revision, written directly (the bench measures the index, not the import).
  const t0 = performance.now();
  const nowDate = new Date();
  let bodyChars = 0;
  const articles = Array.from({ length: ARTICLES }, (_, i) => generate(seeds, i));
  for (const a of articles) bodyChars += a.body.length;
  if (db.dialect === "sqlite") {
    const now = sqlDate(nowDate);
    const insertArticle = db.sqlite.prepare(`INSERT INTO KnowledgeArticle (id, title, tags, audience, law, body, updated, revision, createdAt, updatedAt) VALUES (?, ?, ?, ?, ?, ?, '2025-01-01', 1, ?, ?)`);
    const insertRevision = db.sqlite.prepare(`INSERT INTO KnowledgeRevision (articleId, revision, title, tags, audience, law, body, updated, source, createdAt) VALUES (?, 1, ?, ?, ?, ?, ?, '2025-01-01', 'seed', ?)`);
    db.sqlite.transaction(() => {
      for (const a of articles) {
        insertArticle.run(a.id, a.title, JSON.stringify(a.tags), a.audience, a.law, a.body, now, now);
        insertRevision.run(a.id, a.title, JSON.stringify(a.tags), a.audience, a.law, a.body, now);
      }
    })();
  } else {
    const now = nowDate.toISOString();
    for (let i = 0; i < articles.length; i += 1000) {
      const batch = articles.slice(i, i + 1000);
      const cols = [batch.map((a) => a.id), batch.map((a) => a.title), batch.map((a) => JSON.stringify(a.tags)), batch.map((a) => a.audience), batch.map((a) => a.law), batch.map((a) => a.body)];
      await db.pg.query(
        `INSERT INTO "KnowledgeArticle" (id, title, tags, audience, law, body, updated, revision, "createdAt", "updatedAt")
         SELECT id, title, tags, audience, law, body, '2025-01-01', 1, $7, $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS a(id, title, tags, audience, law, body)`,
        [...cols, now],
      );
      await db.pg.query(
        `INSERT INTO "KnowledgeRevision" ("articleId", revision, title, tags, audience, law, body, updated, source, "createdAt")
         SELECT id, 1, title, tags, audience, law, body, '2025-01-01', 'seed', $7 FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS a(id, title, tags, audience, law, body)`,
        [...cols, now],
      );
    }
  }
  console.error(`generated ${ARTICLES} articles (${Math.round(bodyChars / ARTICLES)} characters each on average) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  // Index build: time and memory (RSS sampled every 25 ms; heap after a GC).
  global.gc?.();
  const before = process.memoryUsage();
  let peakRss = before.rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 25);
  const fileBefore = file ? statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0) : 0;
  // Loading jieba and the user dictionary (once per process) is counted separately.
  const tLoad = performance.now();
  words("预热");
  const loadMs = performance.now() - tLoad;
  const cpuBuild = process.cpuUsage();
  const build = await rebuildKnowledgeIndex(deps);
  const buildCpu = process.cpuUsage(cpuBuild);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  let ftsBytes: number;
  if (db.dialect === "sqlite") {
    db.sqlite.pragma("wal_checkpoint(TRUNCATE)");
    ftsBytes = (db.sqlite.prepare(`SELECT sum(pgsize) AS n FROM dbstat WHERE name LIKE 'knowledge_fts%'`).get() as { n: number | null }).n ?? statSync(file).size - fileBefore;
  } else {
    // The index tables with their indexes and TOAST (tsvectors, vocab rows).
    const { rows } = await db.pg.query<{ n: number }>(`SELECT (pg_total_relation_size('knowledge_fts') + pg_total_relation_size('knowledge_fts_vocab'))::bigint AS n`);
    ftsBytes = rows[0]!.n;
  }
  global.gc?.();
  const after = process.memoryUsage();
  console.error(`index: ${build.count} articles in ${(build.ms / 1000).toFixed(1)} s, peak RSS ${Math.round(peakRss / 2 ** 20)} MB (+${Math.round((peakRss - before.rss) / 2 ** 20)} MB), FTS tables ${Math.round(ftsBytes / 2 ** 20)} MB`);

  // In process: every query once to warm up, then three passes measured one by one.
  const qs = queries(seeds);
  for (const q of qs) await searchKnowledge(deps, { q }, { record: false });
  const inProcess: number[] = [];
  const inProcessCpu: number[] = [];
  let withResults = 0;
  for (let pass = 0; pass < 3; pass++) {
    for (const q of qs) {
      const c = process.cpuUsage();
      const s = performance.now();
      const { results } = await searchKnowledge(deps, { q, limit: 10 }, { record: false });
      inProcess.push(performance.now() - s);
      const used = process.cpuUsage(c);
      inProcessCpu.push((used.user + used.system) / 1000);
      if (pass === 0 && results.length > 0) withResults++;
    }
  }
  const local = summarise(inProcess);
  const localCpu = summarise(inProcessCpu);
  console.error(`in process: ${inProcess.length} searches over ${qs.length} queries, p50 ${local.p50} ms, p95 ${local.p95} ms, p99 ${local.p99} ms, max ${local.max} ms (CPU per search: p50 ${localCpu.p50} ms, p95 ${localCpu.p95} ms)`);

  // Over HTTP: the real API on 127.0.0.1; first one request at a time (latency per query), then
  // autocannon with 10 connections for throughput.
  const tips = createTipContext(deps, { keyFile: join(dir, "tip-keys.json"), generateKey: true, storeDir: join(dir, "tips") });
  const app = createServer({ deps, config: { checkRateLimitPerHour: 0, logLevel: "silent", authAttemptsPerMinute: 0, tips } });
  const base = await app.listen({ host: "127.0.0.1", port: 0 });
  const paths = qs.map((q) => `/api/v1/knowledge/search?q=${encodeURIComponent(q)}&limit=10`);
  for (const p of paths) await (await fetch(`${base}${p}`)).arrayBuffer();
  const overHttp: number[] = [];
  let non200 = 0;
  const httpCpuStart = process.cpuUsage();
  for (let pass = 0; pass < 2; pass++) {
    for (const p of paths) {
      const s = performance.now();
      const res = await fetch(`${base}${p}`);
      await res.arrayBuffer();
      overHttp.push(performance.now() - s);
      if (res.status !== 200) non200++;
    }
  }
  const httpCpu = process.cpuUsage(httpCpuStart);
  // Client and server share this process: the CPU per request covers both ends.
  const httpCpuPerRequest = round((httpCpu.user + httpCpu.system) / 1000 / overHttp.length);
  const http = summarise(overHttp);
  console.error(`over HTTP, one at a time: p50 ${http.p50} ms, p95 ${http.p95} ms, p99 ${http.p99} ms (${non200} non-200); CPU per request, client and server: ${httpCpuPerRequest} ms`);
  const load = await runGetLoad({ base, paths, connections: 10, duration: HTTP_SECONDS });
  console.error(`over HTTP, 10 connections for ${HTTP_SECONDS} s: ${Math.round(load.rps)} searches/s, p50 ${load.p50} ms, p97.5 ${load.p97_5} ms, p99 ${load.p99} ms`);
  await app.close();

  // One article edit: validation, the article row, its revision, the index entry and an audit row in one transaction.
  await db.prisma.unit.create({ data: { code: "bench-tax", name: "基准测试税务局", type: "tax_bureau" } });
  const { code } = await createInvite(deps, systemActor("test"), { unit: "bench-tax", roles: ["trainer"] });
  const { user } = await redeemInvite(deps, { code }, { kind: "api" });
  const trainer = await deps.identity.actorByUserId(user.id) as Actor;
  const edits: number[] = [];
  for (let i = 0; i < 30; i++) {
    const id = `K${String(1 + ((i * 331) % ARTICLES)).padStart(5, "0")}`;
    const a = await getKnowledgeArticle(deps, id);
    const s = performance.now();
    await saveKnowledgeArticle(deps, trainer, id, { title: a.title, tags: a.tags, audience: a.audience, law: a.law, body: `${a.body}\n\n- 第${i}次修订的补充说明：基准测试词${i}号。`, baseRevision: a.revision });
    edits.push(performance.now() - s);
  }
  const found = (await searchKnowledge(deps, { q: "基准测试词29号" }, { record: false })).results.length > 0;
  const edit = summarise(edits);
  console.error(`one edit: p50 ${edit.p50} ms, p95 ${edit.p95} ms; the edited text is searchable at once: ${found}`);

  report({
    name: "knowledge-search",
    figures: {
      database: BENCH_DIALECT,
      articles: ARTICLES,
      avgBodyChars: Math.round(bodyChars / ARTICLES),
      queries: qs.length,
      queriesWithResults: withResults,
      analyzerLoadMs: Math.round(loadMs),
      indexBuildSeconds: round(build.ms / 1000, 1),
      indexBuildCpuSeconds: round((buildCpu.user + buildCpu.system) / 1e6, 1),
      indexPeakRssMB: Math.round(peakRss / 2 ** 20),
      indexRssGrowthMB: Math.round((peakRss - before.rss) / 2 ** 20),
      heapAfterMB: Math.round(after.heapUsed / 2 ** 20),
      ftsTablesMB: Math.round(ftsBytes / 2 ** 20),
      inProcessP50ms: local.p50,
      inProcessP95ms: local.p95,
      inProcessP99ms: local.p99,
      inProcessCpuP50ms: localCpu.p50,
      inProcessCpuP95ms: localCpu.p95,
      httpP50ms: http.p50,
      httpP95ms: http.p95,
      httpP99ms: http.p99,
      httpCpuPerRequestMs: httpCpuPerRequest,
      httpLoadRps: Math.round(load.rps),
      httpLoadP50ms: load.p50,
      httpLoadP97_5ms: load.p97_5,
      httpLoadP99ms: load.p99,
      editP50ms: edit.p50,
      editP95ms: edit.p95,
    },
    targets: [
      { label: `in-process p95 ${local.p95} ms (< 20 ms) over ${qs.length} queries`, ok: local.p95 < 20 },
      { label: `HTTP p95 ${http.p95} ms (< 20 ms), one request at a time`, ok: http.p95 < 20 },
      { label: `at least 200 varied queries (${qs.length})`, ok: qs.length >= 200 },
      { label: `every HTTP answer 200 (${non200 + load.non2xx} non-200, ${load.errors} errors)`, ok: non200 + load.non2xx === 0 && load.errors === 0 },
      { label: "an edited article is found by its new words at once", ok: found },
    ],
  });
} finally {
  await bench.drop();
}
