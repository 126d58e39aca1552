// Which pages this build registered (app.config.ts), read at run time from the platform: H5 keeps the
// app config on window, WeChat on __wxConfig. Lets the home page offer a tile only for a page that
// exists, so a page added by another feature lights its tile up without touching the home page.

declare const __wxConfig: { pages?: string[] } | undefined

/** Registered page paths without a leading slash ('pages/report/index'), or null when unknown (tests). */
export function registeredPages(): readonly string[] | null {
  const h5 = (globalThis as { __taroAppConfig?: { pages?: string[] } }).__taroAppConfig?.pages
  if (Array.isArray(h5)) return h5
  try {
    if (typeof __wxConfig !== 'undefined' && Array.isArray(__wxConfig?.pages)) return __wxConfig.pages
  } catch {
    // not WeChat
  }
  return null
}
