import Taro from '@tarojs/taro'
import { useCallback, useMemo, useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { canUse, cstDate, ROLES } from '@xieshui/core'
import { translate, useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { IssuedCode } from '../../components/issued-code'
import { INVITE_STATUSES, listInvites, listUnits, reissueInvite, revokeInvite, type InviteFilters, type IssuedInvite } from '../../features/admin/api'
import { useInviteForm } from '../../features/admin/use-invite-form'
import { useInviteActions } from '../../features/admin/use-invite-actions'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

async function confirmModal(content: string): Promise<boolean> {
  const answer = await Taro.showModal({ title: translate('app-admin-revoke'), content, confirmText: translate('app-admin-revoke'), cancelText: translate('app-admin-cancel') })
  return answer.confirm
}

const actionDeps = { revokeInvite, reissueInvite, confirm: confirmModal }

function Admin() {
  const t = useT()
  const units = useAsync(listUnits, [])
  const form = useInviteForm()
  const [filters, setFilters] = useState<InviteFilters>({ unit: '', status: '' })
  const [unitText, setUnitText] = useState('')
  const invites = useAsync(() => listInvites(filters), [filters])
  const { setIssued } = form
  const onIssued = useCallback((i: IssuedInvite) => setIssued(i), [setIssued])
  const actions = useInviteActions(actionDeps, invites.reload, onIssued)
  const unitName = useMemo(() => new Map((units.value ?? []).map((u) => [u.code, u.name])), [units.value])

  const create = async () => {
    if (await form.submit()) invites.reload()
  }

  return (
    <View>
      {form.issued ? (
        <IssuedCode code={form.issued.code} unit={form.issued.invite.unit.name} roles={form.issued.invite.roles} expiresAt={form.issued.invite.expiresAt} />
      ) : null}

      <View className='card' id='invite-form'>
        <Text className='card__title'>{t('app-admin-create')}</Text>
        <View className={`field${form.fields.unit ? ' field--error' : ''}`}>
          <Text className='field__label'>{t('app-admin-unit')}</Text>
          <Notice text={units.error} />
          <View className='chips chips--filters' id='invite-unit'>
            {(units.value ?? []).map((u) => (
              <View key={u.code} id={`invite-unit-${u.code}`} className={`chip${form.values.unit === u.code ? ' chip--on' : ''}`} onClick={() => form.set({ unit: u.code })}>
                <Text>{u.name}</Text>
              </View>
            ))}
          </View>
          {form.fields.unit ? <Text className='field__error' id='invite-unit-error'>{form.fields.unit}</Text> : null}
        </View>
        <View className={`field${form.fields.roles ? ' field--error' : ''}`}>
          <Text className='field__label'>{t('app-admin-roles')}</Text>
          <View className='chips chips--filters' id='invite-roles'>
            {ROLES.map((r) => (
              <View key={r} id={`invite-role-${r}`} className={`chip chip--check${form.values.roles.includes(r) ? ' chip--on' : ''}`} onClick={() => form.toggleRole(r)}>
                <Text>{t(`role-${r}`)}</Text>
              </View>
            ))}
          </View>
          {form.fields.roles ? <Text className='field__error' id='invite-roles-error'>{form.fields.roles}</Text> : null}
        </View>
        <Field id='invite-name' label={t('app-admin-name')} value={form.values.name} onChange={(name) => form.set({ name })} error={form.fields.name} maxlength={40} />
        <Field id='invite-days' label={t('app-admin-days')} value={form.values.days} onChange={(days) => form.set({ days })} error={form.fields.days} hint={t('app-admin-days-hint')} maxlength={3} />
        <Notice text={form.error} />
        <ActionButton id='invite-submit' disabled={form.busy} onClick={() => void create()}>{form.busy ? t('app-working') : t('app-admin-submit')}</ActionButton>
      </View>

      <View className='card'>
        <Text className='card__title'>{t('app-admin-list')}</Text>
        <Text className='field__label'>{t('app-admin-filter-status')}</Text>
        <View className='chips chips--filters' id='invite-filter-status'>
          {(['', ...INVITE_STATUSES] as const).map((s) => (
            <View key={s || 'any'} id={`invite-filter-status-${s || 'any'}`} className={`chip${filters.status === s ? ' chip--on' : ''}`} onClick={() => setFilters((f) => ({ ...f, status: s }))}>
              <Text>{s ? t(`app-admin-status-${s}`) : t('app-review-any')}</Text>
            </View>
          ))}
        </View>
        <View className='field'>
          <Text className='field__label'>{t('app-admin-filter-unit')}</Text>
          <View className='field__input'>
            <Input id='invite-filter-unit' value={unitText} placeholder='dongcun' maxlength={40} onInput={(e) => setUnitText(e.detail.value)} onBlur={() => setFilters((f) => ({ ...f, unit: unitText.trim() }))} onConfirm={() => setFilters((f) => ({ ...f, unit: unitText.trim() }))} />
          </View>
        </View>
      </View>

      <Notice text={invites.error} />
      {!invites.loading && !invites.error && (invites.value ?? []).length === 0 ? <Text className='empty'>{t('app-admin-empty')}</Text> : null}
      <View id='invite-list'>
        {(invites.value ?? []).map((inv) => (
          <View key={inv.id} id={`invite-${inv.id}`} className='ritem'>
            <View className='ritem__head'>
              <Text className='ritem__type'>{inv.unit.name || unitName.get(inv.unit.code) || inv.unit.code}</Text>
              <Text className={`badge badge--${inv.status}`}>{t(`app-admin-status-${inv.status}`)}</Text>
            </View>
            <Text className='ritem__summary'>{inv.roles.map((r) => t(`role-${r}`)).join('、')}{inv.name ? ` · ${inv.name}` : ''}</Text>
            <Text className='ritem__meta'>
              {inv.usedAt ? t('app-admin-used-by', { name: inv.usedBy ?? '—', date: cstDate(new Date(inv.usedAt)) }) : t('app-admin-expires', { date: cstDate(new Date(inv.expiresAt)) })}
            </Text>
            {actions.outcome?.id === inv.id ? <Notice kind={actions.outcome.ok ? 'info' : 'error'} text={actions.outcome.text} /> : null}
            {inv.status !== 'used' ? (
              <View className='btn-row'>
                {inv.status === 'active' ? (
                  <ActionButton id={`invite-revoke-${inv.id}`} kind='danger' disabled={actions.busy !== null} onClick={() => void actions.revoke(inv)}>{t('app-admin-revoke')}</ActionButton>
                ) : null}
                <ActionButton id={`invite-reissue-${inv.id}`} kind='secondary' disabled={actions.busy !== null} onClick={() => void actions.reissue(inv)}>{t('app-admin-reissue')}</ActionButton>
              </View>
            ) : null}
          </View>
        ))}
      </View>
    </View>
  )
}

/** 单位与邀请 (admins): create invite codes for a unit and roles, list, revoke and re-issue them. */
export default function AdminPage() {
  const t = useT()
  const { user } = useSession()
  return (
    <View className='page'>
      <PageHeader title={t('feature-admin')} />
      {canUse(user, 'admin') ? <Admin /> : <Notice text={t('error-forbidden')} />}
    </View>
  )
}
