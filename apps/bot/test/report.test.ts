import sharp from "sharp";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { InlineKeyboardButton, Update, User } from "grammy/types";
import type { UnitType } from "@xieshui/core";
import { reviewReport } from "@xieshui/core/server";
import { makeTelegramUser, makeUser as makeAppUser } from "../../../test/factories/identity.ts";
import { makeConstructionCsv, TEST_ID, TEST_USCC } from "../../../test/factories/reports.ts";
import { TEST_BOT_INFO } from "../../../test/factories/telegram.ts";
import { createBot, type XieshuiBot } from "../src/bot.ts";
import { FEATURES } from "../src/features/index.ts";
import { createReportFeature } from "../src/features/report.ts";
import { createOutboxWorker } from "../src/outbox-worker.ts";
import { createHarness, makeCallbackQuery, makeMessage, makeUpdate, tgUser, type BotHarness } from "./harness.ts";

// A real image: photos are decoded and re-encoded on upload (core/server/media/images.ts).
const PNG = await sharp({ create: { width: 64, height: 48, channels: 3, background: "#369" } }).png().toBuffer();

let h: BotHarness;
let bot: XieshuiBot;
/** What the fake downloadFile serves, by Telegram file_id. */
let files: Map<string, Buffer>;

function makeBot(): XieshuiBot {
  const report = createReportFeature({
    downloadFile: async (fileId) => {
      const bytes = files.get(fileId);
      if (!bytes) throw new Error("no such file");
      return bytes;
    },
  });
  return createBot({
    token: "42:TEST",
    deps: h.t.deps,
    config: { botInfo: TEST_BOT_INFO, fetch: h.api.fetch },
    features: FEATURES.map((f) => (f.name === "report" ? report : f)),
  });
}

beforeEach(() => {
  h = createHarness();
  files = new Map();
  bot = makeBot();
});
afterEach(async () => {
  await h.close();
});

async function handle(update: Update, b: XieshuiBot = bot): Promise<string[]> {
  const before = h.api.texts().length;
  await b.handleUpdate(update);
  return h.api.texts().slice(before);
}
const say = (u: User, text: string, b?: XieshuiBot) => handle(makeUpdate({ message: makeMessage(u, { text }) as Update["message"] }), b);
const press = (u: User, data: string, b?: XieshuiBot) => handle(makeUpdate({ callback_query: makeCallbackQuery(u, data) }), b);

/** Inline buttons of the last message the bot sent. */
function buttons(): InlineKeyboardButton.CallbackButton[] {
  const last = h.api.calls.filter((c) => c.method === "sendMessage").at(-1);
  const markup = last?.payload.reply_markup as { inline_keyboard?: InlineKeyboardButton.CallbackButton[][] } | undefined;
  return (markup?.inline_keyboard ?? []).flat();
}
function button(label: string): string {
  const b = buttons().find((x) => x.text === label);
  if (!b) throw new Error(`no button ${label}: ${buttons().map((x) => x.text).join(", ")}`);
  return b.callback_data;
}

async function reporter(unitType: UnitType, roles: ("reporter" | "checker")[] = ["reporter"]): Promise<User> {
  const u = tgUser();
  await makeTelegramUser(h.t.deps, { roles, telegramId: u.id, unitType, name: "王村干" });
  return u;
}

const reportCount = () => h.t.db.prisma.report.count();

/** Answers the rental form up to the summary (village reporter). */
async function fillRental(u: User, over: Partial<Record<string, string>> = {}): Promise<void> {
  await say(u, "/report");
  await press(u, button("承租房屋登记"));
  const a = { address: "幸福镇东村 3 组 12 号", landlordName: "张三", landlordIdNo: TEST_ID, tenantName: "李四", tenantIdNo: TEST_USCC, monthlyRent: "1,200元", area: "85.5", leaseStart: "2026/11/1", leaseEnd: "2027-10-31", ...over };
  for (const k of ["address", "landlordName", "landlordIdNo", "tenantName", "tenantIdNo"] as const) await say(u, a[k]!);
  await press(u, button("居住"));
  for (const k of ["monthlyRent", "area", "leaseStart", "leaseEnd"] as const) await say(u, a[k]!);
  await press(u, button("跳过")); // note
}

describe("/report: rental", () => {
  it("files a rental report from the first question to the confirmation", async () => {
    const u = await reporter("village");
    const first = await say(u, "/report");
    expect(first.at(-1)).toContain("请选择要填写的报告");
    expect(buttons().map((b) => b.text)).toEqual(["承租房屋登记", "取消"]);
    const start = await press(u, button("承租房屋登记"));
    expect(start[0]).toContain("开始填写“承租房屋登记”，共 11 项");
    expect(start[1]).toBe("（1/11）请填写：地址");
    expect((await say(u, "幸福镇东村 3 组 12 号"))[0]).toContain("（2/11）请填写：房东姓名");
    await say(u, "张三");
    await say(u, TEST_ID);
    await say(u, "李四");
    const use = await say(u, TEST_USCC);
    expect(use[0]).toContain("用途");
    expect(buttons().map((b) => b.text)).toEqual(["居住", "经营", "取消"]);
    await press(u, button("居住"));
    await say(u, "1,200元");
    await say(u, "85.5");
    await say(u, "2026/11/1");
    await say(u, "2027-10-31");
    expect(h.api.lastText()).toContain("备注（选填");
    const summary = await press(u, button("跳过"));
    expect(summary.at(-1)).toContain("请核对“承租房屋登记”");
    expect(summary.at(-1)).toContain("月租金（元）：1200");
    expect(summary.at(-1)).toContain("租期开始：2026-11-01");
    expect(summary.at(-1)).toContain("用途：居住");
    expect(summary.at(-1)).toContain("备注：（未填）");
    expect(buttons().map((b) => b.text)).toEqual(["确认提交", "修改某项", "取消"]);

    const done = await press(u, button("确认提交"));
    expect(done.at(-1)).toContain("✅ 已提交“承租房屋登记”");
    expect(done.at(-1)).toContain("状态：待审核");
    expect(done.at(-1)).toContain("时效：按时");
    const rows = await h.t.db.prisma.report.findMany();
    expect(rows).toHaveLength(1);
    expect(JSON.parse(rows[0]!.data)).toMatchObject({ monthlyRent: 1200, area: 85.5, leaseStart: "2026-11-01", use: "residential" });
    expect(JSON.parse(rows[0]!.data)).not.toHaveProperty("note");
    expect(rows[0]!.clientId).toMatch(/^tg-\d+-\d+$/);
    // No internals on screen: the confirmation never shows the database id.
    expect(done.join("\n")).not.toContain(rows[0]!.id);
    expect(done.join("\n")).not.toContain("编号");
  });

  it("re-asks an ID number that fails the GB 11643 checksum, with the reason", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    await say(u, "幸福镇东村 3 组 12 号");
    await say(u, "张三");
    const bad = TEST_ID.slice(0, 17) + (TEST_ID.endsWith("1") ? "2" : "1");
    const reply = await say(u, bad);
    expect(reply).toHaveLength(1);
    expect(reply[0]).toMatch(/^❌ 房东身份证号：.*身份证/);
    expect(reply[0]).toContain("（3/11）请填写：房东身份证号");
    // The corrected answer moves on.
    expect((await say(u, TEST_ID))[0]).toContain("（4/11）请填写：承租人名称");
  });

  it("re-asks a lease that ends before it starts at once, then files", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    for (const a of ["幸福镇东村 3 组 12 号", "张三", TEST_ID, "李四", TEST_USCC]) await say(u, a);
    await press(u, button("居住"));
    for (const a of ["1200", "85", "2026-11-01"]) await say(u, a);
    const r = await say(u, "2026-10-01");
    expect(r[0]).toMatch(/^❌ 租期结束：租期结束必须晚于租期开始/);
    expect(r[0]).toContain("（10/11）请填写：租期结束");
    await say(u, "2027-10-31");
    await press(u, button("跳过"));
    await press(u, button("确认提交"));
    expect(await reportCount()).toBe(1);
  });

  it("changes one answer from the summary before submitting", async () => {
    const u = await reporter("village");
    await fillRental(u);
    await press(u, button("修改某项"));
    expect(h.api.lastText()).toBe("要修改哪一项？");
    const ask = await press(u, button("月租金（元）"));
    expect(ask[0]).toContain("请填写：月租金（元）");
    const summary = await say(u, "1500");
    expect(summary.at(-1)).toContain("月租金（元）：1500");
    await press(u, button("确认提交"));
    const row = await h.t.db.prisma.report.findFirstOrThrow();
    expect(JSON.parse(row.data).monthlyRent).toBe(1500);
  });

  it("leaves on /cancel mid-flow and saves nothing", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    await say(u, "幸福镇东村 3 组 12 号");
    expect(await say(u, "/cancel")).toEqual(["已取消，没有保存任何内容。"]);
    expect(await reportCount()).toBe(0);
    // The conversation is over: text goes to the ordinary handlers again (a plain question is a knowledge search).
    expect((await say(u, "张三"))[0]).toContain("没有找到和“张三”有关的条目");
    expect(await say(u, "/cancel")).toEqual(["当前没有正在填写的内容。"]);
  });

  it("files once when 确认提交 is pressed twice", async () => {
    const u = await reporter("village");
    await fillRental(u);
    const confirm = button("确认提交");
    await press(u, confirm);
    const again = await press(u, confirm);
    expect(again).toEqual([]);
    expect(await reportCount()).toBe(1);
    const answer = h.api.calls.filter((c) => c.method === "answerCallbackQuery").at(-1);
    expect(String(answer?.payload.text)).toContain("已经提交过了");
  });

  it("takes a sticker or a file mid-flow as a friendly re-ask, not an answer", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    const sticker = await handle(makeUpdate({ message: makeMessage(u, { sticker: { file_id: "s1", file_unique_id: "s1", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }) as Update["message"] }));
    expect(sticker).toHaveLength(1);
    expect(sticker[0]).toContain("需要文字回答");
    expect(sticker[0]).toContain("（1/11）请填写：地址");
    const doc = await handle(makeUpdate({ message: makeMessage(u, { document: { file_id: "d1", file_unique_id: "d1", file_name: "x.pdf" } }) as Update["message"] }));
    expect(doc[0]).toContain("需要文字回答");
    expect((await say(u, "/help"))[0]).toContain("正在填写报告");
    expect((await say(u, "幸福镇东村 3 组 12 号"))[0]).toContain("（2/11）");
  });

  it("resumes the conversation after a bot restart", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    await say(u, "幸福镇东村 3 组 12 号");
    const restarted = makeBot();
    expect((await say(u, "张三", restarted))[0]).toContain("（3/11）请填写：房东身份证号");
    await say(u, TEST_ID, restarted);
    await say(u, "李四", restarted);
    await say(u, TEST_USCC, restarted);
    await press(u, button("经营"), restarted);
    for (const a of ["3000", "120", "2026-11-01", "2027-10-31"]) await say(u, a, restarted);
    await press(u, button("跳过"), restarted);
    await press(u, button("确认提交"), restarted);
    expect(await reportCount()).toBe(1);
  });

  it("uploads photos sent during the conversation after submitting", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    await press(u, button("承租房屋登记"));
    files.set("big", PNG);
    files.set("notimg", Buffer.from("hello"));
    const photo = (small: string, big: string) =>
      handle(makeUpdate({ message: makeMessage(u, { photo: [{ file_id: small, file_unique_id: small, width: 90, height: 90 }, { file_id: big, file_unique_id: big, width: 1280, height: 960 }] }) as Update["message"] }));
    expect((await photo("small", "big"))[0]).toContain("已收到照片（共 1 张）");
    expect((await photo("small2", "notimg"))[0]).toContain("共 2 张");
    await say(u, "幸福镇东村 3 组 12 号");
    for (const a of ["张三", TEST_ID, "李四", TEST_USCC]) await say(u, a);
    await press(u, button("居住"));
    for (const a of ["1200", "85", "2026-11-01", "2027-10-31"]) await say(u, a);
    expect((await press(u, button("跳过"))).at(-1)).toContain("照片：2 张");
    const done = await press(u, button("确认提交"));
    expect(done.some((t) => t.includes("已上传 1 张照片"))).toBe(true);
    expect(done.some((t) => t.includes("有一张照片未能上传"))).toBe(true);
    expect(await h.t.db.prisma.reportPhoto.count()).toBe(1);
  });
});

describe("/report: bad input", () => {
  it("re-asks text over the limit and control characters, and keeps injection strings as plain text", async () => {
    const u = await reporter("village");
    await say(u, "/report rental");
    expect((await say(u, "路".repeat(201)))[0]).toMatch(/^❌ 地址：/);
    expect((await say(u, "幸福\u0007村"))[0]).toMatch(/^❌ 地址：/);
    expect((await say(u, "'; DROP TABLE Report; -- <script>"))[0]).toContain("（2/11）");
    expect((await say(u, "   "))[0]).toMatch(/^❌ 房东姓名：/);
    expect((await say(u, "ＡＢＣ　张三"))[0]).toContain("（3/11）");
    for (const a of [TEST_ID, "李四", TEST_USCC]) await say(u, a);
    expect((await say(u, "住宅"))[0]).toMatch(/^❌ 用途：/);
    await say(u, "经营");
    expect((await say(u, "一千二"))[0]).toMatch(/^❌ 月租金（元）：/);
    expect((await say(u, "-5"))[0]).toMatch(/^❌ 月租金（元）：/);
    expect((await say(u, "1200.555"))[0]).toMatch(/^❌ 月租金（元）：金额最多保留两位小数/);
    await say(u, "１２００");
    await say(u, "80");
    expect((await say(u, "2026-02-30"))[0]).toMatch(/^❌ 租期开始：/);
    await say(u, "2026年9月1日");
    await say(u, "2027-08-31");
    await press(u, button("跳过"));
    const done = await press(u, button("确认提交"));
    expect(done.at(-1)).toContain("时效：迟报");
    const row = await h.t.db.prisma.report.findFirstOrThrow();
    expect(JSON.parse(row.data)).toMatchObject({ address: "'; DROP TABLE Report; -- <script>", landlordName: "ＡＢＣ 张三", use: "business", monthlyRent: 1200, leaseStart: "2026-09-01" });
  });

  it("speaks English to a reporter who chose English", async () => {
    const u = await reporter("village");
    await say(u, "/lang en");
    await say(u, "/report rental");
    expect(h.api.lastText()).toBe("(1/11) Please enter: Address");
  });
});

describe("/report: who may file what", () => {
  it("shows a village reporter only the types their unit files, and refuses a forced one with the 403 message", async () => {
    const u = await reporter("village");
    await say(u, "/report");
    expect(buttons().map((b) => b.callback_data)).not.toContain("rpt:t:performance");
    expect(await press(u, "rpt:t:performance")).toEqual(["您的单位不负责报送“外来演出报告”"]);
    await press(u, "rpt:x");
    expect(await say(u, "/report performance")).toEqual(["您的单位不负责报送“外来演出报告”"]);
    expect(await reportCount()).toBe(0);
  });

  it("tells a member without the reporter role that reports are for reporters, and a checker how to report a vehicle", async () => {
    const trainer = tgUser();
    await makeTelegramUser(h.t.deps, { roles: ["trainer"], telegramId: trainer.id, unitType: "tax_bureau" });
    expect(await say(trainer, "/report")).toEqual(["只有单位的报送员可以填写报告。如需开通，请联系单位管理员。"]);
    const checker = await reporter("traffic_police", ["checker"]);
    expect((await say(checker, "/report"))[0]).toContain("请先核验车辆：发送 /check 车牌号");
  });

  it("refuses a show that has already started at its start time, before anything is recorded", async () => {
    const u = await reporter("venue");
    await say(u, "/report performance");
    const transcript: string[] = [];
    for (const a of ["梁祝", "某某越剧团", "某某文化传播有限公司", TEST_USCC, "区人民大剧院"]) transcript.push(...(await say(u, a)));
    const started = await say(u, "2026-11-25 19:30");
    transcript.push(...started);
    expect(started[0]).toContain("❌ 首场开始时间：演出已经开始，不能再报送，请核对首场开始时间");
    // The clerk corrects a typo in the year and carries on.
    const fixed = await say(u, "2026-12-25 19:30");
    expect(fixed[0]).not.toContain("❌");
    transcript.push(...fixed, ...(await say(u, "/cancel")));
    expect(transcript.join("\n")).not.toMatch(/residential|expected|期望|undefined/);
    expect(await reportCount()).toBe(0);
    expect(await h.t.db.prisma.refusedReport.count()).toBe(0);
  });

  it("files a vehicle_no_clearance report from a traffic-police officer, skipping the owner's ID", async () => {
    const u = await reporter("traffic_police", ["reporter", "checker"]);
    await say(u, "/report");
    expect(buttons().map((b) => b.text)).toEqual(["车船税未完税报告", "取消"]);
    await press(u, button("车船税未完税报告"));
    await say(u, "豫a 12345");
    await say(u, "小型汽车");
    await say(u, "王五");
    await press(u, button("跳过")); // ownerIdNo
    expect((await say(u, "2025 2027"))[0]).toMatch(/^❌ 未完税年度：/);
    await say(u, "2025，2026");
    await say(u, "车管所检测站");
    const summary = await press(u, button("跳过"));
    expect(summary.at(-1)).toContain("车牌号：豫A12345");
    expect(summary.at(-1)).toContain("未完税年度：2025、2026");
    const done = await press(u, button("确认提交"));
    expect(done.at(-1)).toContain("✅ 已提交“车船税未完税报告”");
    const row = await h.t.db.prisma.report.findFirstOrThrow();
    expect(JSON.parse(row.data)).toEqual({ plate: "豫A12345", vehicleType: "小型汽车", ownerName: "王五", missingYears: [2025, 2026], place: "车管所检测站" });
  });

  it("shows an earlier report of the same fact before confirming", async () => {
    const first = await reporter("village");
    await fillRental(first);
    await press(first, button("确认提交"));
    const second = await reporter("village");
    await fillRental(second);
    const summary = h.api.lastText();
    expect(summary).toContain("⚠️ 可能已经有人报送过");
    expect(summary).toMatch(/已于 2026-11-26 报送过相同的内容/);
    const done = await press(second, button("确认提交"));
    expect(done.at(-1)).toContain("可能重复");
  });
});

// Feed files are read in a worker thread, which takes a second or two to start on a busy machine.
describe("/feeds", { timeout: 30_000 }, () => {
  it("lists this period's feed as missing and files 本期无 after a confirm", async () => {
    const u = await reporter("construction_bureau");
    const list = await say(u, "/feeds");
    expect(list[0]).toContain("2026-10 期定期数据");
    expect(list[0]).toContain("施工许可及容积率小于1.0项目（月报）：未报送，已超过截止日 2026-11-10");
    const nil = await press(u, button("本期无 施工许可及容积率小于1.0项目（月报）"));
    expect(nil[0]).toContain("报送“本期无”？");
    const done = await press(u, button("确认本期无"));
    expect(done[0]).toBe("✅ 已报送“施工许可及容积率小于1.0项目（月报）”2026-10 期：本期无（迟报）。");
    expect(await press(u, "feed:nilok:feed_construction_permits:2026-10")).toEqual(["“施工许可及容积率小于1.0项目（月报）”2026-10 期已经报送过“本期无”，不会重复报送。"]);
    expect(await reportCount()).toBe(1);
    expect((await say(u, "/feeds"))[0]).toContain("✅ 施工许可及容积率小于1.0项目（月报）：已报送（本期无，迟报，待审核）");
  });

  it("uploads a CSV through the 上传 button and reports its rows, or the first row errors with line numbers", async () => {
    const u = await reporter("construction_bureau");
    await say(u, "/feeds");
    await press(u, button("上传 施工许可及容积率小于1.0项目（月报）"));
    expect(h.api.lastText()).toContain("请发送“施工许可及容积率小于1.0项目（月报）”2026-10 期");
    files.set("bad", Buffer.from(makeConstructionCsv([["施许1", "项目", "某公司", "91410100MA00000X1", "路 1 号", "-5", "0.8", "", "2026-10-03"]])));
    const doc = (id: string) => handle(makeUpdate({ message: makeMessage(u, { document: { file_id: id, file_unique_id: id, file_name: "permits.csv", mime_type: "text/csv", file_size: 500 } }) as Update["message"] }));
    const bad = await doc("bad");
    expect(bad[0]).toContain("整个文件未保存");
    expect(bad[0]).toMatch(/第 2 行 · 建设单位统一社会信用代码：/);
    expect(bad[0]).toMatch(/第 2 行 · 建筑面积（平方米）：/);
    expect(await reportCount()).toBe(0);
    // Still waiting after a refused file: the corrected one is simply sent again.
    files.set("good", Buffer.from(makeConstructionCsv()));
    expect(bad[0]).toContain("请发送 CSV 或 Excel（.xlsx）文件");
    const good = await doc("good");
    expect(good[0]).toContain("✅ 已收到“施工许可及容积率小于1.0项目（月报）”2026-10 期数据：2 行（迟报）");
    expect(good[0]).toContain("其中 1 行需要关注");
    expect(await reportCount()).toBe(1);
    // The construction bureau files one feed: a file sent outside the upload step goes to it.
    expect((await doc("good"))[0]).toBe("这个文件已经上传过了，不会重复保存。");
  });

  it("refuses a file over the Bot API download limit without downloading it", async () => {
    const u = await reporter("construction_bureau");
    const r = await handle(makeUpdate({ message: makeMessage(u, { document: { file_id: "huge", file_unique_id: "huge", file_name: "big.xlsx", file_size: 50 * 1024 * 1024 } }) as Update["message"] }));
    expect(r[0]).toContain("文件太大");
  });
});

describe("/myreports and review notices", () => {
  it("lists the reporter's reports with status and the reviewer's comment, and the return notice reads well", async () => {
    const u = await reporter("village");
    expect((await say(u, "/myreports"))[0]).toContain("您还没有报送过报告");
    await fillRental(u);
    await press(u, button("确认提交"));
    const row = await h.t.db.prisma.report.findFirstOrThrow();
    const officer = await makeAppUser(h.t.deps, { roles: ["tax_officer"], unitType: "tax_bureau" });
    await reviewReport(h.t.deps, officer.actor, row.id, { decision: "return", comment: "房东身份证复印件不清晰" });
    await createOutboxWorker({ bot, deps: h.t.deps }).drain();
    expect(h.api.lastText()).toBe("您报送的“承租房屋登记”（幸福镇东村 3 组 12 号 · 李四 · 2026-11-01）被退回，原因：房东身份证复印件不清晰。请修改后重新报送。");
    const list = (await say(u, "/myreports"))[0]!;
    expect(list).toContain("1. 承租房屋登记 · 幸福镇东村 3 组 12 号 · 李四 · 2026-11-01");
    expect(list).toContain("2026-11-26 · 已退回 · 按时");
    expect(list).toContain("审核意见：房东身份证复印件不清晰");
  });
});
