import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { act, fireEvent, render, renderHook, screen, waitFor } from "@testing-library/react";
import Taro from "@tarojs/taro";
import HomePage from "../src/pages/index/index";
import TasksPage from "../src/pages/tasks/index";
import MeetingsPage from "../src/pages/meetings/index";
import { formFields, meetingInput, useMeetingForm, emptyMeeting } from "../src/features/meetings/use-meeting-form";
import type { MeetingView, TaskView } from "../src/features/meetings/api";
import { clearSession, setSession } from "../src/lib/session";
import { setLocale } from "../src/lib/i18n";

const village = { code: "dongcun", name: "东村村委会", type: "village" as const };
const finance = { code: "caizheng", name: "区财政局", type: "finance_bureau" as const };
const task = (over: Partial<TaskView> = {}): TaskView => ({
  id: "t1", meeting: { id: "m1", heldOn: "2026-10-15", title: "三季度工作总结会" }, unit: village, title: "核查辖区出租房屋", detail: null,
  dueOn: "2026-11-15", status: "open", overdue: true, doneAt: null, doneNote: null, ...over,
});

type Call = { url: string; method?: string; data?: unknown };
function routeApi(routes: (call: Call) => { statusCode: number; data: unknown } | undefined) {
  vi.mocked(Taro.request).mockImplementation((async (call: Call) => routes(call) ?? { statusCode: 200, data: { quizzes: [], tasks: [], meetings: [] } }) as never);
}
const calls = (method: string, path: string) => vi.mocked(Taro.request).mock.calls.map((c) => c[0] as Call).filter((c) => (c.method ?? "GET") === method && c.url.includes(path));

beforeEach(() => setLocale("zh-CN"));
afterEach(() => clearSession());

describe("home: 我的任务", () => {
  it("shows the count, the nearest due date and the overdue ones in red, and opens the task page", async () => {
    setSession("tok", { id: "u1", name: "王芳", unit: village, roles: ["reporter"] });
    routeApi((c) => (c.url.includes("/tasks/mine") ? { statusCode: 200, data: { tasks: [task(), task({ id: "t2", dueOn: "2026-12-10", overdue: false }), task({ id: "t3", status: "done", overdue: false })] } } : undefined));
    render(<HomePage />);
    await screen.findByText("2 项未完成");
    expect(screen.getByText("最近期限 2026-11-15")).toBeTruthy();
    expect(document.getElementById("home-tasks-overdue")!.textContent).toBe("1 项已逾期");
    expect(document.getElementById("home-tasks-card")!.className).toContain("home-tasks--overdue");
    expect(document.getElementById("entry-meetings")).toBeNull();
    fireEvent.click(document.getElementById("home-tasks-card")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/tasks/index" });
  });

  it("shows no card when the unit has no open task, and coordinators get the meetings entry", async () => {
    setSession("tok", { id: "u2", name: "陈协调", unit: finance, roles: ["coordinator"] });
    routeApi(() => undefined);
    render(<HomePage />);
    await waitFor(() => expect(calls("GET", "/tasks/mine")).toHaveLength(1));
    expect(document.getElementById("home-tasks")).toBeNull();
    fireEvent.click(document.getElementById("entry-meetings")!);
    expect(Taro.navigateTo).toHaveBeenCalledWith({ url: "/pages/meetings/index" });
  });
});

describe("tasks page", () => {
  it("marks a task done with a note checked by the shared schema, the message under the field", async () => {
    setSession("tok", { id: "u1", name: "王芳", unit: village, roles: ["reporter"] });
    let done = false;
    routeApi((c) => {
      if (c.url.includes("/tasks/mine")) return { statusCode: 200, data: { tasks: [done ? task({ status: "done", overdue: false, doneAt: "2026-12-02T02:00:00Z", doneNote: "已核查 12 户" }) : task()] } };
      if (c.url.includes("/tasks/t1/done")) {
        done = true;
        return { statusCode: 200, data: task({ status: "done" }) };
      }
      return undefined;
    });
    render(<TasksPage />);
    await screen.findByText("核查辖区出租房屋");
    expect(screen.getByText("已逾期")).toBeTruthy();
    expect(document.querySelector(".task__due--overdue")!.textContent).toBe("期限 2026-11-15");
    fireEvent.click(document.getElementById("task-done-t1")!);
    fireEvent.click(document.getElementById("task-note-submit")!);
    expect(document.getElementById("task-note-error")!.textContent).toBe("请填写办理情况");
    expect(calls("POST", "/done")).toHaveLength(0);
    fireEvent.input(document.getElementById("task-note")!, { target: { value: "已核查 12 户" } });
    expect(document.getElementById("task-note-error")).toBeNull();
    await act(async () => fireEvent.click(document.getElementById("task-note-submit")!));
    expect(calls("POST", "/tasks/t1/done")[0]!.data).toEqual({ note: "已核查 12 户" });
    await screen.findByText("2026-12-02 完成：已核查 12 户");
    expect(screen.getByText("已标记完成")).toBeTruthy();
  });

  it("shows the server's message under the note, and an empty list says so", async () => {
    setSession("tok", { id: "u1", name: "王芳", unit: village, roles: ["reporter"] });
    routeApi((c) => {
      if (c.url.includes("/tasks/mine")) return { statusCode: 200, data: { tasks: [task({ overdue: false, dueOn: "2026-12-30" })] } };
      if (c.url.includes("/done")) return { statusCode: 400, data: { error: { code: "invalid_input", message: "输入有误", fields: { note: "含有不可见的控制字符，请删除后再提交" } } } };
      return undefined;
    });
    render(<TasksPage />);
    await screen.findByText("核查辖区出租房屋");
    expect(screen.queryByText("已逾期")).toBeNull();
    fireEvent.click(document.getElementById("task-done-t1")!);
    fireEvent.input(document.getElementById("task-note")!, { target: { value: "好" } });
    await act(async () => fireEvent.click(document.getElementById("task-note-submit")!));
    expect(document.getElementById("task-note-error")!.textContent).toBe("含有不可见的控制字符，请删除后再提交");
  });
});

describe("meeting form", () => {
  const now = () => new Date("2026-12-02T02:00:00Z");

  it("checks with the shared schema: today's date by default, rows by their own field, blank rows dropped", async () => {
    const record = vi.fn();
    const { result } = renderHook(() => useMeetingForm(() => undefined, { record, now }));
    expect(result.current.values.heldOn).toBe("2026-12-02");
    act(() => result.current.set({ heldOn: "2026-12-05", title: "四季度例会", decisions: "按月报送" }));
    act(() => result.current.setRow(result.current.values.tasks[0]!.key, { title: "核查", dueOn: "2026-12-01" }));
    act(() => result.current.addRow());
    await act(() => result.current.submit());
    const key = result.current.values.tasks[0]!.key;
    expect(result.current.fields).toEqual({
      heldOn: "会议日期不能晚于今天",
      attendees: "请选择参会单位",
      [`task-${key}-unit`]: "请选择承办单位",
    });
    expect(record).not.toHaveBeenCalled();
  });

  it("maps the API's field paths to the rows that had content", () => {
    const v = { ...emptyMeeting("2026-12-02"), tasks: [{ key: 7, unit: "", title: "", dueOn: "" }, { key: 8, unit: "x", title: "y", dueOn: "2026-12-03" }] };
    expect(meetingInput(v, "cid-12345678").tasks).toEqual([{ unit: "x", title: "y", dueOn: "2026-12-03" }]);
    expect(formFields({ "tasks.0.unit": "没有这个单位", "attendees.2.unit": "重复", decisions: "太长" }, v)).toEqual({ "task-8-unit": "没有这个单位", attendees: "重复", decisions: "太长" });
  });

  it("records a meeting through the page and lists past meetings with their tasks' status", async () => {
    setSession("tok", { id: "u2", name: "陈协调", unit: finance, roles: ["coordinator"] });
    const saved: MeetingView = {
      id: "m1", heldOn: "2026-10-15", title: "三季度工作总结会", decisions: "加强出租房屋登记", createdAt: "2026-10-15T02:00:00Z",
      attendees: [{ unit: village, people: null }], tasks: [task(), task({ id: "t2", title: "报送名单", status: "done", overdue: false })], taskCounts: { open: 1, overdue: 1, done: 1 },
    };
    let meetings: MeetingView[] = [];
    routeApi((c) => {
      if (c.url.endsWith("/api/v1/units")) return { statusCode: 200, data: [{ ...village, parent: null }] };
      if (c.url.includes("/meetings") && c.method === "POST") {
        meetings = [saved];
        return { statusCode: 201, data: saved };
      }
      if (c.url.includes("/meetings")) return { statusCode: 200, data: { meetings } };
      return undefined;
    });
    render(<MeetingsPage />);
    await screen.findByText("还没有记录会议");
    fireEvent.input(document.getElementById("meeting-heldOn")!, { target: { value: "2026-10-15" } });
    fireEvent.input(document.getElementById("meeting-title")!, { target: { value: "三季度工作总结会" } });
    fireEvent.input(document.getElementById("meeting-decisions")!, { target: { value: "加强出租房屋登记" } });
    fireEvent.click(document.getElementById("meeting-attendee-pick")!);
    await screen.findByText("东村村委会");
    fireEvent.click(screen.getByText("东村村委会"));
    expect(screen.getByText("东村村委会 ✕")).toBeTruthy();
    const unitPick = document.querySelector("[id^='task-'][id$='-unit-pick']")!;
    fireEvent.click(unitPick);
    fireEvent.click(screen.getAllByText("东村村委会").at(-1)!);
    const titleInput = document.querySelector("input[id^='task-'][id$='-title']")!;
    fireEvent.input(titleInput, { target: { value: "核查辖区出租房屋" } });
    fireEvent.input(document.querySelector("input[id^='task-'][id$='-due']")!, { target: { value: "2026-11-15" } });
    await act(async () => fireEvent.click(document.getElementById("meeting-submit")!));
    const body = calls("POST", "/api/v1/meetings")[0]!.data as Record<string, unknown>;
    expect(body).toMatchObject({ heldOn: "2026-10-15", title: "三季度工作总结会", attendees: [{ unit: "dongcun" }], tasks: [{ unit: "dongcun", title: "核查辖区出租房屋", dueOn: "2026-11-15" }] });
    expect(String(body.clientId)).toMatch(/^mtg-/);
    await screen.findByText("会议已记录");
    await screen.findByText("任务 1 项未完成 · 1 项已完成，其中 1 项逾期");
    expect(document.querySelector("#meeting-task-t1 .meeting-task__status--overdue")!.textContent).toBe("已逾期");
  });

  it("asks a non-coordinator for the role", () => {
    setSession("tok", { id: "u1", name: "王芳", unit: village, roles: ["reporter"] });
    render(<MeetingsPage />);
    expect(document.getElementById("guard-role")).toBeTruthy();
  });
});
