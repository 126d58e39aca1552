import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import EntrustedPage from "../src/pages/entrusted/index";
import HomePage from "../src/pages/index/index";
import { FiguresView } from "../src/features/oversight/figures-view";
import { emptyFigures } from "@xieshui/core";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

// Issue 13 point 6: the 委托代征 page — collectors with agreement validity, agents, last inspection and
// open follow-ups (overdue in red); an inspection form checked with the API's schema; 标记已整改 with a note.

type Call = { url: string; method?: string; data?: Record<string, unknown> };
const calls = () => vi.mocked(Taro.request).mock.calls.map((c) => c[0] as Call);

const overdue = { id: "i1", unit: { code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）" }, inspectedOn: "2026-11-10", findings: "代征税款未按时解缴", followUp: "按月解缴代征税款", followUpBy: "2026-11-30", followUpDoneOn: null, followUpNote: null, overdue: true };
const collectors = [
  {
    unit: overdue.unit,
    agreement: { agreementNo: "WTDZ-2026-001", scope: "零星房屋出租税费", validFrom: "2026-01-01", validTo: "2026-12-31", expired: false },
    agents: [{ id: "a1", name: "张建国", certificateNo: "DZ-DEMO-001", phone: "13800000001", active: true }, { id: "a2", name: "旧人员", certificateNo: "DZ-OLD", phone: null, active: false }],
    lastInspection: overdue,
    openFollowUps: [overdue],
  },
  { unit: { code: "entrusted-market", name: "农贸市场管理处（委托代征）" }, agreement: { agreementNo: "WTDZ-2025-003", scope: "集贸市场税费", validFrom: "2025-01-01", validTo: "2025-12-31", expired: true }, agents: [], lastInspection: null, openFollowUps: [] },
];

function routeApi(onPost?: (c: Call) => { statusCode: number; data: unknown }) {
  vi.mocked(Taro.request).mockImplementation((async (c: Call) => {
    if (c.method === "POST" && onPost) return onPost(c);
    if (c.url.endsWith("/api/v1/entrusted/collectors")) return { statusCode: 200, data: { collectors } };
    return { statusCode: 404, data: {} };
  }) as never);
}

/** Waits for an element the page renders once its data has come. */
const byId = (id: string) =>
  waitFor(() => {
    const el = document.getElementById(id);
    expect(el).not.toBeNull();
    return el!;
  });

const officer = { id: "o1", name: "李税官", unit: { code: "tax-bureau", name: "税务局", type: "tax_bureau" as const }, roles: ["tax_officer" as const] };

beforeEach(() => {
  vi.mocked(Taro.request).mockReset();
  setLocale("zh-CN");
  setSession("tok", officer);
});
afterEach(() => clearSession());

describe("entrusted page", () => {
  it("shows each collector's agreement validity, active agents, last inspection and the overdue follow-up in red", async () => {
    routeApi();
    render(<EntrustedPage />);
    const rental = await byId("collector-entrusted-rental");
    expect(rental.textContent).toContain("协议 WTDZ-2026-001：2026-01-01 至 2026-12-31");
    expect(document.getElementById("collector-entrusted-rental-validity")!.textContent).toBe("有效");
    expect(rental.textContent).toContain("代征人员（1）");
    expect(rental.textContent).toContain("张建国 · DZ-DEMO-001 · 13800000001");
    expect(rental.textContent).not.toContain("旧人员");
    expect(document.getElementById("collector-entrusted-rental-last")!.textContent).toBe("最近检查：2026-11-10");
    const follow = document.getElementById("follow-i1")!;
    expect(follow.className).toContain("entrusted__follow--overdue");
    expect(follow.textContent).toContain("已逾期，期限 2026-11-30");
    const market = document.getElementById("collector-entrusted-market")!;
    expect(document.getElementById("collector-entrusted-market-validity")!.className).toContain("badge--overdue");
    expect(market.textContent).toContain("已过期");
    expect(market.textContent).toContain("尚未检查");
    expect(market.textContent).toContain("暂无代征人员");
  });

  it("checks the inspection form with the shared schema before sending, errors under the fields", async () => {
    routeApi(() => ({ statusCode: 201, data: overdue }));
    render(<EntrustedPage />);
    fireEvent.click(await byId("inspect-entrusted-rental"));
    fireEvent.change(document.getElementById("f-followUp")!, { target: { value: "补交凭证" } });
    fireEvent.click(document.getElementById("inspect-submit")!);
    await waitFor(() => expect(document.getElementById("f-findings-field")!.textContent).toContain("请填写检查发现"));
    expect(document.getElementById("f-followUpBy-field")!.textContent).toContain("有整改要求时，请填写整改期限");
    expect(calls().filter((c) => c.method === "POST")).toEqual([]);
    fireEvent.change(document.getElementById("f-findings")!, { target: { value: "凭证开具不规范" } });
    fireEvent.change(document.getElementById("f-followUpBy")!, { target: { value: "2099-01-31" } });
    fireEvent.click(document.getElementById("inspect-submit")!);
    await waitFor(() => expect(document.getElementById("entrusted-notice")?.textContent).toBe("检查记录已保存"));
    const post = calls().find((c) => c.method === "POST")!;
    expect(post.url).toBe("/api/v1/entrusted/inspections");
    expect(post.data).toMatchObject({ unit: "entrusted-rental", findings: "凭证开具不规范", followUp: "补交凭证", followUpBy: "2099-01-31" });
  });

  it("puts the server's refusal under the field it names", async () => {
    routeApi(() => ({ statusCode: 400, data: { error: { code: "invalid_input", message: "输入有误", fields: { inspectedOn: "检查日期不能晚于今天" } } } }));
    render(<EntrustedPage />);
    fireEvent.click(await byId("inspect-entrusted-rental"));
    fireEvent.change(document.getElementById("f-findings")!, { target: { value: "正常" } });
    fireEvent.click(document.getElementById("inspect-submit")!);
    await waitFor(() => expect(document.getElementById("f-inspectedOn-field")!.textContent).toContain("检查日期不能晚于今天"));
  });

  it("marks a follow-up done only with a note", async () => {
    routeApi(() => ({ statusCode: 200, data: { ...overdue, followUpDoneOn: "2026-12-05", followUpNote: "已解缴", overdue: false } }));
    render(<EntrustedPage />);
    fireEvent.click(await byId("follow-open-i1"));
    fireEvent.click(document.getElementById("done-submit")!);
    await waitFor(() => expect(document.getElementById("done-note-error")!.textContent).toBe("请填写整改情况"));
    fireEvent.change(document.getElementById("done-note")!, { target: { value: "已解缴" } });
    fireEvent.click(document.getElementById("done-submit")!);
    await waitFor(() => expect(document.getElementById("entrusted-notice")?.textContent).toBe("已记录整改完成"));
    expect(calls().find((c) => c.method === "POST")).toMatchObject({ url: "/api/v1/entrusted/inspections/i1/done", data: { note: "已解缴" } });
  });

  it("lets a coordinator read without recording, in English too", async () => {
    setLocale("en");
    setSession("tok", { ...officer, roles: ["coordinator"] });
    routeApi();
    render(<EntrustedPage />);
    const follow = await byId("follow-i1");
    expect(follow.textContent).toContain("Overdue, was due 2026-11-30");
    expect(document.getElementById("inspect-entrusted-rental")).toBeNull();
    expect(document.getElementById("follow-open-i1")).toBeNull();
  });

  it("tells a reporter which roles the page is for", () => {
    setSession("tok", { ...officer, roles: ["reporter"] });
    render(<EntrustedPage />);
    expect(document.getElementById("guard-role")).not.toBeNull();
  });

  it("is linked from the home of tax officers and coordinators only", () => {
    vi.mocked(Taro.request).mockImplementation((async () => ({ statusCode: 200, data: { quizzes: [] } })) as never);
    const { unmount } = render(<HomePage />);
    fireEvent.click(document.getElementById("entry-entrusted")!);
    expect(vi.mocked(Taro.navigateTo)).toHaveBeenCalledWith({ url: "/pages/entrusted/index" });
    unmount();
    setSession("tok", { ...officer, roles: ["reporter"] });
    render(<HomePage />);
    expect(document.getElementById("entry-entrusted")).toBeNull();
  });
});

describe("oversight figures", () => {
  it("show a collector's overdue follow-ups with the other figures, and nothing for units without any", async () => {
    const figures = { ...emptyFigures(), onTime: 1, late: 0, overdue: 0, missingFeeds: 0, overdueFollowUps: 2 };
    const quiet = { ...emptyFigures(), onTime: 1, late: 0, overdue: 0, missingFeeds: 0, overdueFollowUps: 0 };
    vi.mocked(Taro.request).mockImplementation((async () => ({
      statusCode: 200,
      data: {
        period: { code: "2026Q4", kind: "quarter", from: "2026-10-01", to: "2027-01-01" },
        rows: [{ unit: { code: "entrusted-rental", name: "区房屋租赁服务中心（委托代征）", type: "entrusted_collector" }, figures }, { unit: { code: "dongcun", name: "东村", type: "village" }, figures: quiet }],
        district: figures,
        notes: [],
      },
    })) as never);
    render(<FiguresView />);
    const card = await byId("figures-entrusted-rental");
    expect(card.textContent).toContain("委托代征逾期未整改 2 项");
    expect(document.getElementById("figures-dongcun")!.textContent).not.toContain("逾期未整改");
  });
});
