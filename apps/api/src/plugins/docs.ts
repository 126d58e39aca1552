import type { FastifyInstance } from "fastify";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { z } from "zod";
import { jsonSchemaTransform } from "fastify-type-provider-zod";
import { ErrorBodySchema } from "../schemas.ts";

/** The contract's error body as JSON Schema, documented on every API route (not run on the way out). */
const ERROR_RESPONSE = { description: "Error: { error: { code, message, fields?, reason? } } (DESIGN.md)", ...z.toJSONSchema(ErrorBodySchema, { target: "openapi-3.0" }) };

type Transform = typeof jsonSchemaTransform;

/** The zod transform, plus the error body as every API route's 4xx response. */
const transform: Transform = (input) => {
  const out = jsonSchemaTransform(input);
  if (!input.url.startsWith("/api/") || (out.schema as { hide?: boolean } | undefined)?.hide) return out;
  const schema = (out.schema ?? {}) as { response?: Record<string, unknown> };
  return { ...out, schema: { ...schema, response: { ...schema.response, "4xx": ERROR_RESPONSE } } };
};

/** OpenAPI generated from the route zod schemas, browsable at /docs (JSON at /docs/json). Register before routes. */
export function registerDocs(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "协税通 API", description: "HTTP API of the 协税通 mini-app. Errors: { error: { code, message, fields?, reason? } }.", version: "1" },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    },
    transform,
  });
  app.register(fastifySwaggerUi, { routePrefix: "/docs" });
}
