import { useCallback, useState } from 'react'
import { isApiError } from '../../lib/request'
import { translate } from '../../lib/i18n'
import type { InviteView, IssuedInvite, reissueInvite, revokeInvite } from './api'

export interface InviteActionDeps {
  revokeInvite: typeof revokeInvite
  reissueInvite: typeof reissueInvite
  /** asks the admin before an irreversible step; resolves true to go ahead */
  confirm: (text: string) => Promise<boolean>
}

/**
 * Revoke (after a confirmation) and re-issue an invite from the list. A re-issue returns a new code,
 * shown once like a new invite; after either, `onChanged` reloads the list.
 */
export function useInviteActions(deps: InviteActionDeps, onChanged: () => void, onIssued: (issued: IssuedInvite) => void) {
  const [busy, setBusy] = useState<string | null>(null)
  const [outcome, setOutcome] = useState<{ id: string; ok: boolean; text: string } | null>(null)

  const run = useCallback(
    async (invite: InviteView, action: () => Promise<string>) => {
      if (busy) return
      setBusy(invite.id)
      setOutcome(null)
      try {
        setOutcome({ id: invite.id, ok: true, text: await action() })
        onChanged()
      } catch (e) {
        setOutcome({ id: invite.id, ok: false, text: isApiError(e) ? e.message : translate('app-error-network') })
      } finally {
        setBusy(null)
      }
    },
    [busy, onChanged],
  )

  const revoke = useCallback(
    async (invite: InviteView) => {
      if (!(await deps.confirm(translate('app-admin-revoke-confirm', { unit: invite.unit.name })))) return
      await run(invite, async () => {
        await deps.revokeInvite(invite.id)
        return translate('app-admin-revoked')
      })
    },
    [deps, run],
  )

  const reissue = useCallback(
    (invite: InviteView) =>
      run(invite, async () => {
        onIssued(await deps.reissueInvite(invite.id))
        return translate('app-admin-reissued')
      }),
    [deps, onIssued, run],
  )

  return { busy, outcome, revoke, reissue }
}
