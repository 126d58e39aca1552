import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from "vitest";
import { act, fireEvent, render, screen, waitFor } from "@testing-library/react";
import type { ReactNode } from "react";
import Taro from "@tarojs/taro";
import { cstDate, withIdCheckChar, withUsccCheckChar, RENTAL_FIELDS, t } from "@xieshui/core";
import ReportFormPage from "../src/pages/report-form/index";
import ReportPage from "../src/pages/report/index";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";
import { loadDraft } from "../src/features/report/drafts";
import { toData, validateForm, eventType } from "../src/features/report/form-model";

// The shared stand-ins have no Picker / Textarea / Image: add thin ones for the generated form.
vi.mock("@tarojs/components", async (importOriginal) => {
  const base = await importOriginal<Record<string, unknown>>();
  return {
    ...base,
    Picker: ({ children }: { children?: ReactNode }) => <span>{children}</span>,
    Image: ({ src, className }: { src: string; className?: string }) => <img src={src} className={className} />,
    Textarea: (p: { id?: string; value?: string; onInput?: (e: { detail: { value: string } }) => void }) => (
      <textarea id={p.id} value={p.value} onChange={(e) => p.onInput?.({ detail: { value: e.target.value } })} />
    ),
  };
});

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
  });

  it("lists only the types the unit files, with a saved-draft mark", () => {
    render(<ReportPage />);
    expect(screen.getByText("承租房屋登记")).toBeTruthy();
    expect(screen.queryByText("外来演出报告")).toBeNull();
    fireEvent.click(document.getElementById("type-rental")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/report-form/index?type=rental" });
  });

  it("turns typed text into schema data and says so when a number is not a number", () => {
    const { data, fields } = toData(RENTAL_FIELDS, { monthlyRent: "１,２００元", area: "abc", note: "" }, "zh-CN");
    expect(data.monthlyRent).toBe(1200);
    expect("note" in data).toBe(false);
    expect(fields.area).toBe("请填写数字");
    const vehicle = eventType("vehicle_no_clearance")!;
    expect(toData(vehicle.fields, { missingYears: "2026,2025" }, "zh-CN").data.missingYears).toEqual([2025, 2026]);
  });
});

describe("client validation next to each field", () => {
  it("puts a bad ID number's message under that field and sends nothing", async () => {
    openForm();
    fillRental({ landlordIdNo: "410106198001010010" });
    submit();
    await waitFor(() => expect(document.getElementById("f-landlordIdNo-error")?.textContent).toBe("身份证号不正确（18 位，末位校验码不符或出生日期不存在）"));
    expect(document.getElementById("f-landlordName-error")).toBeNull();
    expect(document.getElementById("form-error")?.textContent).toContain("有几处需要改正");
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
    await waitFor(() => expect(document.getElementById("form-error")?.textContent).toBe("网络连接失败，请检查网络后重试"));
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
