import { purgeTips, rotateTipKey, tipContextFromEnv, type Deps } from "@xieshui/core/server";
import { printJson, UsageError, type Args, type CliIo } from "../io.ts";
import type { CliEnv } from "../env.ts";

/**
 * `tips rotate-key [--json]`: a new AES key, every tip text, message, reason and evidence file
 * re-encrypted under it, the old keys dropped (creates the key file when there is none).
 * `tips purge [--json]`: deletes the tips whose retention ended, now (the API also does it daily).
 */
export async function tipsCommand(deps: Deps, args: Args, io: CliIo, env?: Partial<CliEnv>): Promise<number> {
  const sub = args.positionals[1];
  const tips = tipContextFromEnv(deps, env ?? {}, true);
  if (sub === "rotate-key") {
    const r = await rotateTipKey(deps, tips);
    if (args.flags.has("json")) printJson(io, { keyId: r.keyId, tips: r.tips, messages: r.messages, events: r.events, files: r.files, droppedKeys: r.droppedKeys, keyFile: tips.keys.file });
    else io.out.write(`新密钥 ${r.keyId} 已启用（${tips.keys.file}）：重新加密举报 ${r.tips} 条、消息 ${r.messages} 条、处理记录 ${r.events} 条、证据文件 ${r.files} 个；已删除旧密钥 ${r.droppedKeys.join(", ") || "—"}\n`);
    return 0;
  }
  if (sub === "purge") {
    const r = await purgeTips(deps, tips);
    if (args.flags.has("json")) printJson(io, { purged: r.purged, files: r.files });
    else io.out.write(`已清除到期举报 ${r.purged} 条、证据文件 ${r.files} 个\n`);
    return 0;
  }
  throw new UsageError(sub ? `unknown tips command: ${sub}` : "tips needs a command: rotate-key or purge");
}
