import type { CallbackQuery, Message, Update, User, UserFromGetMe } from "grammy/types";

/** The bot identity tests pass as `botInfo`, so grammY never calls getMe. */
export const TEST_BOT_INFO: UserFromGetMe = {
  id: 42,
  is_bot: true,
  first_name: "协税通",
  username: "xieshui_test_bot",
  can_join_groups: false,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

let updateSeq = 1000;
let messageSeq = 1;

/** A Telegram user; `id` doubles as the private chat id. */
export function makeUser(opts: Partial<User> & { id: number }): User {
  return { is_bot: false, first_name: "测试", language_code: "zh-hans", ...opts };
}

/**
 * A private-chat message from `from`. Pass `text` (commands get a bot_command entity) or any
 * other message fields (sticker, photo, document ...).
 */
export function makeMessage(from: User, fields: Partial<Message> & { text?: string } = {}): Message {
  const text = fields.text;
  const entities =
    text !== undefined && text.startsWith("/")
      ? [{ type: "bot_command" as const, offset: 0, length: text.split(/\s/)[0]!.length }]
      : undefined;
  return {
    message_id: messageSeq++,
    date: Math.floor(Date.now() / 1000),
    chat: { id: from.id, type: "private", first_name: from.first_name },
    from,
    ...(entities ? { entities } : {}),
    ...fields,
  } as Message;
}

/** An update wrapping a message (or any update fields). */
export function makeUpdate(fields: Omit<Partial<Update>, "update_id">): Update {
  return { update_id: updateSeq++, ...fields } as Update;
}

/** A text (or command) message update. */
export function textUpdate(from: User, text: string): Update {
  return makeUpdate({ message: makeMessage(from, { text }) as Update["message"] });
}

/** A callback query from pressing an inline button with `data` under a bot message. */
export function makeCallbackQuery(from: User, data: string): CallbackQuery {
  return {
    id: String(updateSeq * 7),
    from,
    chat_instance: "ci",
    data,
    message: { message_id: messageSeq++, date: Math.floor(Date.now() / 1000), chat: { id: from.id, type: "private", first_name: from.first_name }, text: "…" },
  } as CallbackQuery;
}

/** One recorded Bot API call. */
export interface ApiCall {
  method: string;
  payload: Record<string, unknown>;
}

/** What the fake answers: a result, or a Telegram error (status + description), or a network failure. */
export type FakeAnswer = { result: unknown } | { status: number; description?: string; parameters?: { retry_after?: number } } | { network: true };

/**
 * A fake Bot API transport for `client.fetch`: records every call and answers plausibly
 * (sendMessage returns a Message). `failNext(method, answer)` makes the next call(s) of a method fail.
 */
export function createFakeTransport() {
  const calls: ApiCall[] = [];
  const planned: { method: string; answer: FakeAnswer }[] = [];
  let sent = 10_000;

  function defaultResult(method: string, payload: Record<string, unknown>): unknown {
    if (method === "sendMessage" || method === "editMessageText") {
      return {
        message_id: sent++,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(payload.chat_id), type: "private" },
        text: payload.text,
      };
    }
    if (method === "sendPoll") {
      const id = sent++;
      return {
        message_id: id,
        date: Math.floor(Date.now() / 1000),
        chat: { id: Number(payload.chat_id), type: "private" },
        poll: { id: `poll-${id}`, question: payload.question, options: ((payload.options as { text: string }[]) ?? []).map((o) => ({ text: o.text, voter_count: 0 })), total_voter_count: 0, is_closed: false, is_anonymous: false, type: payload.type ?? "regular", allows_multiple_answers: false },
      };
    }
    if (method === "getMe") return TEST_BOT_INFO;
    return true;
  }

  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = url.split("/").pop() ?? "";
    let payload: Record<string, unknown> = {};
    if (typeof init?.body === "string") payload = JSON.parse(init.body) as Record<string, unknown>;
    else if (init?.body) payload = { multipart: true };
    calls.push({ method, payload });
    const i = planned.findIndex((p) => p.method === method || p.method === "*");
    const answer = i >= 0 ? planned.splice(i, 1)[0]!.answer : { result: defaultResult(method, payload) };
    if ("network" in answer) throw new TypeError("fetch failed");
    if ("status" in answer) {
      return new Response(JSON.stringify({ ok: false, error_code: answer.status, description: answer.description ?? "Internal Server Error", ...(answer.parameters ? { parameters: answer.parameters } : {}) }), {
        status: answer.status,
        headers: { "content-type": "application/json" },
      });
    }
    return new Response(JSON.stringify({ ok: true, result: answer.result }), { headers: { "content-type": "application/json" } });
  }) as typeof fetch;

  return {
    fetch: fetchFn,
    calls,
    /** Makes the next call of `method` ("*" = any) answer with `answer`. Call repeatedly to queue several. */
    failNext(method: string, answer: FakeAnswer) {
      planned.push({ method, answer });
    },
    /** Texts of sendMessage calls, optionally to one chat. */
    texts(chatId?: number): string[] {
      return calls
        .filter((c) => c.method === "sendMessage" && (chatId === undefined || Number(c.payload.chat_id) === chatId))
        .map((c) => String(c.payload.text));
    },
    /** The last sendMessage text. */
    lastText(): string {
      const all = this.texts();
      return all[all.length - 1] ?? "";
    },
    reset() {
      calls.length = 0;
      planned.length = 0;
    },
  };
}
export type FakeTransport = ReturnType<typeof createFakeTransport>;
