import type { FastifyInstance } from "fastify";
import fastifySwagger from "@fastify/swagger";
import fastifySwaggerUi from "@fastify/swagger-ui";
import { jsonSchemaTransform } from "fastify-type-provider-zod";

/** OpenAPI generated from the route zod schemas, browsable at /docs (JSON at /docs/json). Register before routes. */
export function registerDocs(app: FastifyInstance): void {
  app.register(fastifySwagger, {
    openapi: {
      openapi: "3.0.3",
      info: { title: "协税通 API", description: "HTTP API of the 协税通 mini-app. Errors: { error: { code, message, fields?, reason? } }.", version: "1" },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    },
    transform: jsonSchemaTransform,
  });
  app.register(fastifySwaggerUi, { routePrefix: "/docs" });
}
