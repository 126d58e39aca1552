// @vitest-environment node
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ensureBuild } from "../../../test/support/h5.ts";

// Proves the WeChat build really renders: load dist/weapp in Node with stand-ins for the mini-program
// globals (App, Page, wx), run the home page's onLoad and read what it hands to setData.
type PageDef = { onLoad?: (q: Record<string, string>) => void; methods?: Record<string, unknown> };

const storage = new Map<string, unknown>();
const requests: { url: string; data?: unknown }[] = [];
let app: { onLaunch?: (o: unknown) => void } | undefined;
let page: PageDef | undefined;
const saved: Record<string, unknown> = {};
const stubs: Record<string, unknown> = {
  wx: {
    getSystemInfoSync: () => ({ platform: "devtools", windowWidth: 375, windowHeight: 667, pixelRatio: 2, language: "zh_CN", version: "8.0.0", SDKVersion: "3.0.0" }),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ""),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    request: (o: { url: string; data?: unknown; success?: (r: unknown) => void }) => {
      requests.push(o);
      // A WeChat account that never signed in with an invite: the API does not know it.
      const notBound = { statusCode: 404, data: { error: { code: "not_found", reason: "wechat_not_bound", message: "这个微信还没有绑定账号" } } };
      setTimeout(() => o.success?.(o.url.endsWith("/api/v1/auth/wechat") ? notBound : { statusCode: 200, data: {} }), 0);
      return { abort() {} };
    },
    login: (o: { success?: (r: { code: string; errMsg: string }) => void }) => setTimeout(() => o.success?.({ code: "0c-smoke-code", errMsg: "login:ok" }), 0),
    nextTick: (fn: () => void) => setTimeout(fn, 0),
  },
  App: (o: typeof app) => void (app = o),
  Page: (o: PageDef) => void (page = o),
  Component: (o: PageDef) => void (page = o),
  getApp: () => app,
  getCurrentPages: () => [],
  requirePlugin: () => ({}),
};

describe("WeChat build", () => {
  let dir: string;
  beforeAll(() => {
    dir = ensureBuild("weapp");
    for (const [k, v] of Object.entries(stubs)) {
      saved[k] = (globalThis as Record<string, unknown>)[k];
      (globalThis as Record<string, unknown>)[k] = v;
    }
  }, 300_000);
  afterAll(() => {
    for (const k of Object.keys(stubs)) (globalThis as Record<string, unknown>)[k] = saved[k];
  });

  it("launches and renders the visitor home page in Chinese", async () => {
    const load = createRequire(join(dir, "app.js"));
    load(join(dir, "app.js"));
    expect(app).toBeDefined();
    app?.onLaunch?.call(app, { path: "pages/index/index", query: {} });
    load(join(dir, "pages/index/index.js"));
    const def = page!;
    const data: Record<string, unknown> = {};
    const instance = Object.assign(Object.create(def) as object, {
      data: {},
      route: "pages/index/index",
      __wxWebviewId__: 1,
      setData(d: Record<string, unknown>, cb?: () => void) {
        Object.assign(data, d);
        cb?.();
      },
      selectComponent() {},
    }, def.methods ?? {});
    const onLoad = def.onLoad ?? (def.methods?.onLoad as PageDef["onLoad"]);
    onLoad?.call(instance, {});
    // Rendering follows the launch's sign-in attempt; a cold first load after a build is slower.
    await vi.waitFor(() => expect(JSON.stringify(data)).toContain("学习税法"), { timeout: 10_000, interval: 50 });
    const rendered = JSON.stringify(data);
    expect(rendered).toContain("协税护税，人人有责");
    expect(rendered).toContain("登录后报送信息、核验凭证");
    expect(rendered).not.toContain("核验凭证\"");
    // A visitor without a token tries WeChat sign-in once (wx.login → /auth/wechat) and nothing else.
    expect(requests.map((r) => [r.url.replace(/^https?:\/\/[^/]+/, ""), r.data])).toEqual([["/api/v1/auth/wechat", { code: "0c-smoke-code" }]]);
  });
});
