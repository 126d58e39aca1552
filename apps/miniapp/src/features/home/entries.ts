import { canUse, type Feature, type MessageKey } from '@xieshui/core'

/** A tile on the home page. */
export interface HomeEntry {
  feature: Feature
  title: MessageKey
  description: MessageKey
  url: string
}

/** The four jobs, in the order the home page shows them. */
export const JOB_FEATURES = ['report', 'check', 'learn', 'tip'] as const satisfies readonly Feature[]
/** Pages for back-office roles, shown below the jobs to users who hold the role. */
export const MANAGE_FEATURES = ['review', 'training', 'tips_inbox', 'oversight', 'admin'] as const satisfies readonly Feature[]

/**
 * Pages that exist. A feature without a page opens the "coming soon" placeholder.
 * Adding a page: register it in app.config.ts and map its feature here.
 */
export const FEATURE_PAGES: Partial<Record<Feature, string>> = { check: '/pages/check/index',
  report: '/pages/report/index', review: '/pages/review/index', admin: '/pages/admin/index', oversight: '/pages/oversight/index',
  learn: '/pages/learn/index', tip: '/pages/tip/index', tips_inbox: '/pages/tips-inbox/index' }

const DESCRIPTIONS: Record<Feature, MessageKey> = {
  report: 'feature-report-desc',
  check: 'feature-check-desc',
  learn: 'feature-learn-desc',
  tip: 'feature-tip-desc',
  review: 'app-feature-review-desc',
  training: 'app-feature-training-desc',
  tips_inbox: 'app-feature-tips_inbox-desc',
  oversight: 'app-feature-oversight-desc',
  admin: 'app-feature-admin-desc',
}

/** Where a feature's tile leads. */
export function featureUrl(feature: Feature): string {
  return FEATURE_PAGES[feature] ?? `/pages/soon/index?feature=${feature}`
}

function entry(feature: Feature): HomeEntry {
  return { feature, title: `feature-${feature}`, description: DESCRIPTIONS[feature], url: featureUrl(feature) }
}

/**
 * The tiles a user sees: the jobs their roles allow (learn and tip for everyone, also when signed out)
 * and the back-office pages of their roles. The server checks roles again; hiding is convenience.
 */
export function homeEntries(user: { roles: readonly string[] } | null): { jobs: HomeEntry[]; manage: HomeEntry[] } {
  return {
    jobs: JOB_FEATURES.filter((f) => canUse(user, f)).map(entry),
    manage: MANAGE_FEATURES.filter((f) => canUse(user, f)).map(entry),
  }
}
