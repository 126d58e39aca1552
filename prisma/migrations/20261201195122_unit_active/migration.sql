-- Units can be deactivated by an admin (issue 8): no new invites, not offered in pickers, history kept.
-- A plain ADD COLUMN (instead of the generated table redefinition): same schema, and portable.
ALTER TABLE "Unit" ADD COLUMN "active" BOOLEAN NOT NULL DEFAULT true;
