import { Composer, InlineKeyboard } from "grammy";
import { canonicalCode, isPlate, renderTelegramArticle, type KnowledgeSearchResult } from "@xieshui/core";
import { getKnowledgeArticle, isAppError, searchKnowledge } from "@xieshui/core/server";
import type { BotContext } from "../context.ts";
import type { BotFeature } from "../registry.ts";

/** Results per message: the top 3, then three more per "没找到？". */
const PAGE = 3;
/** `kn:a:<id>` opens an article; `kn:more:<offset>` shows the next results of the chat's last search. */
const ARTICLE_CALLBACK = /^kn:a:(K\d{3,6})$/;
const MORE_CALLBACK = /^kn:more:(\d{1,3})$/;

/**
 * Text that is a code rather than a question: a plate, or a run of letters and digits shaped like
 * a VIN, contract, certificate, invite or link code (the check, redeem and unhandled features own
 * those). 12366 or ETC stay questions.
 */
export function looksLikeCode(text: string): boolean {
  if (isPlate(text)) return true;
  const compact = canonicalCode(text);
  if (!/^[A-Z0-9]+$/.test(compact)) return false;
  return compact.length >= 8 || (compact.length >= 6 && /\d/.test(compact) && /[A-Z]/.test(compact));
}

const buttonTitle = (title: string) => (title.length > 60 ? `${title.slice(0, 58)}…` : title);

function resultsKeyboard(ctx: BotContext, results: readonly KnowledgeSearchResult[], nextOffset: number | null): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const r of results) keyboard.text(buttonTitle(r.title), `kn:a:${r.id}`).row();
  if (nextOffset !== null) keyboard.text(ctx.t("bot-search-more"), `kn:more:${nextOffset}`);
  return keyboard;
}

/** Shows one page of results (one more is fetched to know whether "没找到？" has anything to offer). */
async function showResults(ctx: BotContext, q: string, offset: number): Promise<boolean> {
  let answer;
  try {
    answer = await searchKnowledge(ctx.deps, { q, limit: PAGE + 1, offset }, { locale: ctx.locale });
  } catch (error) {
    if (isAppError(error) && error.code === "invalid_input") {
      await ctx.reply(Object.values(error.fields ?? {})[0] ?? ctx.t("bot-search-usage"));
      return true;
    }
    throw error;
  }
  if (!answer.searchable) return false;
  const page = answer.results.slice(0, PAGE);
  const more = answer.results.length > PAGE ? offset + PAGE : null;
  if (page.length === 0) {
    await ctx.reply(ctx.t(offset === 0 ? "bot-search-none" : "bot-search-no-more", { query: q.slice(0, 60) }));
    return true;
  }
  ctx.session.knowledgeQuery = q;
  const header = offset === 0 ? ctx.t("bot-search-results", { query: q.slice(0, 60) }) : ctx.t("bot-search-more-results");
  await ctx.reply(header, { reply_markup: resultsKeyboard(ctx, page, more) });
  return true;
}

/** Sends an article as Telegram HTML, split under 4,096 characters per message. */
async function showArticle(ctx: BotContext, id: string): Promise<void> {
  const article = await getKnowledgeArticle(ctx.deps, id);
  for (const html of renderTelegramArticle(article, { lawLabel: ctx.t("knowledge-law-label") })) {
    await ctx.reply(html, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
  }
}

/**
 * Learn in the bot: `/search <question>`, or any plain question in a private chat that is not a
 * code (plates go to /check for checkers, invite codes to registration). The top three come back as
 * buttons; a tap shows the article; "没找到？" offers the next three. Anyone may search, registered
 * or not. Text with nothing to search for (emoji, punctuation) goes on to `unhandled`.
 */
function createKnowledgeFeature(): BotFeature {
  const composer = new Composer<BotContext>();
  composer.command("search", async (ctx) => {
    const q = ctx.match.trim();
    if (!q) return ctx.reply(ctx.t("bot-search-usage"));
    if (!(await showResults(ctx, q, 0))) await ctx.reply(ctx.t("bot-search-none", { query: q.slice(0, 60) }));
  });
  composer.callbackQuery(ARTICLE_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    await showArticle(ctx, ctx.match[1]!);
  });
  composer.callbackQuery(MORE_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    const q = ctx.session.knowledgeQuery;
    if (!q) return ctx.reply(ctx.t("bot-search-expired"));
    await showResults(ctx, q, Number(ctx.match[1]));
  });
  composer.on("message:text", async (ctx, next) => {
    const text = ctx.msg.text;
    if (text.startsWith("/") || !text.trim() || looksLikeCode(text)) return next();
    if (!(await showResults(ctx, text.slice(0, 200), 0))) return next();
  });
  return {
    name: "knowledge",
    composer,
    commands: [{ command: "search", description: "bot-cmd-search", feature: "learn", menu: true }],
  };
}

export const knowledgeFeature: BotFeature = createKnowledgeFeature();
