import Taro from '@tarojs/taro'

// Taro storage (wx storage in WeChat, localStorage in H5). Storage can fail (quota, private mode):
// the app keeps working in memory, so failures are swallowed here and nowhere else.

/** Reads a value; null when missing or unreadable. */
export function readStorage<T>(key: string): T | null {
  try {
    const value: unknown = Taro.getStorageSync(key)
    return value === '' || value === undefined || value === null ? null : (value as T)
  } catch {
    return null
  }
}

/** Writes a value (any JSON-compatible data). */
export function writeStorage(key: string, value: unknown): void {
  try {
    Taro.setStorageSync(key, value)
  } catch {
    // ignored: see above
  }
}

/** Removes a value. */
export function removeStorage(key: string): void {
  try {
    Taro.removeStorageSync(key)
  } catch {
    // ignored: see above
  }
}
