-- Written by hand (Prisma's schema cannot express partial indexes; see the comment on model
-- AuditLog in prisma/schema.prisma). The per-user clearance check limit counts a user's counted
-- checks in the last hour on every check (fast-store.ts). Through AuditLog(userId, at) or
-- AuditLog(action, at) that count also walked every rate-limited attempt, or every check by
-- everyone in the hour: a checker flooding the API (pipelining, issue 7) made each of their
-- checks slower (22 ms per count after 100,000 refused attempts). This index holds only the rows
-- the limit counts, so the count reads at most about `limit` entries whatever the flood.
CREATE INDEX "AuditLog_check_quota_partial" ON "AuditLog"("userId", "at") WHERE "action" = 'clearance.check' AND "result" <> 'rate_limited';
