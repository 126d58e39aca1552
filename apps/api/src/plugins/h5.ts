import { existsSync } from "node:fs";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import fastifyStatic from "@fastify/static";

const NOT_BUILT_HTML = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>协税通</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem">
<h1>协税通 API 正在运行</h1>
<p>H5 应用还没有构建。请在项目根目录运行 <code>npm run build:h5</code>，然后刷新本页。</p>
<p>The H5 app is not built yet. Run <code>npm run build:h5</code> in the project root, then reload.</p>
<p>API: <a href="/docs">/docs</a> · <a href="/healthz">/healthz</a></p>
</body></html>
`;

/** True when `dir` holds a built H5 app. */
export function hasH5Build(dir: string | undefined): dir is string {
  return !!dir && existsSync(join(dir, "index.html"));
}

/**
 * Serves the Taro H5 build at `/` (the not-found handler adds the SPA fallback). Without a build,
 * `/` explains how to make one instead of failing.
 */
export function registerH5(app: FastifyInstance, h5Dir: string | undefined): void {
  if (hasH5Build(h5Dir)) {
    app.register(fastifyStatic, { root: h5Dir, prefix: "/", index: ["index.html"] });
    return;
  }
  app.get("/", { schema: { hide: true } }, async (_request, reply) => reply.type("text/html; charset=utf-8").send(NOT_BUILT_HTML));
}
