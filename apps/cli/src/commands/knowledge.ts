import { existsSync, statSync } from "node:fs";
import { importKnowledge, rebuildKnowledgeIndex, searchKnowledge, type Deps, systemActor } from "@xieshui/core/server";
import { KnowledgeAudienceSchema } from "@xieshui/core";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/**
 * `knowledge import <dir> [--json]` -> { imported, updated, unchanged, rejected: [{ file, reason }] };
 * `knowledge search "<q>" [--audience <a>] [--limit <n>] [--json]` -> [{ id, title, score }], best first;
 * `knowledge reindex [--json]` rebuilds the search index from the articles.
 */
export async function knowledgeCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const [, sub, ...rest] = args.positionals;
  const json = args.flags.has("json");
  if (sub === "import") {
    const dir = rest[0];
    if (!dir) throw new UsageError("knowledge import needs a folder");
    if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`${dir}: no such folder`);
    const summary = await importKnowledge(deps, systemActor("cli"), dir);
    if (json) printJson(io, summary);
    else {
      io.out.write(`imported ${summary.imported}, updated ${summary.updated} (${summary.unchanged} unchanged), rejected ${summary.rejected.length}\n`);
      for (const r of summary.rejected) io.out.write(`  ${r.file}: ${r.reason}\n`);
    }
    return 0;
  }
  if (sub === "search") {
    const q = rest.join(" ");
    if (!q.trim()) throw new UsageError('knowledge search needs a query: knowledge search "车船税"');
    const audience = opt(args, "audience");
    if (audience !== undefined && !KnowledgeAudienceSchema.safeParse(audience).success) throw new UsageError(`--audience must be one of ${KnowledgeAudienceSchema.options.join(", ")}`);
    const limit = opt(args, "limit");
    const { results } = await searchKnowledge(deps, { q, ...(audience ? { audience } : {}), ...(limit ? { limit } : {}) });
    if (json) printJson(io, results.map((r) => ({ id: r.id, title: r.title, score: r.score })));
    else if (results.length === 0) io.out.write("没有找到 / nothing found\n");
    else for (const r of results) io.out.write(`${r.id}  ${r.score.toFixed(3).padStart(8)}  ${r.title}\n`);
    return 0;
  }
  if (sub === "reindex") {
    const result = await rebuildKnowledgeIndex(deps);
    if (json) printJson(io, result);
    else io.out.write(`indexed ${result.count} articles in ${result.ms} ms\n`);
    return 0;
  }
  throw new UsageError("knowledge: import <dir> | search <query> | reindex");
}
