import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen } from "@testing-library/react";
import Taro from "@tarojs/taro";
import { cstDate } from "@xieshui/core";
import TargetsPage from "../src/pages/targets/index";
import OversightPage from "../src/pages/oversight/index";
import { barPercent } from "../src/features/targets/api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

type Call = { url: string };
const NEXT_YEAR = Number(cstDate(new Date()).slice(0, 4)) + 1;
const line = (tax: string, targetFen: string | null, actualFen: string, share: number | null, status: string) => ({ tax, targetFen, actualFen, share, status });
const progress = (year: number) => ({
  year,
  through: "2026-11",
  monthsElapsed: 11,
  yearShare: 11 / 12,
  empty: false,
  noTargets: false,
  towns: [
    { unit: { code: "xingfu-town", name: "幸福镇" }, taxes: [line("property_tax", "1200000000", "1050000000", 0.875, "on_track"), line("urban_land_use_tax", null, "0", null, "no_target"), line("vehicle_vessel_tax", "300000000", "315000000", 1.05, "ahead"), line("resource_tax", "150000000", "64000000", 0.4266, "behind")] },
  ],
  district: [line("property_tax", "1200000000", "1050000000", 0.875, "on_track"), line("urban_land_use_tax", null, "0", null, "no_target"), line("vehicle_vessel_tax", "300000000", "315000000", 1.05, "ahead"), line("resource_tax", "150000000", "64000000", 0.4266, "behind")],
});

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "t1", name: "李税", unit: { code: "tax-bureau", name: "税务局", type: "tax_bureau" }, roles: ["tax_officer"] });
  vi.mocked(Taro.request).mockImplementation((async ({ url }: Call) => {
    const year = Number(/year=(\d+)/.exec(url)?.[1]);
    if (url.includes("/targets/progress")) return year === NEXT_YEAR ? { statusCode: 200, data: { ...progress(2027), through: null, monthsElapsed: 0, yearShare: 0, noTargets: true } } : { statusCode: 200, data: progress(year) };
    return { statusCode: 404, data: {} };
  }) as never);
});
afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("targets page", () => {
  it("tells a reporter which roles the page is for", () => {
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<TargetsPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("协调监督员、税务审核员");
  });

  it("shows per tax a bar per town with target, actual and share, behind in red, and no target in words", async () => {
    render(<TargetsPage />);
    await screen.findByText("入库数据截至 2026-11（时间进度 91.7%）");
    const town = document.getElementById("bar-property_tax-xingfu-town")!;
    expect(town.textContent).toContain("幸福镇");
    expect(town.textContent).toContain("累计入库 1,050.00 / 年度目标 1,200.00 万元 · 87.5%");
    expect(town.textContent).toContain("符合进度");
    const behind = document.getElementById("bar-resource_tax-xingfu-town")!;
    expect(behind.querySelector(".tbar__fill--behind")).toBeTruthy();
    expect(behind.querySelector(".tbar__status--behind")!.textContent).toBe("落后");
    expect(document.getElementById("bar-urban_land_use_tax-xingfu-town")!.textContent).toContain("未下达目标");
    expect(document.getElementById("bar-urban_land_use_tax-xingfu-town")!.querySelector(".tbar__track")).toBeNull();
    expect(document.getElementById("tax-vehicle_vessel_tax")!.textContent).toContain("车船税");
    expect(document.body.textContent).not.toMatch(/property_tax|no_target|on_track/);
  });

  it("switches year and says when a year has no targets yet", async () => {
    render(<TargetsPage />);
    await screen.findByText(/入库数据截至/);
    fireEvent.click(document.getElementById(`year-${NEXT_YEAR}`)!);
    await screen.findByText("本年度尚未下达地方留成税收目标");
    expect(document.getElementById("targets-through")!.textContent).toBe("本年度还没有导入入库数据");
    expect(vi.mocked(Taro.request).mock.calls.some((c) => (c[0] as Call).url.endsWith(`year=${NEXT_YEAR}`))).toBe(true);
  });

  it("speaks English", async () => {
    setLocale("en");
    render(<TargetsPage />);
    await screen.findByText("Actuals up to 2026-11 (share of year 91.7%)");
    expect(document.getElementById("bar-resource_tax-xingfu-town")!.textContent).toContain("Behind");
  });

  it("uploads actuals as the raw body with kind and dryRun, and lists rejected lines with their numbers", async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      new Response(JSON.stringify({ kind: "actuals", imported: 10, updated: 0, dryRun: true, rejectedCount: 1, importId: "i1", rejected: [{ line: 5, reason: "镇街：没有这个镇街：“东村”" }] }), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<TargetsPage />);
    const click = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(function (this: HTMLInputElement) {
      Object.defineProperty(this, "files", { value: [new File(["月份,镇街,税种,入库税款(元)\n"], "入库.csv", { type: "text/csv" })] });
      this.dispatchEvent(new Event("change"));
    });
    fireEvent.click(document.getElementById("import-pick")!);
    await screen.findByText(/入库\.csv/);
    click.mockRestore();
    fireEvent.click(document.getElementById("import-dry-run")!);
    fireEvent.click(document.getElementById("import-submit")!);
    await screen.findByText("第 5 行：镇街：没有这个镇街：“东村”");
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(`/api/v1/targets/import?kind=actuals&fileName=${encodeURIComponent("入库.csv")}&dryRun=1`);
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("text/csv");
    expect(init.body).toBeInstanceOf(Blob);
    expect(document.getElementById("import-rejected")!.textContent).toBe("1拒收");
  });

  it("sends kind=targets when targets are chosen, and shows a refused header's reason", async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ error: { code: "invalid_input", message: "表头缺少：税种。第 1 行应为：年度,镇街,税种,目标(元)", fields: { file: "表头缺少：税种。第 1 行应为：年度,镇街,税种,目标(元)" } } }), { status: 400 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<TargetsPage />);
    fireEvent.click(document.getElementById("kind-targets")!);
    const click = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(function (this: HTMLInputElement) {
      Object.defineProperty(this, "files", { value: [new File(["x"], "t.xlsx")] });
      this.dispatchEvent(new Event("change"));
    });
    fireEvent.click(document.getElementById("import-pick")!);
    await screen.findByText(/t\.xlsx/);
    click.mockRestore();
    fireEvent.click(document.getElementById("import-submit")!);
    await screen.findByText("表头缺少：税种。第 1 行应为：年度,镇街,税种,目标(元)");
    expect(String((fetchMock.mock.calls[0] as unknown as [string])[0])).toContain("kind=targets");
  });

  it("caps a bar at the target and is linked from the oversight page", () => {
    expect(barPercent(1.3)).toBe(100);
    expect(barPercent(null)).toBe(0);
    setSession("tok", { id: "c1", name: "陈协调", unit: { code: "caizheng", name: "财政局", type: "finance_bureau" }, roles: ["coordinator"] });
    render(<OversightPage />);
    fireEvent.click(document.getElementById("open-targets")!);
    expect(vi.mocked(Taro.navigateTo)).toHaveBeenCalledWith({ url: "/pages/targets/index" });
  });
});
