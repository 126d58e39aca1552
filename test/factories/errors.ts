import { isAppError, type AppError } from "@xieshui/core/server";

/** Awaits a use-case that must fail with an AppError and returns it (any other outcome fails the test). */
export async function expectAppError(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return e;
    throw e;
  }
  throw new Error("expected an AppError");
}
