import type pg from "pg";
import type { KnowledgeAudience } from "../../domain/knowledge/schemas.ts";
import {
  articleRowid,
  KNOWLEDGE_COLUMN_WEIGHTS,
  matchPhrases,
  type KnowledgeIndex,
  type KnowledgeIndexDoc,
  type KnowledgeIndexHit,
  type KnowledgeSearchColumn,
  type StoredArticleRow,
} from "./fts-index.ts";

/*
 * The knowledge index on PostgreSQL (migration 20261202030000_knowledge_index of prisma/pg):
 *   knowledge_fts        one row per article: stored fields for results and snippets, `terms` (a
 *                        tsvector of the four Chinese columns, weight A = tw, B = tb, C = bw, D = bb),
 *                        `pinyin` (a tsvector of py: PostgreSQL has only four weight classes) and
 *                        `length`, the article's token count (bm25's document length);
 *   knowledge_fts_vocab  one row per (term, article) with the term's count in each column: the
 *                        fts5vocab twin (document frequency, known words) and bm25's term frequencies;
 *   knowledge_fts_stats  one row: articles indexed and their tokens (bm25's N and average length),
 *                        updated by every write in its transaction (article saves take turns on it:
 *                        saves are rare, and a search never scans the table for these).
 * The tsvectors are built from the analyzer's pre-tokenized strings as tsvector literals (no text
 * search parser touches them, so a token is exactly the analyzer's token), matched with a GIN
 * index; the tsquery's weight labels are FTS5's column filters. Scoring is FTS5's bm25 computed in
 * SQL (k1 1.2, b 0.75, idf ln((N - n + 0.5) / (n + 0.5)) floored at 1e-6, column weights applied to
 * each occurrence), so both databases rank a query's candidates alike; ts_rank would not.
 */

const COLUMNS = ["tw", "tb", "bw", "bb", "py"] as const;
const LABEL: Record<Exclude<KnowledgeSearchColumn, "py">, string> = { tw: "A", tb: "B", bw: "C", bb: "D" };
const BIT: Record<KnowledgeSearchColumn, number> = { tw: 1, tb: 2, bw: 4, bb: 8, py: 16 };
/** PostgreSQL's limits: positions 1..16383, at most 256 positions per lexeme in a tsvector. */
const MAX_POSITION = 16383;
const MAX_POSITIONS_PER_LEXEME = 256;

/** A tsvector literal: 'lexeme':1A,4A 'other':2B (tokens are letters and digits; quotes escaped anyway). */
const lexeme = (term: string) => `'${term.replace(/\\/g, "\\\\").replace(/'/g, "''")}'`;

/** The pre-tokenized columns of a document as tsvector literals, term counts per column and its length. */
export function pgIndexEntry(doc: KnowledgeIndexDoc): { terms: string; pinyin: string; length: number; counts: Map<string, number[]> } {
  const counts = new Map<string, number[]>();
  const positions = [new Map<string, string[]>(), new Map<string, string[]>()];
  let length = 0;
  let pos = 0;
  COLUMNS.forEach((column, c) => {
    const vector = column === "py" ? positions[1]! : positions[0]!;
    const label = column === "py" ? "" : LABEL[column];
    for (const token of doc.columns[column].split(" ")) {
      if (!token) continue;
      length++;
      let n = counts.get(token);
      if (!n) counts.set(token, (n = [0, 0, 0, 0, 0]));
      n[c]!++;
      pos = Math.min(pos + 1, MAX_POSITION);
      let list = vector.get(token);
      if (!list) vector.set(token, (list = []));
      if (list.length < MAX_POSITIONS_PER_LEXEME) list.push(`${pos}${label}`);
    }
  });
  const literal = (m: Map<string, string[]>) => [...m.entries()].map(([t, p]) => `${lexeme(t)}:${p.join(",")}`).join(" ");
  return { terms: literal(positions[0]!), pinyin: literal(positions[1]!), length, counts };
}

/** The tsquery of phrases over some columns: 'term':AC | ... (py phrases go to the pinyin vector). */
function tsquery(phrases: { term: string; columns: readonly KnowledgeSearchColumn[] }[]): string {
  return phrases
    .map((p) => {
      const labels = p.columns.filter((c): c is Exclude<KnowledgeSearchColumn, "py"> => c !== "py").map((c) => LABEL[c]).join("");
      return labels ? `${lexeme(p.term)}:${labels}` : lexeme(p.term);
    })
    .join(" | ");
}

const audienceText = (a: readonly string[]) => `,${a.join(",")},`;

const W = KNOWLEDGE_COLUMN_WEIGHTS;
/** Term frequency of a phrase in an article: each occurrence weighs its column's weight (as FTS5's bm25). */
const WEIGHTED = `((q.mask & 1) > 0)::int * ${W.tw} * v.tw + ((q.mask & 2) > 0)::int * ${W.tb} * v.tb + ((q.mask & 4) > 0)::int * ${W.bw} * v.bw + ((q.mask & 8) > 0)::int * ${W.bb} * v.bb + ((q.mask & 16) > 0)::int * ${W.py} * v.py`;

function searchSql(audience: boolean): string {
  return `WITH q AS (SELECT term, mask FROM unnest($1::text[], $2::int[]) AS q(term, mask)),
    stats AS (SELECT rows::float8 AS n, greatest(tokens, 1)::float8 / greatest(rows, 1) AS avgdl FROM knowledge_fts_stats WHERE id = 1),
    cand AS (
      SELECT rowid, length FROM knowledge_fts
      WHERE (terms @@ $3::tsquery OR pinyin @@ $4::tsquery)${audience ? ` AND (strpos(audience, $7) > 0 OR strpos(audience, ',all,') > 0)` : ""}
    ),
    f AS (
      SELECT v.rowid, q.term, q.mask, (${WEIGHTED})::float8 AS freq
      FROM q JOIN knowledge_fts_vocab v ON v.term = q.term
    ),
    idf AS (
      SELECT f.term, f.mask, greatest(ln((s.n - count(*) + 0.5) / (count(*) + 0.5)), 1e-6) AS idf
      FROM f CROSS JOIN stats s WHERE f.freq > 0 GROUP BY f.term, f.mask, s.n
    ),
    scored AS (
      SELECT c.rowid, sum(i.idf * (f.freq * 2.2) / (f.freq + 1.2 * (0.25 + 0.75 * c.length / s.avgdl))) AS score
      FROM cand c JOIN f ON f.rowid = c.rowid AND f.freq > 0 JOIN idf i ON i.term = f.term AND i.mask = f.mask CROSS JOIN stats s
      GROUP BY c.rowid
    )
    SELECT k.article_id, k.title, k.tags, k.audience, k.plain, sc.score
    FROM scored sc JOIN knowledge_fts k ON k.rowid = sc.rowid
    ORDER BY sc.score DESC, k.rowid LIMIT $5 OFFSET $6`;
}

interface HitRow {
  article_id: string;
  title: string;
  tags: string;
  audience: string;
  plain: string;
  score: number;
}

const toHit = (r: HitRow): KnowledgeIndexHit => ({
  id: r.article_id,
  title: r.title,
  tags: r.tags ? r.tags.split("\n") : [],
  audience: r.audience.split(",").filter(Boolean) as KnowledgeAudience[],
  plain: r.plain,
  score: Number(r.score),
});

const INSERT_ENTRY = `INSERT INTO knowledge_fts (rowid, article_id, audience, title, tags, plain, terms, pinyin, length) VALUES ($1, $2, $3, $4, $5, $6, $7::tsvector, $8::tsvector, $9)`;
const INSERT_VOCAB = `INSERT INTO knowledge_fts_vocab (term, rowid, tw, tb, bw, bb, py)
  SELECT term, $1, tw, tb, bw, bb, py FROM unnest($2::text[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[]) AS v(term, tw, tb, bw, bb, py)`;

/** Writes a document's index entry on a client (inside the caller's transaction); returns its token count. */
async function insertEntry(c: pg.PoolClient, doc: KnowledgeIndexDoc): Promise<number> {
  const rowid = articleRowid(doc.id);
  const entry = pgIndexEntry(doc);
  await c.query({ name: "xs_kfts_insert", text: INSERT_ENTRY, values: [rowid, doc.id, audienceText(doc.audience), doc.title, doc.tags.join("\n"), doc.plain, entry.terms, entry.pinyin, entry.length] });
  const terms = [...entry.counts.keys()];
  const column = (i: number) => terms.map((t) => entry.counts.get(t)![i]!);
  await c.query({ name: "xs_kfts_vocab", text: INSERT_VOCAB, values: [rowid, terms, column(0), column(1), column(2), column(3), column(4)] });
  return entry.length;
}

/** Runs `work` in one transaction on one client of the pool. */
async function transaction<T>(pool: pg.Pool, work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await work(c);
    await c.query("COMMIT");
    return out;
  } catch (error) {
    await c.query("ROLLBACK").catch(() => undefined);
    throw error;
  } finally {
    c.release();
  }
}

const indexes = new WeakMap<pg.Pool, KnowledgeIndex>();

/** The tsvector index of a PostgreSQL database (memoised per pool: named statements are per connection). */
export function pgKnowledgeIndex(pool: pg.Pool): KnowledgeIndex {
  let index = indexes.get(pool);
  if (!index) {
    index = createPgKnowledgeIndex(pool);
    indexes.set(pool, index);
  }
  return index;
}

function createPgKnowledgeIndex(pool: pg.Pool): KnowledgeIndex {
  const SEARCH_ALL = searchSql(false);
  const SEARCH_AUDIENCE = searchSql(true);
  return {
    async writeArticle(w, doc) {
      try {
        return await transaction(pool, async (c) => {
          const { rows } = await c.query<{ revision: number }>({ name: "xs_kart_current", text: `SELECT revision FROM "KnowledgeArticle" WHERE id = $1 FOR UPDATE`, values: [w.id] });
          const current = rows[0];
          let next: number;
          if (w.expectRevision === null) {
            if (current) return { ok: false, reason: "taken" } as const;
            next = 1;
            await c.query({
              name: "xs_kart_insert",
              text: `INSERT INTO "KnowledgeArticle" (id, title, tags, audience, law, body, updated, revision, "createdAt", "updatedAt", "updatedById") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10)`,
              values: [w.id, w.title, w.tags, w.audience, w.law, w.body, w.updated, next, w.at.toISOString(), w.authorId],
            });
          } else {
            if (!current) return { ok: false, reason: "missing" } as const;
            next = w.expectRevision + 1;
            const changed = await c.query({
              name: "xs_kart_update",
              text: `UPDATE "KnowledgeArticle" SET title = $1, tags = $2, audience = $3, law = $4, body = $5, updated = $6, revision = $7, "updatedAt" = $8, "updatedById" = $9 WHERE id = $10 AND revision = $11`,
              values: [w.title, w.tags, w.audience, w.law, w.body, w.updated, next, w.at.toISOString(), w.authorId, w.id, w.expectRevision],
            });
            if (changed.rowCount !== 1) return { ok: false, reason: "stale", current: current.revision } as const;
          }
          await c.query({
            name: "xs_krev_insert",
            text: `INSERT INTO "KnowledgeRevision" ("articleId", revision, title, tags, audience, law, body, updated, source, "restoredFrom", "authorId", "createdAt") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
            values: [w.id, next, w.title, w.tags, w.audience, w.law, w.body, w.updated, w.source, w.restoredFrom, w.authorId, w.at.toISOString()],
          });
          const old = await c.query<{ length: number }>({ name: "xs_kfts_delete", text: `DELETE FROM knowledge_fts WHERE rowid = $1 RETURNING length`, values: [articleRowid(doc.id)] });
          const length = await insertEntry(c, doc);
          await c.query({
            name: "xs_kfts_stats_add",
            text: `UPDATE knowledge_fts_stats SET rows = rows + $1, tokens = tokens + $2 WHERE id = 1`,
            values: [old.rowCount ? 0 : 1, length - (old.rows[0]?.length ?? 0)],
          });
          await c.query({
            name: "xs_kart_audit",
            text: `INSERT INTO "AuditLog" (at, "userId", "unitId", action, subject, result, detail) VALUES ($1, $2, $3, $4, $5, 'ok', $6)`,
            values: [w.at.toISOString(), w.authorId, w.unitId, `knowledge.${w.source}`, `knowledge:${w.id}`, w.auditDetail],
          });
          return { ok: true, revision: next } as const;
        });
      } catch (error) {
        // Two creates of one id at once: the second's INSERT meets the first's row.
        if ((error as { code?: string }).code === "23505" && w.expectRevision === null) return { ok: false, reason: "taken" };
        throw error;
      }
    },
    async articles() {
      const { rows } = await pool.query<StoredArticleRow>({ name: "xs_kart_all", text: `SELECT id, title, tags, audience, body FROM "KnowledgeArticle" ORDER BY id` });
      return rows;
    },
    async search(query, opts) {
      const phrases = matchPhrases(query);
      if (phrases.length === 0) return [];
      const chinese = phrases.filter((p) => !p.columns.includes("py"));
      const pinyin = phrases.filter((p) => p.columns.includes("py"));
      const masks = phrases.map((p) => p.columns.reduce((m, c) => m | BIT[c], 0));
      const values: unknown[] = [phrases.map((p) => p.term), masks, chinese.length ? tsquery(chinese) : "", pinyin.length ? tsquery(pinyin) : "", opts.limit, opts.offset ?? 0];
      if (opts.audience) values.push(`,${opts.audience},`);
      const { rows } = await pool.query<HitRow>({ name: opts.audience ? "xs_kfts_search_aud" : "xs_kfts_search", text: opts.audience ? SEARCH_AUDIENCE : SEARCH_ALL, values });
      return rows.map(toHit);
    },
    async rebuild(docs, version) {
      return transaction(pool, async (c) => {
        // One rebuild at a time however many processes start: the second waits, then rebuilds too.
        await c.query(`SELECT pg_advisory_xact_lock(hashtext('xieshui.knowledge_fts'))`);
        await c.query(`DELETE FROM knowledge_fts`);
        let count = 0;
        for (const doc of docs) {
          await insertEntry(c, doc);
          count++;
        }
        await c.query(`UPDATE knowledge_fts_stats SET rows = s.n, tokens = s.t FROM (SELECT count(*)::int AS n, coalesce(sum(length), 0)::bigint AS t FROM knowledge_fts) s WHERE id = 1`);
        await c.query({
          name: "xs_kfts_meta",
          text: `INSERT INTO knowledge_index_meta (key, value) VALUES ('analyzer', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
          values: [version],
        });
        return count;
      });
    },
    async documentFrequencies(terms) {
      const unique = [...new Set(terms)];
      const out = new Map<string, number>(unique.map((t) => [t, 0]));
      if (unique.length === 0) return out;
      const { rows } = await pool.query<{ term: string; n: number }>({
        name: "xs_kfts_df",
        text: `SELECT term, count(*)::int AS n FROM knowledge_fts_vocab WHERE term = ANY($1::text[]) GROUP BY term`,
        values: [unique],
      });
      for (const r of rows) out.set(r.term, r.n);
      return out;
    },
    async size() {
      const { rows } = await pool.query<{ n: number }>({ name: "xs_kart_count", text: `SELECT count(*)::int AS n FROM "KnowledgeArticle"` });
      return rows[0]?.n ?? 0;
    },
    async status() {
      const { rows } = await pool.query<{ count: number; version: string | null }>({
        name: "xs_kfts_status",
        text: `SELECT (SELECT count(*)::int FROM knowledge_fts) AS count, (SELECT value FROM knowledge_index_meta WHERE key = 'analyzer') AS version`,
      });
      return { count: rows[0]?.count ?? 0, version: rows[0]?.version ?? null };
    },
    async synonymSignature() {
      const { rows } = await pool.query<{ s: string | null }>({ name: "xs_ksyn_signature", text: `SELECT string_agg(terms, chr(10) ORDER BY "createdAt", id) AS s FROM "KnowledgeSynonym"` });
      return rows[0]?.s ?? "";
    },
    async recordZeroResult(query, at) {
      await pool.query({ name: "xs_kzero_insert", text: `INSERT INTO "KnowledgeZeroResult" (query, at) VALUES ($1, $2)`, values: [query, at.toISOString()] });
    },
  };
}
