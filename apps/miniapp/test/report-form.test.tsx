import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import { addDays, cstDate, formatCst, withIdCheckChar, withUsccCheckChar, RENTAL_FIELDS, t } from "@xieshui/core";
import { joinDateTime, splitDateTime } from "../src/components/report-field";
import ReportFormPage from "../src/pages/report-form/index";
import ReportPage from "../src/pages/report/index";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";
import { loadDraft } from "../src/features/report/drafts";
import { toData, validateForm, eventType } from "../src/features/report/form-model";

const ID = withIdCheckChar("41010619800101001");
const USCC = withUsccCheckChar("91410100MA0000001");
const today = cstDate(new Date());
const unit = { code: "dongcun", name: "东村村委会", type: "village" as const };
const request = Taro.request as unknown as Mock<(o: unknown) => Promise<{ statusCode: number; data: unknown }>>;

type Call = { url: string; method?: string; data?: unknown };
function routeApi(routes: Record<string, (c: Call) => { statusCode: number; data: unknown }>) {
  request.mockImplementation(async (o: unknown) => {
    const c = o as Call;
    const key = Object.keys(routes).find((k) => `${c.method ?? "GET"} ${c.url}`.startsWith(k));
    if (!key) throw new Error(`no route for ${c.method} ${c.url}`);
    return routes[key]!(c);
  });
}
const posts = () => request.mock.calls.map((c) => c[0] as Call).filter((c) => c.method === "POST" && c.url === "/api/v1/reports");
const noDuplicates = () => ({ statusCode: 200, data: { duplicates: [] } });

function openForm(type = "rental") {
  vi.mocked(Taro.useRouter).mockReturnValue({ params: { type } } as never);
  return render(<ReportFormPage />);
}
const input = (name: string) => document.querySelector(`#f-${name}`) as HTMLInputElement;
function fill(values: Record<string, string>) {
  for (const [name, value] of Object.entries(values)) fireEvent.change(input(name), { target: { value } });
}
function fillRental(over: Record<string, string> = {}) {
  fill({ address: "幸福镇东村3组12号", landlordName: "张三", landlordIdNo: ID, tenantName: "李四", tenantIdNo: USCC, monthlyRent: "1200", area: "85.5", leaseStart: today, leaseEnd: "2099-01-01", ...over });
  fireEvent.click(document.getElementById("f-use-residential")!);
}
const submit = () => fireEvent.click(document.getElementById("report-submit")!);

beforeEach(() => {
  setLocale("zh-CN");
  setSession("tok", { id: "u1", name: "王芳", unit, roles: ["reporter"] });
});
afterEach(() => clearSession());

describe("report form generated from the registry", () => {
  it("shows every rental field in registry order with its label, hint and input kind", () => {
    openForm();
    const labels = [...document.querySelectorAll(".field__label")].map((e) => e.textContent);
    expect(labels.slice(0, RENTAL_FIELDS.length)).toEqual(RENTAL_FIELDS.map((f) => t("zh-CN", f.labelKey) + (f.required ? "" : "（选填）")));
    expect(screen.getByText("居住")).toBeTruthy();
    expect(screen.getByText("经营")).toBeTruthy();
    expect(document.querySelector("#f-note")?.tagName).toBe("TEXTAREA");
    expect(document.getElementById("f-leaseStart-pick")).toBeTruthy();
    expect(screen.getByText("租期开始后 30 天内登记")).toBeTruthy();
    expect(document.getElementById("f-note-count")?.textContent).toBe("0/500");
  });

  it("lists only the types the unit files, with a saved-draft mark", () => {
    render(<ReportPage />);
    expect(screen.getByText("承租房屋登记")).toBeTruthy();
    expect(screen.queryByText("外来演出报告")).toBeNull();
    fireEvent.click(document.getElementById("type-rental")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/report-form/index?type=rental" });
  });

  it("reads typed text with core's one reader, and the schema says when a number is not a number", () => {
    const rental = eventType("rental")!;
    const data = toData(rental, { monthlyRent: "１,２００元", area: "abc", note: "", address: "东村５组，８号" });
    expect(data.monthlyRent).toBe(1200);
    expect(data.address).toBe("东村５组，８号");
    expect("note" in data).toBe(false);
    const r = validateForm(rental, { monthlyRent: "１,２００元", area: "abc" }, "zh-CN");
    expect(!r.ok && r.fields.area).toBe("请填写数字，例如 1200");
    expect(!r.ok && r.fields.use).toBe("请选择用途");
    const vehicle = eventType("vehicle_no_clearance")!;
    expect(toData(vehicle, { missingYears: "2026,2025" }).missingYears).toEqual([2025, 2026]);
  });
});

describe("client validation next to each field", () => {
  it("puts a bad ID number's message under that field and sends nothing", async () => {
    openForm();
    fillRental({ landlordIdNo: "410106198001010010" });
    submit();
    await waitFor(() => expect(document.getElementById("f-landlordIdNo-error")?.textContent).toBe("身份证号最后一位（校验码）对不上，可能有一位输错了，请逐位核对"));
    expect(document.getElementById("f-landlordName-error")).toBeNull();
    // Announced next to the button, and the page goes to the field.
    expect(document.getElementById("report-submit-feedback")?.textContent).toContain("1 处需要修改");
    expect(Taro.pageScrollTo).toHaveBeenCalledWith(expect.objectContaining({ selector: "#f-landlordIdNo-field" }));
    expect(request).not.toHaveBeenCalled();
  });

  it("shows cross-field rules and English messages from the same schema", () => {
    const rental = eventType("rental")!;
    const r = validateForm(rental, { address: "x", landlordName: "a", landlordIdNo: ID, tenantName: "b", tenantIdNo: ID, use: "business", monthlyRent: "1", area: "1", leaseStart: "2026-05-01", leaseEnd: "2026-04-01" }, "en");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.fields.leaseEnd).toBe(t("en", "report-lease-end-before-start"));
  });

  it("maps server field errors (data.<field>) under the fields", async () => {
    routeApi({
      "POST /api/v1/reports/duplicates": noDuplicates,
      "POST /api/v1/reports": () => ({ statusCode: 400, data: { error: { code: "invalid_input", message: "输入有误", fields: { "data.address": "地址已注销" } } } }),
    });
    openForm();
    fillRental();
    submit();
    await waitFor(() => expect(document.getElementById("f-address-error")?.textContent).toBe("地址已注销"));
  });
});

describe("drafts and the stable clientId", () => {
  it("keeps a draft on the device, restores it when the page opens again, and clears it after submit", async () => {
    const first = openForm();
    fill({ address: "幸福镇东村3组12号", tenantName: "李四" });
    const saved = loadDraft("rental")!;
    expect(saved.values.address).toBe("幸福镇东村3组12号");
    expect(saved.clientId).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    first.unmount();

    openForm();
    expect(input("address").value).toBe("幸福镇东村3组12号");
    expect(document.getElementById("draft-restored")).toBeTruthy();
    expect(loadDraft("rental")!.clientId).toBe(saved.clientId);

    routeApi({
      "POST /api/v1/reports/duplicates": noDuplicates,
      "POST /api/v1/reports": () => ({ statusCode: 201, data: { id: "r1", status: "submitted", timeliness: "on_time", possibleDuplicateOf: null } }),
    });
    fillRental();
    submit();
    await waitFor(() => expect(document.getElementById("result-timeliness")?.textContent).toBe("按时"));
    expect(document.getElementById("result-status")?.textContent).toBe("待审核");
    expect((posts()[0]!.data as { clientId: string }).clientId).toBe(saved.clientId);
    expect(loadDraft("rental")).toBeNull();
  });

  it("retries a failed submit with the same clientId, and a double tap sends one request", async () => {
    let attempt = 0;
    routeApi({
      "POST /api/v1/reports/duplicates": noDuplicates,
      "POST /api/v1/reports": () => {
        attempt += 1;
        if (attempt === 1) throw new Error("network down"); // the first answer is lost
        return { statusCode: 200, data: { id: "r1", status: "submitted", timeliness: "on_time", possibleDuplicateOf: null } };
      },
    });
    openForm();
    fillRental();
    submit();
    await waitFor(() => expect(document.getElementById("report-submit-feedback")?.textContent).toBe(t("zh-CN", "fs-network-draft")));
    expect(loadDraft("rental")).not.toBeNull();
    await act(async () => {
      submit();
      submit();
    });
    await waitFor(() => expect(document.getElementById("result-timeliness")).toBeTruthy());
    const ids = posts().map((c) => (c.data as { clientId: string }).clientId);
    expect(ids).toHaveLength(2);
    expect(new Set(ids).size).toBe(1);
  });
});

describe("duplicates before submitting", () => {
  it("asks 已由…报送，是否补充？ and files only when the reporter continues", async () => {
    routeApi({
      "POST /api/v1/reports/duplicates": () => ({
        statusCode: 200,
        data: { duplicates: [{ id: "r0", unit: { code: "xicun", name: "西村村委会" }, summary: "幸福镇东村3组12号", status: "submitted", createdAt: "2026-11-20T00:00:00Z", message: "西村村委会 已于 2026-11-20 报送过相同的内容：幸福镇东村3组12号" }] },
      }),
      "POST /api/v1/reports": () => ({ statusCode: 201, data: { id: "r1", status: "submitted", timeliness: "on_time", possibleDuplicateOf: "r0" } }),
    });
    openForm();
    fillRental();
    submit();
    await screen.findByText("已由 西村村委会 报送，是否补充？");
    const dupCall = request.mock.calls.map((c) => c[0] as Call).find((c) => c.url.startsWith("/api/v1/reports/duplicates"))!;
    expect(dupCall.url).toBe("/api/v1/reports/duplicates");
    expect(dupCall.method).toBe("POST");
    expect(dupCall.data).toMatchObject({ type: "rental", data: { landlordIdNo: ID } });
    expect(posts()).toHaveLength(0);
    fireEvent.click(document.getElementById("dup-continue")!);
    await screen.findByText("与已有报告可能重复，审核人员会一并核对。");
    expect(posts()).toHaveLength(1);
  });
});

describe("photos", () => {
  it("refuses a file that is not an image, keeps the photos, and uploads each once after submit", async () => {
    const { renderHook } = await import("@testing-library/react");
    const { useReportForm } = await import("../src/features/report/use-report-form");
    const uploadPhoto = vi.fn(async () => ({ id: "p1", created: true }));
    const deps = {
      submitReport: vi.fn(async () => ({ id: "r1", status: "submitted" as const, timeliness: "on_time" as const })),
      findDuplicates: vi.fn(async () => []),
      uploadPhoto,
      choosePhotos: vi.fn(async () => [{ path: "wxfile://a.jpg", mime: "image/jpeg" }, { path: "wxfile://notes.pdf", mime: null }]),
    };
    const { result } = renderHook(() => useReportForm(eventType("rental")!, deps));
    await act(() => result.current.addPhotos());
    expect(result.current.photos.map((p) => p.path)).toEqual(["wxfile://a.jpg"]);
    expect(result.current.formError).toBe("照片必须是 JPEG、PNG 或 WebP 图片");
    for (const [k, v] of Object.entries({ address: "幸福镇东村3组12号", landlordName: "张三", landlordIdNo: ID, tenantName: "李四", tenantIdNo: USCC, use: "business", monthlyRent: "1200", area: "80", leaseStart: today, leaseEnd: "2099-01-01" })) {
      act(() => result.current.setValue(k, v));
    }
    await act(() => result.current.submit());
    await act(() => result.current.submit());
    expect(deps.submitReport).toHaveBeenCalledTimes(1);
    expect(uploadPhoto).toHaveBeenCalledTimes(1);
    expect(uploadPhoto).toHaveBeenCalledWith("r1", { filePath: "wxfile://a.jpg" }, "image/jpeg");
    expect(result.current.result).toMatchObject({ photosUploaded: 1, photoErrors: [] });
  });
});

describe("deadlines before, not after", () => {
  const perf = (startsAt: Date) => {
    const starts = formatCst(startsAt);
    fill({ title: "梁祝", troupe: "越剧团", organizer: "文化公司", organizerUscc: USCC, venue: "大剧院", startsAt: starts, endsAt: formatCst(new Date(startsAt.getTime() + 3 * 3600_000)), shows: "2", ticketPriceMin: "80", ticketPriceMax: "380", expectedAudience: "1200" });
  };

  it("says at the top when a performance is due, and warns before filing a late one", async () => {
    setSession("tok", { id: "u2", name: "刘经理", unit: { code: "grand-theatre", name: "区人民大剧院", type: "venue" }, roles: ["reporter"] });
    routeApi({
      "POST /api/v1/reports/duplicates": noDuplicates,
      "POST /api/v1/reports": () => ({ statusCode: 201, data: { id: "r9", status: "submitted", timeliness: "late", possibleDuplicateOf: null } }),
    });
    openForm("performance");
    expect(document.getElementById("form-deadline")?.textContent).toContain("提前 3 天以上为按时");
    const starts = new Date(Date.now() + 2 * 86_400_000);
    perf(starts);
    expect(document.getElementById("form-deadline")?.textContent).toContain(addDays(cstDate(starts), -3));
    submit();
    await screen.findByText("这份报告将记为迟报");
    expect(posts()).toHaveLength(0);
    fireEvent.click(document.getElementById("late-continue")!);
    await waitFor(() => expect(document.getElementById("result-timeliness")?.textContent).toBe("迟报"));
    expect(document.getElementById("result-timeliness-explain")?.textContent).toBe("过了期限才报送，已受理");
    expect(posts()).toHaveLength(1);
  });

  it("keeps the halves of a date-time whichever is picked first", () => {
    expect(splitDateTime("19:30")).toEqual({ date: "", time: "19:30" });
    expect(joinDateTime("2026-12-05", splitDateTime("19:30").time)).toBe("2026-12-05 19:30");
    expect(splitDateTime("2026-12-05T20:00:00+08:00")).toEqual({ date: "2026-12-05", time: "20:00" });
    expect(joinDateTime("", "08:00")).toBe("08:00");
  });
});
