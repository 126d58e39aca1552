import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { fireEvent, render, screen, waitFor } from "@testing-library/react";
import ClearanceImportPage from "../src/pages/clearance-import/index";
import { ImportSummary } from "../src/components/import-summary";
import { ImportLink } from "../src/components/import-link";
import Taro from "@tarojs/taro";
import { rejectedPreview, type ClearanceImportSummary } from "../src/features/clearance-import/api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

const summary = (over: Partial<ClearanceImportSummary> = {}): ClearanceImportSummary => ({
  imported: 120, updated: 3, rejected: [], dryRun: false, complete: true, batchId: "b1", ...over,
});

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "t1", name: "李税", unit: { code: "shuiwu", name: "税务分局", type: "tax_bureau" }, roles: ["tax_officer"] });
});
afterEach(() => {
  clearSession();
  vi.unstubAllGlobals();
});

describe("import summary", () => {
  it("lists the first rejected lines in file order with their reasons and counts the rest", () => {
    const rejected = Array.from({ length: 25 }, (_, i) => ({ line: 50 - i, reason: `plate: 车牌格式不正确 ${50 - i}` }));
    render(<ImportSummary summary={summary({ rejected })} />);
    const lines = [...document.querySelectorAll("#import-rejected-lines .rowerr")].map((e) => e.textContent);
    expect(lines).toHaveLength(20);
    expect(lines[0]).toBe("第 26 行：plate: 车牌格式不正确 26");
    expect(lines[19]).toBe("第 45 行：plate: 车牌格式不正确 45");
    expect(document.getElementById("import-more")!.textContent).toBe("另有 5 行被拒收，完整清单可用命令行导入查看。");
    expect(document.getElementById("import-rejected")!.textContent).toBe("25拒收");
    expect(document.getElementById("import-imported")!.textContent).toBe("120新增");
  });

  it("says a dry run wrote nothing and an incomplete run rolled back its failed batch", () => {
    render(<ImportSummary summary={summary({ dryRun: true, complete: false, failedBatch: { fromLine: 1001, toLine: 1500, rows: 500, reason: "文件被截断" } })} />);
    expect(screen.getByText("试导入结果（未写入）")).toBeTruthy();
    expect(document.getElementById("import-incomplete")!.textContent).toBe("导入未完成：第 1001–1500 行这一批已回滚（文件被截断），之前的行已导入。");
  });

  it("counts every rejected line when the server listed only the first 1,000", () => {
    const rejected = Array.from({ length: 1000 }, (_, i) => ({ line: i + 2, reason: "amount: 金额格式不正确" }));
    render(<ImportSummary summary={summary({ imported: 0, updated: 0, rejected, rejectedCount: 200_000, rejectedTruncated: true })} />);
    expect(document.getElementById("import-rejected")!.textContent).toBe("200000拒收");
    expect(document.getElementById("import-more")!.textContent).toBe("共有 200000 行被拒收，这里只列出前 20 行：请修正后重新试导入。");
    expect(document.querySelectorAll("#import-rejected-lines .rowerr")).toHaveLength(20);
  });

  it("keeps the preview's limit", () => {
    expect(rejectedPreview(summary({ rejected: [{ line: 3, reason: "x" }] }), 20)).toEqual({ shown: [{ line: 3, reason: "x" }], more: 0, total: 1, truncated: false });
  });
});

describe("import page", () => {
  it("tells a reporter which roles may import", () => {
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<ClearanceImportPage />);
    expect(document.getElementById("guard-role")!.textContent).toContain("税务审核员、协调监督员、管理员");
  });

  it("uploads the picked CSV as the raw body of a dry run and shows the rejected lines", async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      new Response(JSON.stringify(summary({ imported: 2, updated: 0, dryRun: true, rejected: [{ line: 4, reason: "vin: 车架号校验位不正确" }] })), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<ClearanceImportPage />);
    expect(document.getElementById("import-submit")!.className).toContain("btn--disabled");

    const click = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(function (this: HTMLInputElement) {
      const file = new File(["certificate_no,kind\n"], "完税凭证.csv", { type: "text/csv" });
      Object.defineProperty(this, "files", { value: [file] });
      this.dispatchEvent(new Event("change"));
    });
    fireEvent.click(document.getElementById("import-pick")!);
    await screen.findByText(/完税凭证\.csv/);
    click.mockRestore();
    fireEvent.click(document.getElementById("import-dry-run")!);
    fireEvent.click(document.getElementById("import-submit")!);

    await screen.findByText("第 4 行：vin: 车架号校验位不正确");
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe(`/api/v1/clearances/import?fileName=${encodeURIComponent("完税凭证.csv")}&dryRun=1`);
    expect(init.method).toBe("POST");
    expect((init.headers as Record<string, string>)["Content-Type"]).toBe("text/csv");
    expect((init.headers as Record<string, string>).Authorization).toBe("Bearer tok");
    expect(init.body).toBeInstanceOf(Blob);
  });

  it("lets a coordinator only dry-run, saying why, and sends dryRun=1", async () => {
    setSession("tok", { id: "c1", name: "陈协调", unit: { code: "finance-bureau", name: "区财政局", type: "finance_bureau" }, roles: ["coordinator"] });
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) => new Response(JSON.stringify(summary({ imported: 1, dryRun: true })), { status: 200 }));
    vi.stubGlobal("fetch", fetchMock);
    render(<ClearanceImportPage />);
    expect(document.getElementById("import-dry-run-only")!.textContent).toBe("只有税务人员可以正式导入完税凭证数据；协调员和管理员可以先试导入（只检查，不写入）");
    expect(document.getElementById("import-dry-run")!.className).toContain("chip--on");
    fireEvent.click(document.getElementById("import-dry-run")!);
    expect(document.getElementById("import-dry-run")!.className).toContain("chip--on");
    const click = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(function (this: HTMLInputElement) {
      Object.defineProperty(this, "files", { value: [new File(["certificate_no,kind\n"], "c.csv", { type: "text/csv" })] });
      this.dispatchEvent(new Event("change"));
    });
    fireEvent.click(document.getElementById("import-pick")!);
    await screen.findByText(/c\.csv/);
    click.mockRestore();
    fireEvent.click(document.getElementById("import-submit")!);
    await screen.findByText("试导入结果（未写入）");
    expect(fetchMock.mock.calls[0]![0]).toBe("/api/v1/clearances/import?fileName=c.csv&dryRun=1");
  });

  it("refuses a file that is not CSV or XLSX before uploading", async () => {
    const fetchMock = vi.fn();
    vi.stubGlobal("fetch", fetchMock);
    render(<ClearanceImportPage />);
    const click = vi.spyOn(HTMLInputElement.prototype, "click").mockImplementation(function (this: HTMLInputElement) {
      Object.defineProperty(this, "files", { value: [new File(["x"], "photo.jpg")] });
      this.dispatchEvent(new Event("change"));
    });
    fireEvent.click(document.getElementById("import-pick")!);
    // Said next to the import button.
    await waitFor(() => expect(document.getElementById("import-submit-feedback")?.textContent).toBe("只接受 CSV 或 Excel（.xlsx）文件"));
    click.mockRestore();
    expect(fetchMock).not.toHaveBeenCalled();
  });
});

describe("import link", () => {
  it("takes a tax officer to the import page and is hidden from a reporter", () => {
    const { unmount } = render(<ImportLink />);
    fireEvent.click(document.getElementById("open-clearance-import")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/clearance-import/index" });
    unmount();
    setSession("tok", { id: "r1", name: "王芳", unit: { code: "dongcun", name: "东村", type: "village" }, roles: ["reporter"] });
    render(<ImportLink />);
    expect(document.getElementById("open-clearance-import")).toBeNull();
  });
});
