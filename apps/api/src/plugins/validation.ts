import type { FastifySchemaCompiler, FastifySerializerCompiler } from "fastify";
import type { z } from "zod";
import { validatorCompiler } from "fastify-type-provider-zod";
import { AppError } from "@xieshui/core/server";

/**
 * Route validation, one mechanism for every route:
 * - zod schemas (fastify-type-provider-zod) validate params, query strings and JSON bodies;
 * - a body reaches zod only when it is a plain JSON value (what JSON.parse makes). Anything else
 *   (a Buffer, a stream, an object with a prototype) is 415, so zod never walks request internals;
 * - some bodies are described for OpenAPI but validated by their use-case (which localises every
 *   message and audits every attempt), and raw uploads are streams: those routes say so with
 *   `bodyValidatedByUseCase` / `rawBody` instead of skipping the schema.
 */

/** True for a value JSON.parse can produce at the top level: null, boolean, number, string, array, plain object. */
export function isPlainJson(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  const type = typeof value;
  if (type === "string" || type === "number" || type === "boolean") return true;
  if (type !== "object") return false;
  if (Array.isArray(value)) return true;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const notJson = () => new AppError("unsupported_media_type", { reason: "body_not_json" });

/** The app's validator compiler: zod, behind the plain-JSON gate for bodies. */
export const apiValidatorCompiler: FastifySchemaCompiler<z.ZodType> = (route) => {
  const validate = validatorCompiler(route);
  if (route.httpPart !== "body") return validate;
  return (data) => (isPlainJson(data) ? validate(data) : { error: notJson() });
};

// Route-level compilers are typed against each route's own schema object; these work for any.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyRouteCompiler = FastifySchemaCompiler<any>;

/**
 * Route option for a JSON body whose schema documents the route while the use-case validates it
 * (same shared schema, localised messages, an audit row per attempt; POST /clearances/check stays
 * on its quick path). The body still must be plain JSON.
 */
export const bodyValidatedByUseCase: { validatorCompiler: AnyRouteCompiler } = {
  validatorCompiler: (route: Parameters<typeof apiValidatorCompiler>[0]) => (route.httpPart === "body" ? (data) => (isPlainJson(data) ? { value: data } : { error: notJson() }) : validatorCompiler(route)),
};

/** Route option for a raw upload: the body (a stream or a Buffer from the upload parser) passes as is. */
export const rawBody: { validatorCompiler: AnyRouteCompiler } = {
  validatorCompiler: (route: Parameters<typeof apiValidatorCompiler>[0]) => (route.httpPart === "body" ? (data) => ({ value: data }) : validatorCompiler(route)),
};

/**
 * Route option for a hot path whose response schema documents the route but is not run on the way
 * out (JSON.stringify, as without a schema): the use-case builds exactly the documented shape, and
 * zod's encode would cost the benchmarked route a share of its CPU. Tests check the shape.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const responseDocumentedOnly: { serializerCompiler: FastifySerializerCompiler<any> } = {
  serializerCompiler: () => (data) => JSON.stringify(data),
};
