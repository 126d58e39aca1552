import { canUse, reportTypesForUnit, type Feature, type MessageKey, type UnitType } from '@xieshui/core'
import type { Translate } from '../../lib/i18n'

/** A tile on the home page. */
export interface HomeEntry {
  feature: Feature
  title: MessageKey
  /** What this user's unit can do there, in words. */
  description: string
  url: string
}

/** The four jobs, in the order the home page shows them. */
export const JOB_FEATURES = ['report', 'check', 'learn', 'tip'] as const satisfies readonly Feature[]
/** Pages for back-office roles, shown below the jobs to users who hold the role. */
export const MANAGE_FEATURES = ['review', 'clearance_import', 'training', 'tips_inbox', 'oversight', 'admin'] as const satisfies readonly Feature[]

/**
 * The page of each feature. A feature whose page is not in this build gets no tile; a helper adding
 * such a page registers it in app.config.ts under this path (pages/<feature>/index by default) and
 * its tile appears, with no change here.
 */
export const FEATURE_PAGES: Partial<Record<Feature, string>> = {
  clearance_import: 'pages/clearance-import/index',
  tips_inbox: 'pages/tips-inbox/index',
  training: 'pages/quiz/index',
}

/** Pages known to exist when the platform cannot say (unit tests). */
const BUILT_PAGES = ['pages/report/index', 'pages/check/index', 'pages/review/index', 'pages/oversight/index', 'pages/admin/index', 'pages/clearance-import/index', 'pages/learn/index', 'pages/quiz/index', 'pages/tip/index', 'pages/tips-inbox/index']

/** The registered page path of a feature (no leading slash). */
export function featurePage(feature: Feature): string {
  return FEATURE_PAGES[feature] ?? `pages/${feature}/index`
}

const DESCRIPTIONS: Partial<Record<Feature, MessageKey>> = {
  learn: 'feature-learn-desc',
  tip: 'feature-tip-desc',
  review: 'app-feature-review-desc',
  clearance_import: 'app-feature-clearance_import-desc',
  training: 'app-feature-training-desc',
  tips_inbox: 'app-feature-tips_inbox-desc',
  oversight: 'app-feature-oversight-desc',
  admin: 'app-feature-admin-desc',
}

type HomeUser = { roles: readonly string[]; unit: { type: string } }

/** What a tile promises: only what this unit does there (a village files rentals, not performances). */
function describe(feature: Feature, user: HomeUser | null, t: Translate): string {
  if (feature === 'report' && user) return reportTypesForUnit(user.unit.type as UnitType).map((r) => t(r.titleKey)).join('、')
  if (feature === 'check') {
    const type = user?.unit.type
    if (type === 'traffic_police') return t('fs-check-desc-vehicle')
    if (type === 'land_bureau' || type === 'housing_bureau') return t('fs-check-desc-property')
    return t('feature-check-desc')
  }
  return t(DESCRIPTIONS[feature] ?? 'feature-check-desc')
}

/** A job works for this user: there is something for their unit to do there. */
function hasWork(feature: Feature, user: HomeUser | null): boolean {
  if (feature === 'report') return user !== null && reportTypesForUnit(user.unit.type as UnitType).length > 0
  return true
}

/**
 * The one rule for tiles: a tile exists only for a job that works for this user — their roles allow
 * it, its page is in this build, and their unit has something to do there. The server checks roles
 * again; hiding is convenience. `pages` is what the build registered (null: the pages built today).
 */
export function homeEntries(user: HomeUser | null, t: Translate, pages: readonly string[] | null): { jobs: HomeEntry[]; manage: HomeEntry[] } {
  const built = new Set(pages ?? BUILT_PAGES)
  const entry = (feature: Feature): HomeEntry => ({ feature, title: `feature-${feature}`, description: describe(feature, user, t), url: `/${featurePage(feature)}` })
  const works = (feature: Feature) => canUse(user, feature) && built.has(featurePage(feature)) && hasWork(feature, user)
  return {
    jobs: JOB_FEATURES.filter(works).map(entry),
    manage: MANAGE_FEATURES.filter(works).map(entry),
  }
}
