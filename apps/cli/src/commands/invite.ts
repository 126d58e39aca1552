import { CreateInviteSchema, formatCode, issuesToFields, RoleSchema } from "@xieshui/core";
import { createInvite, listInvites, reissueInvite, revokeInvite, type Deps, type InviteStatus, systemActor } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/** `invite --unit <code> --role <role> [--role ...] [--name N] [--days D] [--json]` → { code } */
export async function inviteCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const days = opt(args, "days");
  const parsed = CreateInviteSchema.safeParse({
    unit: opt(args, "unit"),
    roles: args.options.get("role") ?? [],
    ...(opt(args, "name") ? { name: opt(args, "name") } : {}),
    ...(days ? { expiresInDays: Number(days) } : {}),
  });
  if (!parsed.success) {
    const fields = issuesToFields(parsed.error.issues, "en");
    throw new UsageError(Object.entries(fields).map(([k, v]) => `${k}: ${v}`).join("; ") + `\nroles: ${RoleSchema.options.join(", ")}`);
  }
  const { code, invite } = await createInvite(deps, systemActor("cli"), parsed.data);
  if (args.flags.has("json")) {
    printJson(io, { code, id: invite.id, unit: invite.unit.code, roles: invite.roles, expiresAt: invite.expiresAt });
  } else {
    io.out.write(`${formatCode(code)}  (${invite.unit.name}: ${invite.roles.join(", ")}; expires ${invite.expiresAt})\n`);
  }
  return 0;
}

/** `invites list [--unit U] [--status S] [--json]`, `invites revoke <id>`, `invites reissue <id> [--json]` */
export async function invitesCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const [, sub, id] = args.positionals;
  if (sub === "list" || sub === undefined) {
    const unit = opt(args, "unit");
    const status = opt(args, "status") as InviteStatus | undefined;
    const rows = await listInvites(deps, systemActor("cli"), { ...(unit ? { unit } : {}), ...(status ? { status } : {}) });
    if (args.flags.has("json")) printJson(io, rows);
    else for (const r of rows) io.out.write(`${r.id}  ${r.status.padEnd(8)} ${r.unit.code.padEnd(20)} ${r.roles.join(",").padEnd(24)} ${r.expiresAt}\n`);
    return 0;
  }
  if (!id) throw new UsageError(`invites ${sub} needs an invite id`);
  if (sub === "revoke") {
    await revokeInvite(deps, systemActor("cli"), id);
    if (args.flags.has("json")) printJson(io, { id, status: "revoked" });
    else io.out.write(`revoked ${id}\n`);
    return 0;
  }
  if (sub === "reissue") {
    const { code, invite } = await reissueInvite(deps, systemActor("cli"), id);
    if (args.flags.has("json")) printJson(io, { code, id: invite.id });
    else io.out.write(`${formatCode(code)}  (replaces ${id})\n`);
    return 0;
  }
  throw new UsageError(`unknown: invites ${sub}`);
}
