import { PassThrough } from "node:stream";
import type { Deps } from "@xieshui/core/server";
import { runCli } from "../src/run.ts";

/** Runs one CLI invocation in-process against test deps and captures what it prints. */
export async function runCaptured(deps: Deps, argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: Buffer[] = [];
  const errChunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  err.on("data", (c: Buffer) => errChunks.push(c));
  const code = await runCli(deps, argv, { out, err });
  return { code, stdout: Buffer.concat(chunks).toString(), stderr: Buffer.concat(errChunks).toString() };
}
