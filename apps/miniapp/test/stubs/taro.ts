import { vi } from "vitest";

// Stand-in for @tarojs/taro under jsdom: in-memory storage, spies for network and navigation.
const memory = new Map<string, unknown>();

export const request = vi.fn(async (_options: unknown): Promise<{ statusCode: number; data: unknown }> => {
  throw new Error("Taro.request not stubbed for this test");
});
export const getStorageSync = vi.fn((key: string) => (memory.has(key) ? memory.get(key) : ""));
export const setStorageSync = vi.fn((key: string, value: unknown) => void memory.set(key, value));
export const removeStorageSync = vi.fn((key: string) => void memory.delete(key));
export const navigateTo = vi.fn(async (_o: { url: string }) => ({}));
export const reLaunch = vi.fn(async (_o: { url: string }) => ({}));
export const redirectTo = vi.fn(async (_o: { url: string }) => ({}));
export const setClipboardData = vi.fn(async (_o: { data: string }) => ({}));
export const useRouter = vi.fn(() => ({ params: {} as Record<string, string | undefined> }));
export const useLaunch = vi.fn();
export const setNavigationBarTitle = vi.fn(async (_o: { title: string }) => ({}));
export const navigateBack = vi.fn(async () => ({}));
export const getCurrentPages = vi.fn(() => [] as unknown[]);
export const useDidShow = vi.fn();
export const pageScrollTo = vi.fn(async (_o: { selector?: string }) => ({}));
/** The confirm dialog answers "yes" unless a test says otherwise. */
export const showModal = vi.fn(async (_o: { title?: string; content?: string; confirmText?: string }) => ({ confirm: true, cancel: false }));
export const login = vi.fn(async () => ({ code: "wx-login-code" }));

/** Clears storage and spies between tests. */
export function resetTaroStub(): void {
  memory.clear();
  vi.clearAllMocks();
}

const Taro = { request, getStorageSync, setStorageSync, removeStorageSync, navigateTo, reLaunch, redirectTo, setClipboardData, useRouter, useLaunch, setNavigationBarTitle, navigateBack, getCurrentPages, useDidShow, pageScrollTo, showModal, login };
export default Taro;
