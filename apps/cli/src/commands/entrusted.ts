import { t } from "@xieshui/core";
import { addAgent, completeFollowUp, deactivateAgent, isAppError, listCollectors, recordInspection, registerCollector, systemActor, type Deps, type EntrustedCollectorView } from "@xieshui/core/server";
import { opt, printJson, UsageError, type Args, type CliIo } from "../io.ts";

/** Which option carries each use-case field, so a refusal names what the operator typed. */
const OPTION_OF: Record<string, string> = {
  unit: "unit",
  agreementNo: "agreement",
  scope: "scope",
  validFrom: "from",
  validTo: "to",
  name: "name",
  certificateNo: "certificate",
  phone: "phone",
  inspectedOn: "date",
  findings: "findings",
  followUp: "follow-up",
  followUpBy: "by",
  note: "note",
};

/**
 * Field errors become lines naming the option (`--to: 截止日期不能早于生效日期`). Bad input is a wrong
 * command line (exit 2); a conflict (a certificate already registered) is a failed operation (exit 1).
 */
async function withFieldErrors<T>(io: CliIo, json: boolean, work: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; code: number }> {
  try {
    return { ok: true, value: await work };
  } catch (e) {
    if (!isAppError(e) || !e.fields || (e.code !== "invalid_input" && e.code !== "conflict")) throw e;
    const lines = Object.entries(e.fields).map(([field, message]) => `${OPTION_OF[field] ? `--${OPTION_OF[field]}` : field}: ${message}`);
    if (json) printJson(io, { error: { code: e.code === "invalid_input" ? "usage" : e.code, reason: e.reason, message: lines.join("; "), fields: e.fields } });
    io.err.write(`${lines.join("\n")}\n`);
    return { ok: false, code: e.code === "invalid_input" ? 2 : 1 };
  }
}

function printCollectors(io: CliIo, collectors: EntrustedCollectorView[]): void {
  if (collectors.length === 0) io.out.write(`${t("zh-CN", "entrusted-empty")}\n`);
  for (const c of collectors) {
    const a = c.agreement;
    const validity = a ? `${t("zh-CN", "entrusted-agreement", { no: a.agreementNo, from: a.validFrom, to: a.validTo })} ${t("zh-CN", a.expired ? "entrusted-expired" : "entrusted-valid")}` : t("zh-CN", "entrusted-no-agreement");
    io.out.write(`${c.unit.name} (${c.unit.code})  ${validity}\n`);
    const active = c.agents.filter((x) => x.active);
    io.out.write(`  ${t("zh-CN", "entrusted-agents", { count: String(active.length) })}${active.length ? `：${active.map((x) => `${x.name} ${x.certificateNo}`).join("，")}` : ""}\n`);
    io.out.write(`  ${c.lastInspection ? t("zh-CN", "entrusted-last-inspection", { date: c.lastInspection.inspectedOn }) : t("zh-CN", "entrusted-never-inspected")}\n`);
    for (const f of c.openFollowUps) {
      io.out.write(`  · ${f.followUp}（${t("zh-CN", f.overdue ? "entrusted-follow-up-overdue" : "entrusted-follow-up-due", { date: f.followUpBy ?? "" })}）  ${f.id}\n`);
    }
  }
}

/**
 * `entrusted list [--json]`: the collector units with agreement, agents, last inspection, open follow-ups.
 * `entrusted register --unit <code> --agreement <no> --scope <text> --from <date> --to <date> [--json]`.
 * `entrusted agent add --unit <code> --name <n> --certificate <no> [--phone <p>] [--json]`;
 * `entrusted agent deactivate <id> [--json]`. The name is an argument (an operator's terminal), never logged.
 * `entrusted inspect --unit <code> --date <d> --findings <t> [--follow-up <t> --by <date>] [--json]`.
 * `entrusted done <inspection id> --note <t> [--json]`: the follow-up was put right.
 */
export async function entrustedCommand(deps: Deps, args: Args, io: CliIo): Promise<number> {
  const sub = args.positionals[1];
  const json = args.flags.has("json");
  const actor = systemActor("cli");
  const given = (name: string) => opt(args, name);
  const pick = (names: string[]) => Object.fromEntries(names.flatMap((n) => (given(n) !== undefined ? [[n, given(n)]] : [])));
  if (sub === "list") {
    const collectors = await listCollectors(deps, actor);
    if (json) printJson(io, collectors);
    else printCollectors(io, collectors);
    return 0;
  }
  if (sub === "register") {
    const o = pick(["unit", "agreement", "scope", "from", "to"]);
    const r = await withFieldErrors(io, json, registerCollector(deps, actor, { unit: o.unit ?? "", agreementNo: o.agreement ?? "", scope: o.scope ?? "", validFrom: o.from ?? "", validTo: o.to ?? "" }));
    if (!r.ok) return r.code;
    if (json) printJson(io, r.value);
    else printCollectors(io, [r.value.collector]);
    return 0;
  }
  if (sub === "agent") {
    const action = args.positionals[2];
    if (action === "add") {
      const o = pick(["unit", "name", "certificate", "phone"]);
      const r = await withFieldErrors(io, json, addAgent(deps, actor, { unit: o.unit ?? "", name: o.name ?? "", certificateNo: o.certificate ?? "", ...(o.phone ? { phone: o.phone } : {}) }));
      if (!r.ok) return r.code;
      if (json) printJson(io, r.value);
      else io.out.write(`${r.value.id}\n`);
      return 0;
    }
    if (action === "deactivate") {
      const id = args.positionals[3];
      if (!id) throw new UsageError("entrusted agent deactivate needs <id>");
      const agent = await deactivateAgent(deps, actor, id);
      if (json) printJson(io, agent);
      else io.out.write(`${agent.id} ${t("zh-CN", "entrusted-agent-inactive")}\n`);
      return 0;
    }
    throw new UsageError("entrusted agent add|deactivate");
  }
  if (sub === "inspect") {
    const o = pick(["unit", "date", "findings", "follow-up", "by"]);
    const input = { unit: o.unit ?? "", inspectedOn: o.date ?? "", findings: o.findings ?? "", ...(o["follow-up"] ? { followUp: o["follow-up"] } : {}), ...(o.by ? { followUpBy: o.by } : {}) };
    const r = await withFieldErrors(io, json, recordInspection(deps, actor, input));
    if (!r.ok) return r.code;
    if (json) printJson(io, r.value);
    else io.out.write(`${t("zh-CN", "entrusted-inspection-saved")} ${r.value.inspection.id}\n`);
    return 0;
  }
  if (sub === "done") {
    const id = args.positionals[2];
    if (!id) throw new UsageError("entrusted done needs <inspection id> --note <text>");
    const r = await withFieldErrors(io, json, completeFollowUp(deps, actor, id, { note: given("note") ?? "" }));
    if (!r.ok) return r.code;
    if (json) printJson(io, r.value);
    else io.out.write(`${t("zh-CN", "entrusted-done-saved")}\n`);
    return 0;
  }
  throw new UsageError("entrusted list | register | agent add | agent deactivate | inspect | done");
}
