import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestDb, type TestDb } from "../../../../test/factories/db.ts";
import { makeUser } from "../../../../test/factories/identity.ts";
import { getLocale, setLocale } from "./preferences.ts";
import { isAppError } from "./errors.ts";

let t: TestDb;
beforeEach(() => {
  t = createTestDb();
});
afterEach(async () => {
  await t.close();
});

describe("setLocale", () => {
  it("stores the chosen language on the user and reads it back", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["reporter"] });
    expect(await getLocale(t.deps, actor.userId)).toBeNull();
    expect(await setLocale(t.deps, actor, "en")).toBe("en");
    expect(await getLocale(t.deps, actor.userId)).toBe("en");
    await setLocale(t.deps, actor, "zh-CN");
    expect((await t.db.prisma.user.findUniqueOrThrow({ where: { id: actor.userId } })).locale).toBe("zh-CN");
    expect(await t.db.prisma.auditLog.count({ where: { action: "user.locale" } })).toBe(2);
  });

  it("rejects unknown or malformed locales without touching the user", async () => {
    const { actor } = await makeUser(t.deps, { roles: ["reporter"] });
    for (const bad of ["fr", "", "EN", "zh-CN; DROP TABLE User", "\u202Een"]) {
      const err = await setLocale(t.deps, actor, bad).catch((e: unknown) => e);
      expect(isAppError(err) && err.reason).toBe("locale_unknown");
    }
    expect(await getLocale(t.deps, actor.userId)).toBeNull();
  });

  it("returns null for an unknown user", async () => {
    expect(await getLocale(t.deps, "nobody")).toBeNull();
  });
});
