import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import OversightPage from "../src/pages/oversight/index";
import { defaultPeriod } from "../src/features/oversight/api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

type Call = { url: string; method?: string };
const urls = () => vi.mocked(Taro.request).mock.calls.map((c) => (c[0] as Call).url);

const check = { at: "2026-11-26T02:30:00Z", user: { id: "u7", name: "赵警官" }, unit: { code: "jiaojing", name: "交警大队" }, kind: "vehicle_vessel", key: "豫A12345", result: "missing" };
const unusual = { from: "2026-11-20", to: "2026-11-26", median: 4, users: [{ userId: "u8", name: "钱某", unit: { code: "jiaojing", name: "交警大队" }, checks: 220, ratio: 55 }] };

function routeApi() {
  vi.mocked(Taro.request).mockImplementation((async ({ url }: Call) => {
    if (url.includes("/clearances/checks")) return { statusCode: 200, data: { checks: url.includes("day=2026-11-25") ? [] : [check, { ...check, key: "豫B88888", result: "cleared", kind: "vehicle_vessel" }] } };
    if (url.includes("/clearances/unusual")) return { statusCode: 200, data: unusual };
    if (url.includes("/reports/timeliness")) return { statusCode: 200, data: { units: [{ unit: { code: "dongcun", name: "幸福镇东村村委会", type: "village" }, onTime: 3, late: 1, overdue: 2, refused: 1, missingFeeds: 1 }] } };
    if (url.includes("/reports/missing")) return { statusCode: 200, data: { missing: [{ type: "construction_permits", period: "2026-10", unit: { code: "jianshe", name: "建设局", type: "construction_bureau" }, dueDate: "2026-11-10", overdue: true }] } };
    return { statusCode: 404, data: {} };
  }) as never);
}

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "c1", name: "陈协调", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["coordinator"] });
});
afterEach(() => clearSession());

describe("oversight page", () => {
  it("is closed to a reporter", () => {
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<OversightPage />);
    expect(screen.getByText("您的角色或单位无权进行此操作")).toBeTruthy();
  });

  it("lists checks with user, unit, key and result, and explains why a checker is flagged", async () => {
    routeApi();
    render(<OversightPage />);
    await screen.findByText("豫A12345");
    const list = document.getElementById("checks-list")!;
    expect(list.textContent).toContain("缺凭证");
    expect(list.textContent).toContain("有凭证");
    expect(list.textContent).toContain("车船税");
    expect(list.textContent).toContain("赵警官 · 交警大队 · 2026-11-26 10:30");
    const flagged = document.getElementById("unusual-u8")!;
    expect(flagged.textContent).toContain("钱某");
    expect(flagged.textContent).toContain("核验 220 次，是中位数的 55 倍");
    expect(screen.getByText("2026-11-20 至 2026-11-26，人均中位数 4 次")).toBeTruthy();
  });

  it("refilters checks by unit and day, and refuses a malformed day next to the field", async () => {
    routeApi();
    render(<OversightPage />);
    await screen.findByText("豫A12345");
    fireEvent.change(document.querySelector("#checks-day")!, { target: { value: "2026-13-01" } });
    expect(document.getElementById("checks-day-error")!.textContent).toBe("YYYY-MM-DD");
    fireEvent.change(document.querySelector("#checks-day")!, { target: { value: "2026-11-25" } });
    fireEvent.change(document.querySelector("#checks-unit")!, { target: { value: "jiaojing" } });
    fireEvent.click(document.getElementById("checks-search")!);
    await screen.findByText("没有符合条件的核验记录。");
    expect(urls().at(-1)).toContain("/api/v1/clearances/checks?unit=jiaojing&day=2026-11-25&limit=200");
  });

  it("shows per-unit timeliness and missing feeds for last month by default", async () => {
    routeApi();
    render(<OversightPage />);
    fireEvent.click(document.getElementById("tab-reports")!);
    await screen.findByText("按时 3 · 迟报 1 · 逾期 2");
    expect(urls()).toContain(`/api/v1/reports/timeliness?period=${defaultPeriod()}`);
    expect(document.getElementById("timeliness-dongcun")!.textContent).toContain("拒收迟报 1 · 缺报定期数据 1");
    const missing = document.getElementById("missing-construction_permits-jianshe")!;
    expect(missing.textContent).toContain("建设局");
    expect(missing.textContent).toContain("已逾期");
    expect(missing.textContent).toContain("截止 2026-11-10");
    fireEvent.change(document.querySelector("#report-period")!, { target: { value: "2026-9" } });
    expect(document.getElementById("report-period-error")!.textContent).toBe("期间格式为 YYYY-MM，例如 2026-10");
    fireEvent.change(document.querySelector("#report-period")!, { target: { value: "2026-09" } });
    fireEvent.click(document.getElementById("report-search")!);
    await waitFor(() => expect(urls()).toContain("/api/v1/reports/missing?period=2026-09"));
  });

  it("defaults the period to the previous month in China time", () => {
    expect(defaultPeriod(new Date("2026-01-01T00:30:00+08:00"))).toBe("2025-12");
  });

  it("lets a tax officer in and links to the clearance import", async () => {
    setSession("tok", { id: "t1", name: "李税", unit: { code: "shuiwu", name: "税务分局", type: "tax_bureau" }, roles: ["tax_officer"] });
    routeApi();
    render(<OversightPage />);
    await screen.findByText("豫A12345");
    fireEvent.click(document.getElementById("open-import")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/clearance-import/index" });
  });
});
