// Entry of the feed worker thread. Node 20 applies `--import` loader hooks too late for a worker's
// main module, so this plain-JS entry registers tsx and then loads the TypeScript worker.
import { register } from "tsx/esm/api";

register();
await import("./feed-worker.ts");
