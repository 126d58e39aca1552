import { Composer, InlineKeyboard } from "grammy";
import type { Conversation } from "@grammyjs/conversations";
import { cstDate, TASK_NOTE_MAX } from "@xieshui/core";
import { completeTask, isAppError, myTasks, type MeetingTaskView } from "@xieshui/core/server";
import type { BotContext, ConversationContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";

const TASK_DONE_CONVERSATION = "task-done";
/** Callback data of a task's "mark done" button (here and on the assignment and reminder messages). */
const DONE = /^task:done:([A-Za-z0-9_-]{1,40})$/;

const isCancel = (u: ConversationContext) => /^\/cancel(@\w+)?(\s|$)/i.test(u.message?.text ?? "");

/** The unit's task with this id as the unit sees it, or null (another unit's, or none). */
async function findTask(ctx: ConversationContext, id: string): Promise<MeetingTaskView | null> {
  return (await myTasks(ctx.deps, ctx.actor)).find((x) => x.id === id) ?? null;
}

/**
 * "Mark done": asks for the note, then completes the task with the shared schema (a note refused
 * says why and asks again). A task already done, or not the unit's, is said and nothing is written.
 */
async function taskDoneConversation(conversation: Conversation<BotContext, ConversationContext>, ctx: ConversationContext, id: string): Promise<void> {
  if (ctx.callbackQuery) await ctx.answerCallbackQuery().catch(() => undefined);
  if (!ctx.actor) return void (await ctx.reply(ctx.t("bot-me-guest")));
  const task = await conversation.external((outside) => findTask(outside, id));
  if (!task) return void (await ctx.reply(ctx.t("bot-tasks-not-found")));
  if (task.status === "done") return void (await ctx.reply(ctx.t("bot-tasks-already-done", { date: cstDate(new Date(task.doneAt!)) })));
  await ctx.reply(ctx.t("bot-tasks-ask-note", { title: task.title, max: String(TASK_NOTE_MAX) }));
  for (;;) {
    const u = await conversation.wait();
    if (u.callbackQuery) await u.answerCallbackQuery().catch(() => undefined);
    if (isCancel(u)) return void (await u.reply(u.t("bot-tasks-cancelled")));
    const note = u.message?.text;
    if (note === undefined || note.startsWith("/")) {
      await u.reply(u.t("bot-tasks-note-text"));
      continue;
    }
    const outcome = await conversation.external(async (outside) => {
      try {
        const r = await completeTask(outside.deps, outside.actor, id, { note }, { locale: u.locale });
        return { ok: true as const, changed: r.changed, doneAt: r.task.doneAt };
      } catch (e) {
        if (isAppError(e) && e.code === "invalid_input") return { ok: false as const, message: e.fields?.note ?? u.t("error-invalid-input") };
        if (isAppError(e) && e.code === "not_found") return { ok: false as const, gone: true, message: u.t("bot-tasks-not-found") };
        throw e;
      }
    });
    if (!outcome.ok) {
      await u.reply(outcome.message);
      if ("gone" in outcome) return;
      continue;
    }
    if (!outcome.changed) return void (await u.reply(u.t("bot-tasks-already-done", { date: cstDate(new Date(outcome.doneAt!)) })));
    return void (await u.reply(u.t("bot-tasks-done", { title: task.title })));
  }
}

/** Meeting tasks in the bot: /tasks lists the unit's open tasks with a "mark done" button each. */
export function createTasksFeature(): BotFeature {
  const composer = new Composer<BotContext>();

  composer.command("tasks", async (ctx) => {
    if (!ctx.actor) return ctx.reply(ctx.t("bot-me-guest"));
    const today = cstDate(ctx.deps.clock.now());
    const open = (await myTasks(ctx.deps, ctx.actor)).filter((x) => x.status === "open");
    if (open.length === 0) return ctx.reply(ctx.t("bot-tasks-none"));
    const lines = [ctx.t("bot-tasks-title", { unit: ctx.actor.unit.name })];
    const kb = new InlineKeyboard();
    open.forEach((task, i) => {
      const n = String(i + 1);
      lines.push(ctx.t(task.dueOn < today ? "bot-tasks-item-overdue" : "bot-tasks-item", { n, title: task.title, heldOn: task.meeting.heldOn, due: task.dueOn }));
      kb.text(ctx.t("bot-tasks-done-button", { n }), `task:done:${task.id}`).row();
    });
    return ctx.reply(lines.join("\n"), { reply_markup: kb });
  });

  composer.callbackQuery(DONE, (ctx) => ctx.conversation.enter(TASK_DONE_CONVERSATION, ctx.match[1]!));

  return {
    name: "tasks",
    composer,
    commands: [{ command: "tasks", description: "bot-cmd-tasks", audience: "member" }],
    conversations: [{ id: TASK_DONE_CONVERSATION, builder: taskDoneConversation }],
  };
}

export const tasksFeature = createTasksFeature();
