import { z } from "zod";
import { RoleSchema, UnitTypeSchema } from "@xieshui/core";

// Response shapes of the API. Request bodies use the shared schemas of @xieshui/core; these only
// describe (and, through the serializer, restrict) what leaves the server. No transforms here:
// responses are encoded, not parsed.

export const UnitViewSchema = z.object({ code: z.string(), name: z.string(), type: UnitTypeSchema });

/** The DESIGN.md `user` object of /auth/redeem and /me. */
export const UserViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  unit: UnitViewSchema,
  roles: z.array(RoleSchema),
});

/** A new session: the bearer token (shown once) and who it belongs to. */
export const SessionResponseSchema = z.object({ token: z.string(), user: UserViewSchema });

export const UnitListSchema = z.array(UnitViewSchema.extend({ parent: z.string().nullable() }));

export const InviteStatusSchema = z.enum(["active", "used", "expired", "revoked"]);

export const InviteViewSchema = z.object({
  id: z.string(),
  unit: z.object({ code: z.string(), name: z.string() }),
  roles: z.array(RoleSchema),
  name: z.string().nullable(),
  label: z.string().nullable(),
  status: InviteStatusSchema,
  createdAt: z.string(),
  expiresAt: z.string(),
  usedAt: z.string().nullable(),
  usedBy: z.string().nullable(),
});

/** A freshly created invite: the code is returned once and never stored in clear. */
export const IssuedInviteSchema = z.object({ code: z.string(), invite: InviteViewSchema });

export const LinkCodeResponseSchema = z.object({ code: z.string(), expiresAt: z.string() });
