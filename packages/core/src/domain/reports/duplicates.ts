import { z } from "zod";
import { normalizeText } from "../text.ts";

/**
 * The body of `POST /reports/duplicates`: a type and the fields of a draft (only the type's
 * duplicate-key fields are read). A body, never a query string: the fields hold ID numbers.
 */
export const FindDuplicatesSchema = z.strictObject({
  type: z.string().overwrite(normalizeText).min(1).max(60),
  data: z.record(z.string().max(60), z.unknown()),
});
export type FindDuplicatesInput = z.infer<typeof FindDuplicatesSchema>;

/** An earlier report of the same fact, as shown to a reporter before submitting. */
export const PossibleDuplicateSchema = z.object({
  id: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  /** only for the caller's own unit; masked unless the caller filed it */
  summary: z.string().nullable(),
  status: z.string(),
  createdAt: z.string(),
  /** "幸福镇东村村委会 已于 2026-11-20 报送过相同的内容：…" in the caller's language */
  message: z.string(),
});
export type PossibleDuplicate = z.infer<typeof PossibleDuplicateSchema>;

/** The answer of `POST /reports/duplicates`. */
export const PossibleDuplicatesSchema = z.object({ duplicates: z.array(PossibleDuplicateSchema) });
