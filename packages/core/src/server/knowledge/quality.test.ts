import { systemActor } from "./identity.ts";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../../test/factories/db.ts";
import { importKnowledge, SEED_KNOWLEDGE_DIR } from "./import.ts";
import { searchKnowledge } from "./search.ts";
import { QUALITY_QUERIES } from "./quality-queries.ts";

// Search quality on the seed knowledge base, with queries of the kind field staff type
// (quality-queries.ts). Reports hit@3 and MRR; the target is the best article in the top 3 for
// at least 90% of the queries.
describe("knowledge search quality", () => {
  let t: TestDb;
  beforeAll(async () => {
    t = createTestDb();
    await importKnowledge(t.deps, systemActor("test"), SEED_KNOWLEDGE_DIR);
  });
  afterAll(async () => {
    await t.close();
  });

  it(`finds the best article in the top 3 for at least 90% of ${QUALITY_QUERIES.length} field-staff queries`, async () => {
    expect(QUALITY_QUERIES.length).toBeGreaterThanOrEqual(100);
    let hits = 0;
    let reciprocal = 0;
    const misses: string[] = [];
    for (const [q, best] of QUALITY_QUERIES) {
      const { results } = await searchKnowledge(t.deps, { q, limit: 10 }, { record: false });
      const rank = results.findIndex((r) => r.id === best) + 1;
      if (rank >= 1 && rank <= 3) hits++;
      else misses.push(`${q} -> ${best} (rank ${rank || "none"}; got ${results.slice(0, 3).map((r) => r.id).join(", ")})`);
      if (rank) reciprocal += 1 / rank;
    }
    const hitAt3 = hits / QUALITY_QUERIES.length;
    const mrr = reciprocal / QUALITY_QUERIES.length;
    console.log(`knowledge search quality: ${QUALITY_QUERIES.length} queries, hit@3 ${hitAt3.toFixed(3)}, MRR ${mrr.toFixed(3)}${misses.length ? `\n  misses:\n  ${misses.join("\n  ")}` : ""}`);
    expect(hitAt3).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
