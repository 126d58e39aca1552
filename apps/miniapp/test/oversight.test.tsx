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
    if (url.includes("/reports/timeliness")) return { statusCode: 200, data: { period: /period=([\d-]+)/.exec(url)?.[1] ?? "2026-10", units: [{ unit: { code: "dongcun", name: "幸福镇东村村委会", type: "village" }, onTime: 3, late: 1, overdue: 2, refused: 1, missingFeeds: 1 }] } };
    if (url.includes("/api/v1/people")) return { statusCode: 200, data: [{ id: "u7", name: "赵警官", unit: { code: "jiaojing", name: "交警大队" } }] };
    if (url.endsWith("/api/v1/units")) return { statusCode: 200, data: [{ code: "jiaojing", name: "交警大队", type: "traffic_police", parent: null }] };
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
  it("tells a reporter which roles the page is for", () => {
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<OversightPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("“协调监督员、税务审核员”");
  });

  it("lists checks with user, unit, key and result, and explains why a checker is flagged", async () => {
    routeApi();
    render(<OversightPage />);
    fireEvent.click(document.getElementById("tab-checks")!);
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

  it("refilters checks by a person and a unit picked by name, never typed as ids", async () => {
    routeApi();
    render(<OversightPage />);
    fireEvent.click(document.getElementById("tab-checks")!);
    await screen.findByText("豫A12345");
    expect(document.querySelector("#checks-user input, input#checks-user")).toBeNull();
    fireEvent.click(document.getElementById("checks-unit-pick")!);
    fireEvent.click(await screen.findByText("交警大队", { selector: "#checks-unit-options span" }));
    await waitFor(() => expect(urls().at(-1)).toContain("/api/v1/clearances/checks?unit=jiaojing&limit=200"));
    fireEvent.click(document.getElementById("checks-user-pick")!);
    fireEvent.click(await screen.findByText("赵警官", { selector: "#checks-user-options span" }));
    await waitFor(() => expect(urls().filter((u) => u.includes("/checks")).at(-1)).toContain("user=u7&unit=jiaojing"));
    expect(document.getElementById("checks-user-pick")!.textContent).toContain("赵警官");
  });

  it("opens on the period the server says has data, with missing feeds, stepped by a picker", async () => {
    routeApi();
    render(<OversightPage />);
    await screen.findByText("按时 3 · 迟报 1 · 逾期 2");
    expect(urls()[0]).toBe("/api/v1/reports/timeliness");
    expect(document.getElementById("timeliness-dongcun")!.textContent).toContain("缺报定期数据 1 · 开演后才报送 1 次（未受理，不计逾期）");
    const missing = document.getElementById("missing-construction_permits-jianshe")!;
    expect(missing.textContent).toContain("建设局");
    expect(missing.textContent).toContain("已逾期");
    expect(missing.textContent).toContain("截止 2026-11-10");
    expect(urls()).toContain("/api/v1/reports/missing?period=2026-10");
    expect(document.getElementById("period-value")!.textContent).toBe("2026年10月");
    fireEvent.click(document.getElementById("period-prev")!);
    await waitFor(() => expect(urls()).toContain("/api/v1/reports/missing?period=2026-09"));
    expect(urls()).toContain("/api/v1/reports/timeliness?period=2026-09");
  });

  it("defaults the period to the previous month in China time", () => {
    expect(defaultPeriod(new Date("2026-01-01T00:30:00+08:00"))).toBe("2025-12");
  });

  it("lets a tax officer in and links to the clearance import", async () => {
    setSession("tok", { id: "t1", name: "李税", unit: { code: "shuiwu", name: "税务分局", type: "tax_bureau" }, roles: ["tax_officer"] });
    routeApi();
    render(<OversightPage />);
    await screen.findByText("按时 3 · 迟报 1 · 逾期 2");
    fireEvent.click(document.getElementById("open-import")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/clearance-import/index" });
  });
});
