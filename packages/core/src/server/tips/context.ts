import { resolve } from "node:path";
import { z } from "zod";
import { DEFAULT_DATABASE_URL, sqliteFileFromUrl, type Db } from "../db.ts";
import type { Deps } from "../deps.ts";
import { fileStoreFor, type FileStore } from "../storage/files.ts";
import { createAbuseLimiter, createDatabaseAbuseLimiter, type AbuseLimiter } from "./limits.ts";
import { defaultTipKeyFile, loadTipKeyring, type TipKeyring } from "./keys.ts";

/** The district's tip rules (TIP_ACKNOWLEDGE_DAYS, TIP_CONCLUDE_DAYS, TIP_RETENTION_DAYS). */
export interface TipRules {
  /** A new tip must be accepted or refused within this many days. */
  acknowledgeDays: number;
  /** An accepted tip must be concluded within this many days of filing. */
  concludeDays: number;
  /** Days after closing before a tip and its files are purged. */
  retentionDays: number;
  /** Wrong receipts per client (address or chat) per hour before 429. */
  receiptMissesPerHour: number;
  /** Tips filed per client per hour. */
  filingsPerHour: number;
}

/** The defaults: acknowledge within 7 days, conclude within 60, purge 90 days after closing. */
export const DEFAULT_TIP_RULES: TipRules = { acknowledgeDays: 7, concludeDays: 60, retentionDays: 90, receiptMissesPerHour: 20, filingsPerHour: 60 };

/**
 * What tip use-cases need beside Deps: the keyring, the rules, the limiters and where evidence
 * files live. Built once per process by its composition root (or per test).
 */
export interface TipContext {
  keys: TipKeyring;
  rules: TipRules;
  /** Wrong receipts per client per hour, counted in the database (shared by every process). */
  receiptMisses: AbuseLimiter;
  /** Filings per client per hour (in this process's memory). */
  filings: AbuseLimiter;
  /**
   * The attachment store (encrypted files, namespace `tips`): a `tips/` folder beside the SQLite
   * database, the database itself on PostgreSQL (every process sees the same files), or the
   * explicit `storeDir` folder.
   */
  files: FileStore;
  /** Replaces the keyring after a rotation. */
  setKeys(keys: TipKeyring): void;
}

/**
 * Where the key file is when TIP_KEY_FILE is not set: beside the SQLite database file; on
 * PostgreSQL (no database file) in the data folder where the default SQLite database would be
 * (`data/tip-keys.json`). Several machines behind one PostgreSQL must each get the same file
 * (TIP_KEY_FILE): the keys never go into the database they protect.
 */
export function tipKeyFileFor(db: Db): string {
  return defaultTipKeyFile(db.dialect === "sqlite" ? db.file : sqliteFileFromUrl(DEFAULT_DATABASE_URL));
}

/** Builds the tip context; `generateKey` creates a missing key file (demo mode and tests). */
export function createTipContext(
  deps: Deps,
  opts: { keyFile?: string | undefined; generateKey: boolean; rules?: Partial<TipRules>; storeDir?: string },
): TipContext {
  const rules = { ...DEFAULT_TIP_RULES, ...opts.rules };
  const ctx: TipContext = {
    keys: loadTipKeyring(opts.keyFile ?? tipKeyFileFor(deps.db), { generate: opts.generateKey }),
    rules,
    receiptMisses: createDatabaseAbuseLimiter(deps.db, { purpose: "tip-receipt-miss", max: rules.receiptMissesPerHour, clock: deps.clock, secret: () => ctx.keys.pepper }),
    filings: createAbuseLimiter({ max: rules.filingsPerHour, windowMs: 3_600_000, clock: deps.clock }),
    files: fileStoreFor(deps.db, "tips", opts.storeDir ? { dir: opts.storeDir } : {}),
    setKeys(keys) {
      ctx.keys = keys;
    },
  };
  return ctx;
}

const emptyToUndefined = (value: unknown) => (value === "" ? undefined : value);
const days = (fallback: number) => z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(3650).default(fallback));

/**
 * The tip variables every deployable's env.ts spreads into its schema (one definition, the same
 * meaning in the API, the bot and the CLI): TIP_KEY_FILE (default tip-keys.json beside the
 * database), TIP_ACKNOWLEDGE_DAYS, TIP_CONCLUDE_DAYS, TIP_RETENTION_DAYS.
 */
export const TIP_ENV_FIELDS = {
  TIP_KEY_FILE: z.preprocess(emptyToUndefined, z.string().trim().min(1).optional()),
  TIP_ACKNOWLEDGE_DAYS: days(DEFAULT_TIP_RULES.acknowledgeDays),
  TIP_CONCLUDE_DAYS: days(DEFAULT_TIP_RULES.concludeDays),
  TIP_RETENTION_DAYS: days(DEFAULT_TIP_RULES.retentionDays),
};

/** The parsed tip variables. */
export interface TipEnv {
  TIP_KEY_FILE?: string | undefined;
  TIP_ACKNOWLEDGE_DAYS: number;
  TIP_CONCLUDE_DAYS: number;
  TIP_RETENTION_DAYS: number;
}

/** Builds the tip context of a process from its parsed environment; `demo` generates a missing key file. */
export function tipContextFromEnv(deps: Deps, env: Partial<TipEnv>, demo: boolean): TipContext {
  return createTipContext(deps, {
    keyFile: env.TIP_KEY_FILE ? resolve(env.TIP_KEY_FILE) : undefined,
    generateKey: demo,
    rules: {
      acknowledgeDays: env.TIP_ACKNOWLEDGE_DAYS ?? DEFAULT_TIP_RULES.acknowledgeDays,
      concludeDays: env.TIP_CONCLUDE_DAYS ?? DEFAULT_TIP_RULES.concludeDays,
      retentionDays: env.TIP_RETENTION_DAYS ?? DEFAULT_TIP_RULES.retentionDays,
    },
  });
}
