import { Bot, session, type Composer, type StorageAdapter } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { conversations, createConversation } from "@grammyjs/conversations";
import { sequentialize } from "@grammyjs/runner";
import type { I18n } from "@grammyjs/i18n";
import { LOCALES, resolveLocale, type Locale } from "@xieshui/core";
import { actorByTelegram, createTipContext, DEFAULT_CHECK_RATE_LIMIT_PER_HOUR, getLocale, type Deps, type TipContext } from "@xieshui/core/server";
import type { BotContext, ConversationContext, SessionData } from "./context.ts";
import { createI18n, translator } from "./i18n.ts";
import { createPrismaStorage } from "./storage.ts";
import { createFeatureErrorHandler, createGlobalErrorHandler, describeError } from "./errors.ts";
import { visibleCommands, type BotFeature, type CommandSpec } from "./registry.ts";
import { FEATURES } from "./features/index.ts";
import { unhandledFeature } from "./features/unhandled.ts";
import { createTipMiddleware, TIP_COMMANDS } from "./features/tip.ts";

export interface BotConfig {
  /** Bot API base URL (a local emulator in tests); defaults to https://api.telegram.org. */
  apiRoot?: string;
  /** Known bot info: skips getMe (tests, emulator). */
  botInfo?: UserFromGetMe;
  /** Transport for Bot API calls (tests record calls with a fake). */
  fetch?: typeof fetch;
  /** CHECK_RATE_LIMIT_PER_HOUR (default 120; 0 = off). */
  checkRateLimitPerHour?: number;
  /** Downloads a Telegram file by file_path (default: the Bot API's file endpoint); tests pass a fake. */
  downloadFile?: (filePath: string) => Promise<Buffer>;
}

export interface CreateBotOptions {
  token: string;
  deps: Deps;
  config?: BotConfig;
  /** Features to install in order (default: all of FEATURES). `unhandled` is always last. */
  features?: BotFeature[];
  /** The tip line (keys, rules, limits); by default one with a key file beside the database, generated if missing (tests). */
  tips?: TipContext;
}

/** The bot plus what main.ts and the outbox worker need next to it. */
export type XieshuiBot = Bot<BotContext> & {
  readonly i18n: I18n<BotContext>;
  readonly commandSpecs: readonly CommandSpec[];
};

function isLocale(value: unknown): value is Locale {
  return LOCALES.some((l) => l === value);
}

/**
 * Per-update app state: the registered user (hot path, no Prisma) and the language: the user's
 * saved choice, else a guest's /lang choice in the session, else their Telegram language.
 * Also installed inside conversations, where there is no session.
 */
function appContext(deps: Deps, commands: readonly CommandSpec[], sessions: StorageAdapter<SessionData>, checkRateLimitPerHour: number) {
  return async (ctx: ConversationContext | BotContext, next: () => Promise<void>) => {
    const c = ctx as ConversationContext & Partial<Pick<BotContext, "session">>;
    c.deps = deps;
    c.commands = commands;
    c.checkRateLimitPerHour = checkRateLimitPerHour;
    // grammY's ctx.from does not cover poll_answer, whose sender is pollAnswer.user.
    const from = ctx.from ?? ctx.pollAnswer?.user;
    c.actor = from ? await actorByTelegram(deps, from.id) : null;
    let chosen: unknown = c.actor ? await getLocale(deps, c.actor.userId) : undefined;
    if (!chosen && !c.actor) {
      // Inside a conversation there is no ctx.session: read the guest's choice from the store.
      const data = "session" in c && c.session ? c.session : ctx.chat ? await sessions.read(String(ctx.chat.id)) : undefined;
      chosen = data?.locale;
    }
    c.locale = isLocale(chosen) ? chosen : resolveLocale(from?.language_code);
    await next();
  };
}

/**
 * Builds the bot: sessions and conversation state in the database, i18n from the core catalogues,
 * every feature behind one error boundary, `unhandled` last. No network call and no side effect
 * happens here; main.ts starts it.
 */
export function createBot({ token, deps, config = {}, features = FEATURES, tips }: CreateBotOptions): XieshuiBot {
  const client = {
    ...(config.apiRoot ? { apiRoot: config.apiRoot } : {}),
    ...(config.fetch ? { fetch: config.fetch } : {}),
  };
  const bot = new Bot<BotContext>(token, {
    ...(config.botInfo ? { botInfo: config.botInfo } : {}),
    client,
  });
  const logger = deps.logger;
  const installed = [...features, unhandledFeature];
  const commands = [...installed.flatMap((f) => f.commands ?? []), ...TIP_COMMANDS];
  const i18n = createI18n<BotContext>((ctx) => ctx.locale);
  const convI18n = createI18n<ConversationContext>((ctx) => ctx.locale);
  const sessions = createPrismaStorage<SessionData>(deps.db, "session:");
  const withApp = appContext(deps, commands, sessions, config.checkRateLimitPerHour ?? DEFAULT_CHECK_RATE_LIMIT_PER_HOUR);

  bot.catch(createGlobalErrorHandler(logger));
  // The runner handles updates concurrently; one chat's updates must not race on its session
  // or conversation state.
  bot.use(sequentialize((ctx) => ctx.chat?.id.toString()));

  // The anonymous tip line comes before sessions and conversations: what it handles never reaches
  // the BotSession table (features/tip.ts).
  const apiRoot = config.apiRoot ?? "https://api.telegram.org";
  const download = config.downloadFile ?? (async (filePath: string) => {
    const res = await (config.fetch ?? fetch)(`${apiRoot}/file/bot${token}/${filePath}`);
    if (!res.ok) throw new Error(`file download failed: ${res.status}`);
    return Buffer.from(await res.arrayBuffer());
  });
  bot.use(
    createTipMiddleware({
      deps,
      tips: tips ?? createTipContext(deps, { generateKey: true }),
      downloadFile: download,
      async localeOf(ctx) {
        const actor = ctx.from ? await actorByTelegram(deps, ctx.from.id) : null;
        const chosen: unknown = actor ? await getLocale(deps, actor.userId) : ctx.chat ? (await sessions.read(String(ctx.chat.id)))?.locale : undefined;
        return isLocale(chosen) ? chosen : resolveLocale(ctx.from?.language_code);
      },
    }) as unknown as Composer<BotContext>,
  );

  // Groups and channels are out of scope: codes and reports are personal.
  const privateChats = bot.chatType("private") as unknown as Composer<BotContext>;
  privateChats.use(
    session<SessionData, BotContext>({ initial: () => ({}), storage: sessions }),
  );
  privateChats.use(withApp);
  privateChats.use(i18n.middleware());

  const guarded = privateChats.errorBoundary(createFeatureErrorHandler(logger));
  guarded.use(
    conversations<BotContext, ConversationContext>({
      storage: { type: "key", prefix: "conv:", adapter: createPrismaStorage(deps.db, "") },
      plugins: [withApp as (ctx: ConversationContext, next: () => Promise<void>) => Promise<void>, convI18n.middleware()],
    }),
  );
  for (const f of installed) {
    for (const c of f.conversations ?? []) guarded.use(createConversation(c.builder, c.id));
  }
  for (const f of installed) guarded.use(f.composer);

  // A poll_answer has a user but no chat: app state and i18n (no session), then only the features that score polls.
  const pollAnswers = bot.on("poll_answer") as unknown as Composer<BotContext>;
  pollAnswers.use(withApp);
  pollAnswers.use(i18n.middleware());
  const pollGuarded = pollAnswers.errorBoundary(createFeatureErrorHandler(logger));
  for (const f of installed) if (f.handlesPollAnswers) pollGuarded.use(f.composer);

  return Object.assign(bot, { i18n, commandSpecs: commands }) as XieshuiBot;
}

/**
 * Publishes the command menu: Chinese as the default, English for clients set to English.
 * Failure is logged and tolerated (an emulator or a network blip must not stop the bot).
 */
export async function syncCommandMenu(bot: XieshuiBot, deps: Deps): Promise<boolean> {
  const t = translator(bot.i18n);
  const menu = bot.commandSpecs.filter((c) => c.menu);
  const list = (locale: Locale) => menu.map((c) => ({ command: c.command, description: t(locale, c.description).slice(0, 256) }));
  try {
    await bot.api.setMyCommands(list("zh-CN"));
    await bot.api.setMyCommands(list("en"), { language_code: "en" });
    return true;
  } catch (error) {
    deps.logger.warn({ error: describeError(error) }, "setMyCommands failed; the command menu may be stale");
    return false;
  }
}

/** The commands a given user may use, for a per-chat menu or tests. */
export function commandsFor(bot: XieshuiBot, actor: Parameters<typeof visibleCommands>[1]): CommandSpec[] {
  return visibleCommands(bot.commandSpecs, actor);
}

