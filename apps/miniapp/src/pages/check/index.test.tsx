import { beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, screen } from "@testing-library/react";
import Taro from "@tarojs/taro";
import CheckPage from "./index";
import { pressPlateKey } from "../../features/check/plate-keyboard";
import { hasContent, loadDraft } from "../../features/report/drafts";
import { setSession } from "../../lib/session";
import { setLocale } from "../../lib/i18n";

const mockRequest = vi.mocked(Taro.request) as unknown as ReturnType<typeof vi.fn>;
const unit = { code: "traffic-1", name: "交警一中队", type: "traffic_police" as const };
const click = (id: string) => act(() => void fireEvent.click(document.getElementById(id)!));

describe("check page", () => {
  beforeEach(() => {
    setLocale("zh-CN");
    setSession("tok", { id: "u1", name: "李警官", unit, roles: ["checker"] });
    mockRequest.mockReset();
  });

  it("builds a plate on the keyboard with a province picker and shows both years", async () => {
    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { kind: "vehicle_vessel", key: "京B12345", keyType: "plate", cleared: true, results: [{ year: 2026, status: "paid", certificateNo: "C1", taxpayerName: "张*三" }, { year: 2025, status: "exempt", certificateNo: "C0", taxpayerName: "张*三" }] },
    });
    render(<CheckPage />);
    await click("plate-province");
    await click("province-京");
    for (const k of ["1", "B", "1", "2", "3", "4", "5"]) await click(`key-${k}`);
    expect(document.getElementById("plate-value")!.textContent).toBe("B12345");
    await click("check-submit");
    const sent = mockRequest.mock.calls[0]![0] as { url: string; data: unknown };
    expect(sent.url).toBe("/api/v1/clearances/check");
    expect(sent.data).toEqual({ kind: "vehicle_vessel", key: "京B12345" });
    expect(await screen.findByText("2026 年度")).toBeTruthy();
    expect(screen.getByText("已免税 · C0 · 张*三")).toBeTruthy();
    expect(screen.getByText("凭证齐全，可以办理")).toBeTruthy();
  });

  it("explains politely when a certificate is missing", async () => {
    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { kind: "property_transfer", key: "HT1234", keyType: "contract", cleared: false, results: [{ tax: "契税", status: "none" }] },
    });
    render(<CheckPage />);
    await click("tab-contract");
    await act(() => void fireEvent.input(document.getElementById("check-key")!, { target: { value: "ht1234" }, detail: { value: "ht1234" } }));
    await click("check-submit");
    expect(await screen.findByText("缺少完（免）税凭证，暂不能办理")).toBeTruthy();
    expect(document.getElementById("check-explain")!.textContent).toContain("先税后证");
  });

  it("takes a reporter from a missing vehicle clearance to the vehicle report, pre-filled", async () => {
    setSession("tok", { id: "u1", name: "李警官", unit, roles: ["checker", "reporter"] });
    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { kind: "vehicle_vessel", key: "豫BYTY80", keyType: "plate", cleared: false, results: [{ year: 2026, status: "none" }, { year: 2025, status: "paid", certificateNo: "C9", taxpayerName: "闫*志" }] },
    });
    render(<CheckPage />);
    for (const k of ["B", "Y", "T", "Y", "8", "0"]) await click(`key-${k}`);
    await click("check-submit");
    await screen.findByText("缺少完（免）税凭证，暂不能办理");
    // The keyboard folds away and the result is scrolled into view.
    expect(document.getElementById("key-B")).toBeNull();
    expect(Taro.pageScrollTo).toHaveBeenCalledWith(expect.objectContaining({ selector: "#check-result" }));
    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { fromCheck: true, data: { plate: "豫BYTY80", missingYears: [2026], place: "人民路 88 号检查站", vehicleType: "小型汽车" } },
    });
    await click("check-report");
    await vi.waitFor(() => expect(Taro.navigateTo).toHaveBeenLastCalledWith({ url: "/pages/report-form/index?type=vehicle_no_clearance" }));
    // (The live K040 article is fetched for the failed result too; the draft is the last request.)
    expect((mockRequest.mock.calls.at(-1)![0] as { url: string }).url).toBe(`/api/v1/reports/vehicle-draft?plate=${encodeURIComponent("豫BYTY80")}`);
    const draft = loadDraft("vehicle_no_clearance")!;
    expect(draft.values).toMatchObject({ plate: "豫BYTY80", missingYears: "2026", place: "人民路 88 号检查站", vehicleType: "小型汽车" });
    // Filled in by the app, not typed by the officer: the form must not say a draft was restored.
    expect(hasContent(draft)).toBe(false);
  });

  it("offers the report to a checker without the reporter role, but not after a check by VIN, and a new check clears the last", async () => {
    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { kind: "vehicle_vessel", key: "豫BYTY80", keyType: "plate", cleared: false, results: [{ year: 2026, status: "none" }, { year: 2025, status: "none" }] },
    });
    render(<CheckPage />);
    for (const k of ["B", "Y", "T", "Y", "8", "0"]) await click(`key-${k}`);
    await click("check-submit");
    await screen.findByText("缺少完（免）税凭证，暂不能办理");
    expect(document.getElementById("check-report")).not.toBeNull();
    await click("check-next");
    expect(document.getElementById("check-result")).toBeNull();
    expect(document.getElementById("plate-value")!.textContent).toBe("·");
    expect(document.getElementById("key-B")).not.toBeNull();

    mockRequest.mockResolvedValueOnce({
      statusCode: 200,
      data: { kind: "vehicle_vessel", key: "LSVZ1E51X8P6RV31F", keyType: "vin", cleared: false, results: [{ year: 2026, status: "none" }, { year: 2025, status: "none" }] },
    });
    await click("tab-vin");
    await act(() => void fireEvent.input(document.getElementById("check-key")!, { target: { value: "LSVZ1E51X8P6RV31F" }, detail: { value: "LSVZ1E51X8P6RV31F" } }));
    await click("check-submit");
    await screen.findByText("缺少完（免）税凭证，暂不能办理");
    expect(document.getElementById("check-report")).toBeNull();
  });

  it("validates a VIN before sending and shows server refusals", async () => {
    render(<CheckPage />);
    await click("tab-vin");
    await act(() => void fireEvent.input(document.getElementById("check-key")!, { target: { value: "LSV3E28J197KB6CP6" }, detail: { value: "LSV3E28J197KB6CP6" } }));
    await click("check-submit");
    expect(mockRequest).not.toHaveBeenCalled();
    expect(document.getElementById("check-key-error")!.textContent).toContain("校验码");
    mockRequest.mockResolvedValueOnce({ statusCode: 403, data: { error: { code: "forbidden", message: "您的角色或单位无权进行此操作" } } });
    await act(() => void fireEvent.input(document.getElementById("check-key")!, { target: { value: "LSV3E28JX97KB6CP6" }, detail: { value: "LSV3E28JX97KB6CP6" } }));
    await click("check-submit");
    expect(await screen.findByText("您的角色或单位无权进行此操作")).toBeTruthy();
  });

  it("keeps the plate keyboard to plate shapes", () => {
    expect(pressPlateKey("", "1")).toBe("");
    expect(pressPlateKey("", "A")).toBe("A");
    expect(pressPlateKey("A123456", "7")).toBe("A123456");
  });
});
