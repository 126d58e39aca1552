// @vitest-environment node
import { createRequire } from "node:module";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ensureBuild } from "../../../test/support/h5.ts";

// Proves the WeChat build really renders: load dist/weapp in Node with stand-ins for the mini-program
// globals (App, Page, wx), run the home page's onLoad and read what it hands to setData.
type PageDef = { onLoad?: (q: Record<string, string>) => void; methods?: Record<string, unknown> };

const storage = new Map<string, unknown>();
const requests: { url: string }[] = [];
let app: { onLaunch?: (o: unknown) => void } | undefined;
let page: PageDef | undefined;
const saved: Record<string, unknown> = {};
const stubs: Record<string, unknown> = {
  wx: {
    getSystemInfoSync: () => ({ platform: "devtools", windowWidth: 375, windowHeight: 667, pixelRatio: 2, language: "zh_CN", version: "8.0.0", SDKVersion: "3.0.0" }),
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ""),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, v),
    removeStorageSync: (k: string) => void storage.delete(k),
    request: (o: { url: string; success?: (r: unknown) => void }) => {
      requests.push(o);
      setTimeout(() => o.success?.({ statusCode: 200, data: {} }), 0);
      return { abort() {} };
    },
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
    // Rendering is asynchronous; on a loaded machine it takes more than a fixed pause.
    await expect.poll(() => JSON.stringify(data), { timeout: 10_000 }).toContain("学习税法");
    const rendered = JSON.stringify(data);
    expect(rendered).toContain("学习税法");
    expect(rendered).toContain("匿名举报");
    expect(rendered).not.toContain("核验凭证\"");
    // A visitor without a token makes no API call at launch.
    expect(requests).toEqual([]);
  });
});
