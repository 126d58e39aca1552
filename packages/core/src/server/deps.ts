import type { Db } from "./db.ts";
import { systemClock, type Clock } from "./clock.ts";
import { createLogger, type Logger } from "./logger.ts";
import { identityHotPathFor, type IdentityHotPath } from "./hot-path.ts";
import { createSessionRenewer, SESSION_RENEW_MS } from "./identity/sessions.ts";

/**
 * Everything a use-case may touch, passed explicitly: the database, the clock, the logger and
 * the prepared hot-path statements. Built once per process by the composition root (or per test).
 */
export interface Deps {
  db: Db;
  clock: Clock;
  logger: Logger;
  identity: IdentityHotPath;
}

/** Builds the use-case dependencies over an open database. Sessions slide: the hot path renews a session in use at most once an hour. */
export function createDeps(db: Db, opts: { clock?: Clock; logger?: Logger } = {}): Deps {
  const logger = opts.logger ?? createLogger({ level: "silent" });
  return {
    db,
    clock: opts.clock ?? systemClock,
    logger,
    identity: identityHotPathFor(db, { renewAfterMs: SESSION_RENEW_MS, renew: createSessionRenewer(db, logger) }),
  };
}
