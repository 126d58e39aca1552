import { describe, expect, it } from "vitest";
import { runStreamWorker, WorkerLimitError } from "./worker-stream.ts";

const HOSTILE = new URL("./fixtures/hostile-worker.mjs", import.meta.url);
async function* nothing(): AsyncGenerator<Buffer> {}

describe("runStreamWorker", { timeout: 30_000 }, () => {
  it("turns a worker that runs out of its heap into a WorkerLimitError, and this thread carries on", async () => {
    const error = await runStreamWorker(HOSTILE, { mode: "hog" }, nothing(), { heapMb: 32, timeoutMs: 20_000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WorkerLimitError);
    expect(error).toMatchObject({ limit: "memory" });
  });

  it("stops a worker that takes longer than its deadline", async () => {
    const error = await runStreamWorker(HOSTILE, { mode: "hang" }, nothing(), { heapMb: 32, timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).toMatchObject({ name: "WorkerLimitError", limit: "time" });
  });
});
