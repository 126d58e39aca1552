import type { clearanceImport as zh } from "../zh-CN/clearance-import.ts";

/** Clearance import: who may import, one import at a time, long rejection lists (English). */
export const clearanceImport = {
  "clearance-import-real-role": "Only tax officers may import clearance data; coordinators and administrators may do a dry run (check only, write nothing)",
  "clearance-import-role": "Only tax officers, coordinators and administrators may import or dry-run clearance data",
  "clearance-import-busy": "Another clearance import is running (since { $since }): try again when it has finished",
  "clearance-import-lease-lost": "Import interrupted: it stalled too long and another import took over",
  "clearance-import-interrupted": "The import stopped part-way (the program doing it stopped unexpectedly): { $imported } new records were saved and { $updated } updated (counted from the records this import wrote); how many lines were rejected is not known. Import the same file again: lines already imported are only updated, never duplicated.",
  "app-import-more-truncated": "{ $total } lines were rejected in all; only the first { $count } are listed: fix them and dry-run again.",
} as const satisfies Record<keyof typeof zh, string>;
