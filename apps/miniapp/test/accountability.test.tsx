import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import AccountabilityPage from "../src/pages/accountability/index";
import { recentPeriods } from "../src/features/oversight/figures-api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

type Call = { url: string };
const quarter = recentPeriods("quarter")[0]!;
const urls = () => vi.mocked(Taro.request).mock.calls.map((c) => (c[0] as Call).url);

const list = (over: Record<string, unknown> = {}) => ({
  quarter,
  from: "2026-10-01",
  to: "2026-12-31",
  asOf: "2026-12-05",
  empty: false,
  items: [
    {
      unit: { code: "dongzhuang", name: "红旗镇东庄村委会", town: "红旗镇" },
      duty: { kind: "task", kindLabel: "例会交办任务", text: "清查辖区出租房屋（2026-10-20 例会）" },
      dueOn: "2026-11-05",
      daysLate: 30,
      done: false,
      doneOn: null,
      reminders: [
        { stage: 1, label: "提醒经办人员", on: "2026-11-06", recipients: 2, text: "2026-11-06 提醒经办人员（2 人）" },
        { stage: 2, label: "提醒单位管理员", on: "2026-11-09", recipients: 0, text: "2026-11-09 提醒单位管理员：无人可通知" },
        { stage: 3, label: "通报协调人", on: "2026-11-13", recipients: 2, text: "2026-11-13 通报协调人（2 人）" },
      ],
    },
    {
      unit: { code: "builder", name: "区住建局", town: null },
      duty: { kind: "feed", kindLabel: "定期数据报送", text: "施工许可及容积率小于1.0项目（月报） 2026-10 期" },
      dueOn: "2026-11-10",
      daysLate: 2,
      done: true,
      doneOn: "2026-11-12",
      reminders: [],
    },
  ],
  rule: "职责在应完成日期的次日起算逾期。",
  file: { fileName: `责任追究名单-${quarter}.xlsx`, url: `/api/v1/oversight/accountability?quarter=${quarter}&format=xlsx` },
  ...over,
});

function answer(body: unknown, statusCode = 200) {
  vi.mocked(Taro.request).mockImplementation((async ({ url }: Call) => (url.includes("/oversight/accountability") ? { statusCode, data: body } : { statusCode: 404, data: {} })) as never);
}

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "c1", name: "陈协调", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["coordinator"] });
});
afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("accountability page", () => {
  it("lists the current quarter's overdue duties with unit, duty, due date, days late and the reminders sent", async () => {
    answer(list());
    render(<AccountabilityPage />);
    await screen.findByText("红旗镇东庄村委会");
    expect(urls()[0]).toBe(`/api/v1/oversight/accountability?quarter=${quarter}`);
    const first = document.getElementById("duty-0")!;
    expect(first.textContent).toContain("逾期 30 天");
    expect(first.textContent).toContain("例会交办任务 · 清查辖区出租房屋（2026-10-20 例会）");
    expect(first.textContent).toContain("应完成日期 2026-11-05 · 尚未完成");
    expect([...first.querySelectorAll(".reminders__step")].map((e) => e.textContent)).toEqual([
      "2026-11-06 提醒经办人员（2 人）",
      "2026-11-09 提醒单位管理员：无人可通知",
      "2026-11-13 通报协调人（2 人）",
    ]);
    const second = document.getElementById("duty-1")!;
    expect(second.textContent).toContain("已于 2026-11-12 完成");
    expect(second.textContent).toContain("未发提醒");
    expect(document.getElementById("accountability-count")!.textContent).toBe("共 2 项");
    expect(document.querySelector(".page")!.textContent).not.toMatch(/\b(task|feed|dongzhuang|builder|null|undefined)\b/);
  });

  it("says so when nothing was overdue in the quarter", async () => {
    answer(list({ empty: true, items: [] }));
    render(<AccountabilityPage />);
    await waitFor(() => expect(document.getElementById("accountability-empty")).not.toBeNull());
    expect(document.getElementById("accountability-empty")!.textContent).toBe(`${quarter} 没有逾期未履行的职责。`);
    expect(document.getElementById("accountability-list")!.children).toHaveLength(0);
  });

  it("downloads the workbook with the session's token and says it did", async () => {
    answer(list());
    const fetch = vi.fn(async () => new Response(new Blob(["xlsx"]), { status: 200 }));
    vi.stubGlobal("fetch", fetch);
    URL.createObjectURL = vi.fn(() => "blob:x");
    URL.revokeObjectURL = vi.fn();
    render(<AccountabilityPage />);
    await screen.findByText("红旗镇东庄村委会");
    fireEvent.click(document.getElementById("accountability-download")!);
    await waitFor(() => expect(document.getElementById("accountability-download-message")!.textContent).toBe(`已下载 责任追究名单-${quarter}.xlsx`));
    const [url, init] = fetch.mock.calls[0] as unknown as [string, { headers: Record<string, string> }];
    expect(url).toBe(`/api/v1/oversight/accountability?quarter=${quarter}&format=xlsx`);
    expect(init.headers.Authorization).toBe("Bearer tok");
  });

  it("shows the server's refusal in the user's language instead of a list", async () => {
    setLocale("en");
    answer({ error: { code: "invalid_input", message: "Invalid input", fields: { quarter: "2027Q1 has not started yet: there is nothing to count" } } }, 400);
    render(<AccountabilityPage />);
    await waitFor(() => expect(document.querySelector(".notice--error")).not.toBeNull());
    expect(document.getElementById("accountability-summary")).toBeNull();
    expect(document.querySelector(".page")!.textContent).toContain("Accountability");
  });

  it("tells a reporter which roles the page is for", () => {
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<AccountabilityPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("协调监督员");
    expect(Taro.request).not.toHaveBeenCalled();
  });
});
