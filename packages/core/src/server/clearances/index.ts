// Clearances: check (hot path), import (bulk), oversight. Raw SQL lives only in fast-store.ts.
export * from "./fast-store.ts";
export * from "./check.ts";
export * from "./import.ts";
export * from "./oversight.ts";
export * from "./recovery.ts";
