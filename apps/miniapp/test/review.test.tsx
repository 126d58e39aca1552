import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, renderHook, render, screen, waitFor, fireEvent } from "@testing-library/react";
import Taro from "@tarojs/taro";
import { useReview } from "../src/features/review/use-review";
import { filterQuery } from "../src/features/review/api";
import { feedErrorLines, feedRows, currentFeedPeriod } from "../src/features/report/feeds";
import { constructionPermitsFeed } from "@xieshui/core";
import ReviewPage from "../src/pages/review/index";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";
import type { ReportView } from "../src/features/report/api";

const officerUnit = { code: "shuiwu", name: "税务分局", type: "tax_bureau" as const };
const view = (over: Partial<ReportView> = {}): ReportView => ({
  id: "r1", type: "rental", status: "submitted", timeliness: "on_time", unit: { code: "dongcun", name: "东村村委会" }, reporter: "王芳",
  summary: "幸福镇东村3组12号 · 李四 · 2026-11-01", data: {}, period: null, nil: false, rowCount: 0, possibleDuplicateOf: null, dueAt: null,
  createdAt: "2026-11-20T02:00:00Z", reviewedAt: null, reviewComment: null, photos: 0, version: 1, returnedFields: [], ...over,
});

beforeEach(() => setLocale("zh-CN"));
afterEach(() => clearSession());

describe("review decision", () => {
  it("refuses to return a report without a reason, next to the comment field, and sends nothing", async () => {
    const reviewReport = vi.fn();
    const confirm = vi.fn(async () => true);
    const { result } = renderHook(() => useReview("r1", { reviewReport, confirm }));
    await act(() => result.current.returnReport());
    expect(result.current.fields.comment).toBe("退回时请写明原因，方便报送人修改");
    expect(confirm).not.toHaveBeenCalled();
    expect(reviewReport).not.toHaveBeenCalled();
  });

  it("asks before a decision and sends nothing when the officer cancels", async () => {
    const reviewReport = vi.fn();
    const confirm = vi.fn(async () => false);
    const { result } = renderHook(() => useReview("r1", { reviewReport, confirm }));
    await act(() => result.current.accept());
    act(() => result.current.setComment("地址写错了"));
    await act(() => result.current.returnReport());
    expect(confirm.mock.calls).toEqual([["accept", ""], ["return", "地址写错了"]]);
    expect(reviewReport).not.toHaveBeenCalled();
  });

  it("returns with a reason and accepts without one", async () => {
    const reviewReport = vi.fn(async (_id: string, decision: "accept" | "return", comment: string) =>
      view({ status: decision === "accept" ? "accepted" : "returned", reviewComment: comment || null }));
    const confirm = vi.fn(async () => true);
    const { result } = renderHook(() => useReview("r1", { reviewReport, confirm }));
    act(() => result.current.setComment("与西村重复"));
    await act(() => result.current.returnReport());
    expect(reviewReport).toHaveBeenCalledWith("r1", "return", "与西村重复", []);
    expect(result.current.done).toMatchObject({ status: "returned", reviewComment: "与西村重复" });

    const other = renderHook(() => useReview("r2", { reviewReport, confirm }));
    await act(() => other.result.current.accept());
    expect(reviewReport).toHaveBeenLastCalledWith("r2", "accept", "", []);
  });
});

describe("naming the fields concerned", () => {
  it("sends the named fields with a return, and none with an accept", async () => {
    const reviewReport = vi.fn(async () => view({ status: "returned" }));
    const confirm = vi.fn(async () => true);
    const { result } = renderHook(() => useReview("r1", { reviewReport, confirm }));
    act(() => result.current.setComment("租期请核对"));
    act(() => result.current.toggleReturnField("leaseEnd"));
    act(() => result.current.toggleReturnField("address"));
    act(() => result.current.toggleReturnField("address"));
    expect(result.current.returnFields).toEqual(["leaseEnd"]);
    await act(() => result.current.returnReport());
    expect(reviewReport).toHaveBeenCalledWith("r1", "return", "租期请核对", ["leaseEnd"]);
    const other = renderHook(() => useReview("r2", { reviewReport, confirm }));
    act(() => other.result.current.toggleReturnField("leaseEnd"));
    await act(() => other.result.current.accept());
    expect(reviewReport).toHaveBeenLastCalledWith("r2", "accept", "", []);
  });
});

describe("review inbox page", () => {
  it("tells a reporter the page is for tax officers", () => {
    setSession("tok", { id: "u1", name: "王芳", unit: { code: "dongcun", name: "东村村委会", type: "village" }, roles: ["reporter"] });
    render(<ReviewPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("“税务审核员”");
  });

  it("lists the inbox with the duplicate flag and refilters by type", async () => {
    setSession("tok", { id: "u9", name: "李税", unit: officerUnit, roles: ["tax_officer"] });
    const request = vi.mocked(Taro.request);
    request.mockImplementation((async (o: { url: string }) =>
      o.url.includes("/inbox") ? { statusCode: 200, data: { reports: [view({ possibleDuplicateOf: "r0" })] } } : { statusCode: 200, data: [] }) as never);
    render(<ReviewPage />);
    await screen.findByText("可能重复");
    const inbox = () => request.mock.calls.map((c) => (c[0] as { url: string }).url).filter((u) => u.includes("/inbox"));
    expect(inbox()[0]).toMatch(/\/api\/v1\/reports\/inbox\?status=submitted&period=\d{4}-\d{2}$/);
    // Type, status and period sit in one row; the type's options open under it.
    expect(document.getElementById("filter-unit-pick")).toBeNull();
    fireEvent.click(document.getElementById("filter-type")!);
    fireEvent.click(document.getElementById("filter-type-options-rental")!);
    await waitFor(() => expect(inbox().at(-1)).toContain("type=rental"));
    expect(document.getElementById("export-xlsx")).toBeTruthy();
    fireEvent.click(document.getElementById("inbox-r1")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/review-detail/index?id=r1" });
  });

  it("picks the unit by name behind 更多筛选 and sends its code, never shows it", async () => {
    setSession("tok", { id: "u9", name: "李税", unit: officerUnit, roles: ["tax_officer"] });
    const request = vi.mocked(Taro.request);
    request.mockImplementation((async (o: { url: string }) => {
      if (o.url.includes("/inbox")) return { statusCode: 200, data: { reports: [] } };
      if (o.url.endsWith("/api/v1/units")) return { statusCode: 200, data: [{ code: "xicun", name: "幸福镇西村村委会", type: "village", parent: "xingfu" }] };
      return { statusCode: 200, data: [] };
    }) as never);
    render(<ReviewPage />);
    await screen.findByText("清除筛选");
    fireEvent.click(document.getElementById("filter-more")!);
    fireEvent.click(document.getElementById("filter-unit-pick")!);
    fireEvent.change(document.querySelector("#filter-unit-search")!, { target: { value: "西村" } });
    fireEvent.click(await screen.findByText("幸福镇西村村委会", { selector: "#filter-unit-options span" }));
    await waitFor(() => expect(request.mock.calls.map((c) => (c[0] as { url: string }).url).some((u) => u.includes("/inbox") && u.includes("unit=xicun"))).toBe(true));
    expect(document.body.textContent).not.toContain("xicun");
  });

  it("builds export and inbox queries without empty filters", () => {
    expect(filterQuery({ type: "rental", unit: " ", reporter: "", status: "", period: "2026-11", format: "xlsx" })).toBe("type=rental&period=2026-11&format=xlsx");
  });
});

describe("periodic feeds", () => {
  it("files last month's period and marks a feed missing after its due day", () => {
    expect(currentFeedPeriod(new Date("2026-11-05T00:00:00+08:00"))).toBe("2026-10");
    const status = { type: constructionPermitsFeed.code, period: "2026-10", dueDate: "2026-11-10", overdue: true, filed: null };
    const [row] = feedRows([status, { ...status, type: "no_such_feed" }]);
    expect(row).toMatchObject({ feed: constructionPermitsFeed, dueDate: "2026-11-10", overdue: true, filed: null });
    expect(feedRows([status, { ...status, type: "rental" }])).toHaveLength(1);
  });

  it("turns a refused upload into a per-row report in line order", () => {
    const lines = feedErrorLines(constructionPermitsFeed.code, { "rows.12.plotRatio": "须大于 0", "rows.2.issuedOn": "日期不正确", "columns.其他": "不认识的列" }, "zh-CN");
    expect(lines).toEqual(["列“其他”：不认识的列", "第 2 行 · 发证日期：日期不正确", "第 12 行 · 容积率：须大于 0"]);
  });
});
