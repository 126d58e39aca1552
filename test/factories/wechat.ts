import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for WeChat's `GET /sns/jscode2session` (WeChat cannot be reached from here).
 * It behaves like the real endpoint in what the product relies on: the app id and secret must
 * match, a code is good once (then 40029), unknown codes are 40029, and success carries no errcode.
 * `busy()` makes the next answer `-1` (系统繁忙).
 */
export interface FakeWechat {
  /** Base URL to configure as WECHAT_API_BASE. */
  url: string;
  appId: string;
  secret: string;
  /** Issues a fresh `wx.login` code for an openid (what the phone would get). */
  code(openid: string): string;
  /** The next answer is `{ errcode: -1 }`. */
  busy(): void;
  /** Query strings received (to prove what was sent). */
  requests: URLSearchParams[];
  close(): Promise<void>;
}

let seq = 0;

export async function startFakeWechat(opts: { appId?: string; secret?: string } = {}): Promise<FakeWechat> {
  const appId = opts.appId ?? "wx0123456789abcdef";
  const secret = opts.secret ?? "s3cret-of-the-mini-program";
  const codes = new Map<string, string>();
  const requests: URLSearchParams[] = [];
  let busyNext = false;
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://fake");
    const reply = (body: unknown) => {
      // WeChat answers JSON with a text/plain content type.
      res.writeHead(200, { "content-type": "text/plain" });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "GET" || url.pathname !== "/sns/jscode2session") {
      res.writeHead(404);
      res.end();
      return;
    }
    requests.push(url.searchParams);
    if (busyNext) {
      busyNext = false;
      return reply({ errcode: -1, errmsg: "system error" });
    }
    const q = url.searchParams;
    if (q.get("appid") !== appId) return reply({ errcode: 40013, errmsg: "invalid appid" });
    if (q.get("secret") !== secret) return reply({ errcode: 40125, errmsg: "invalid appsecret" });
    if (q.get("grant_type") !== "authorization_code") return reply({ errcode: 40002, errmsg: "invalid grant_type" });
    const code = q.get("js_code") ?? "";
    const openid = codes.get(code);
    if (!openid) return reply({ errcode: 40029, errmsg: "invalid code" });
    codes.delete(code);
    return reply({ openid, session_key: "c2Vzc2lvbi1rZXk=" });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    appId,
    secret,
    code(openid) {
      const code = `0c${(++seq).toString(36)}${Math.random().toString(36).slice(2, 10)}`;
      codes.set(code, openid);
      return code;
    },
    busy() {
      busyNext = true;
    },
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
