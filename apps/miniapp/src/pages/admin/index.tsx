import { useCallback, useState } from 'react'
import { Text, View } from '@tarojs/components'
import { cstDate, ROLES, type Role } from '@xieshui/core'
import { confirmAction } from '../../lib/confirm'
import { translate, useT } from '../../lib/i18n'
import { scrollToId } from '../../lib/scroll'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { Chips } from '../../components/chips'
import { EmptyState } from '../../components/empty-state'
import { Guard } from '../../components/guard'
import { IssuedCode } from '../../components/issued-code'
import { SearchPicker } from '../../components/search-picker'
import { SubmitBar } from '../../components/submit-bar'
import { INVITE_STATUSES, listInvites, reissueInvite, revokeInvite, type InviteFilters, type IssuedInvite } from '../../features/admin/api'
import { UnitsSection } from '../../features/admin/units-section'
import { useInviteForm } from '../../features/admin/use-invite-form'
import { useInviteActions } from '../../features/admin/use-invite-actions'
import { useUnitOptions } from '../../features/review/use-units'
import { useAsync } from '../../features/report/use-async'
import '../../features/report/report.css'
import '../../features/admin/admin.css'

const confirmRevoke = (content: string) => confirmAction({ title: translate('app-admin-revoke'), content, confirmText: translate('app-admin-revoke') })

const actionDeps = { revokeInvite, reissueInvite, confirm: confirmRevoke }

function Admin() {
  const t = useT()
  const units = useUnitOptions()
  const form = useInviteForm()
  const [filters, setFilters] = useState<InviteFilters>({ unit: '', status: '' })
  const invites = useAsync(() => listInvites(filters), [filters])
  const { setIssued } = form
  const onIssued = useCallback((i: IssuedInvite) => setIssued(i), [setIssued])
  const actions = useInviteActions(actionDeps, invites.reload, onIssued)
  const unitName = units.nameOf

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
        <Notice text={units.error} />
        <SearchPicker
          id='invite-unit'
          label={t('app-admin-unit')}
          chosen={form.values.unit ? unitName.get(form.values.unit) ?? null : null}
          placeholder={t('app-admin-unit-pick')}
          options={units.options}
          onPick={(o) => form.set({ unit: o?.value ?? '' })}
          error={form.fields.unit}
        />
        <View className={`field${form.fields.roles ? ' field--error' : ''}`} id='invite-roles-field'>
          <Text className='field__label'>{t('app-admin-roles')}</Text>
          <Chips id='invite-role' options={ROLES.map((r) => ({ value: r, label: t(`role-${r}`) }))} selected={(r) => form.values.roles.includes(r as Role)} onToggle={(r) => form.toggleRole(r as Role)} compact />
          {form.fields.roles ? <Text className='field__error' id='invite-roles-error'>{form.fields.roles}</Text> : null}
        </View>
        <Field id='invite-name' label={t('app-admin-name')} value={form.values.name} onChange={(name) => form.set({ name })} error={form.fields.name} maxlength={40} counter />
        <Field id='invite-days' label={t('app-admin-days')} value={form.values.days} onChange={(days) => form.set({ days })} error={form.fields.days} hint={t('app-admin-days-hint')} maxlength={3} type='number' />
        <SubmitBar id='invite-submit' busy={form.busy} onSubmit={create} fields={form.fields} message={form.error} order={['unit', 'roles', 'name', 'days']} anchor={(n) => `invite-${n}-field`}>
          {form.busy ? t('app-working') : t('app-admin-submit')}
        </SubmitBar>
      </View>

      <UnitsSection />

      <View className='card'>
        <Text className='card__title'>{t('app-admin-list')}</Text>
        <Text className='field__label'>{t('app-admin-filter-status')}</Text>
        <Chips
          id='invite-filter-status'
          options={(['', ...INVITE_STATUSES] as const).map((v) => ({ value: v, label: v ? t(`app-admin-status-${v}`) : t('app-review-any') }))}
          selected={(v) => filters.status === v}
          onToggle={(v) => setFilters((f) => ({ ...f, status: v as InviteFilters['status'] }))}
          compact
        />
        <SearchPicker
          id='invite-filter-unit'
          label={t('fs-filter-unit')}
          chosen={filters.unit ? unitName.get(filters.unit) ?? null : null}
          placeholder={t('fs-filter-any-unit')}
          options={units.options}
          allowNone
          onPick={(o) => setFilters((f) => ({ ...f, unit: o?.value ?? '' }))}
        />
      </View>

      <Notice text={invites.error} />
      {!invites.loading && !invites.error && (invites.value ?? []).length === 0 ? <EmptyState text={t('app-admin-empty')} action={t('app-admin-create')} onAction={() => scrollToId('invite-form')} /> : null}
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

/** 单位与邀请 (admins): manage units; create invite codes for a unit and roles, list, revoke and re-issue them. */
export default function AdminPage() {
  const t = useT()
  return (
    <View className='page'>
      <PageHeader title={t('feature-admin')} />
      <Guard roles={['admin']}>
        <Admin />
      </Guard>
    </View>
  )
}
