import { useState } from 'react'
import { Input, Text, View } from '@tarojs/components'
import { belongsToTown, UNIT_TYPES, type MessageKey } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { ActionButton } from '../../components/action-button'
import { Chips } from '../../components/chips'
import { Field } from '../../components/field'
import { Notice } from '../../components/notice'
import { SearchPicker } from '../../components/search-picker'
import { SubmitBar } from '../../components/submit-bar'
import { useUnitsAdmin } from './use-units-admin'

/** 单位管理 on the admin page: add a unit, rename it, move a committee to another town, deactivate. */
export function UnitsSection() {
  const t = useT()
  const admin = useUnitsAdmin()
  // Folded by default: issuing invites is the everyday job; the unit list is long.
  const [open, setOpen] = useState(false)
  const [filter, setFilter] = useState('')
  const towns = admin.units.filter((u) => u.type === 'town' && u.active).map((u) => ({ value: u.code, label: u.name }))
  const nameOf = new Map(admin.units.map((u) => [u.code, u.name]))
  const typeOptions = UNIT_TYPES.map((u) => ({ value: u, label: t(`unit-type-${u}` as MessageKey) }))
  const q = filter.trim()
  const ordered = [...admin.units].filter((u) => !q || u.name.includes(q)).sort((a, b) => Number(b.active) - Number(a.active) || (a.parent ?? a.code).localeCompare(b.parent ?? b.code) || a.name.localeCompare(b.name))

  return (
    <View className='card' id='units-card'>
      <View className='section-toggle' id='units-toggle' onClick={() => setOpen(!open)}>
        <Text className='card__title'>{t('fs-units-title')}</Text>
        <Text className='section-toggle__meta'>{t('fs-units-count', { count: admin.units.filter((u) => u.active).length })} {open ? '▴' : '▾'}</Text>
      </View>
      {open ? <View>
      <View id='unit-form'>
        <Text className='field__label'>{t('fs-units-add')}</Text>
        <Field id='unit-name' label={t('fs-units-name')} value={admin.values.name} onChange={(name) => admin.set({ name })} error={admin.fields.name} maxlength={60} counter />
        <View className={`field${admin.fields.type ? ' field--error' : ''}`} id='unit-type-field'>
          <Text className='field__label'>{t('fs-units-type')}</Text>
          <Chips id='unit-type' options={typeOptions} selected={(v) => v === admin.values.type} onToggle={(v) => admin.set({ type: v as (typeof UNIT_TYPES)[number] })} compact />
          {admin.fields.type ? <Text className='field__error' id='unit-type-error'>{admin.fields.type}</Text> : null}
        </View>
        {admin.values.type && belongsToTown(admin.values.type) ? (
          <SearchPicker
            id='unit-parent'
            label={t('fs-units-parent')}
            chosen={admin.values.parent ? nameOf.get(admin.values.parent) ?? null : null}
            placeholder={t('fs-units-parent-hint')}
            options={towns}
            onPick={(o) => admin.set({ parent: o?.value ?? '' })}
            error={admin.fields.parent}
          />
        ) : null}
        <SubmitBar id='unit-submit' busy={admin.busy} onSubmit={admin.create} fields={admin.fields} message={admin.message} order={['name', 'type', 'parent']} anchor={(n) => `unit-${n}-field`}>
          {t('fs-units-submit')}
        </SubmitBar>
        {admin.notice ? <Notice id='units-notice' kind='info' text={admin.notice} /> : null}
      </View>

      <Notice text={admin.loadError} />
      {admin.units.length === 0 && !admin.loadError ? <Text className='empty'>{t('fs-units-empty')}</Text> : null}
      <View className='field__input units__search'>
        <Input id='units-search' value={filter} placeholder={t('fs-picker-search')} maxlength={40} onInput={(e) => setFilter(e.detail.value)} />
      </View>
      <View id='units-list'>
        {ordered.map((u) => (
          <View key={u.code} className={`uitem${u.active ? '' : ' uitem--off'}`} id={`unit-${u.code}`}>
            <View className='ritem__head'>
              <Text className='ritem__type'>{u.name}</Text>
              <Text className='badge'>{t(`unit-type-${u.type}` as MessageKey)}</Text>
              {u.active ? null : <Text className='badge badge--revoked'>{t('fs-units-inactive')}</Text>}
            </View>
            {u.parent ? <Text className='ritem__meta'>{t('fs-units-in', { parent: nameOf.get(u.parent) ?? '' })}</Text> : null}
            {admin.editing?.code === u.code ? (
              <View className='uitem__edit'>
                <Field id='unit-rename' label={t('fs-units-rename')} value={admin.editing.name} onChange={(name) => admin.setEditing({ ...admin.editing!, name })} error={admin.editFields.rename} maxlength={60} counter />
                {belongsToTown(u.type) ? (
                  <SearchPicker
                    id='unit-move'
                    label={t('fs-units-move')}
                    chosen={admin.editing.parent ? nameOf.get(admin.editing.parent) ?? null : null}
                    placeholder={t('fs-units-parent-hint')}
                    options={towns}
                    onPick={(o) => admin.setEditing({ ...admin.editing!, parent: o?.value ?? admin.editing!.parent })}
                    error={admin.editFields.move}
                  />
                ) : null}
                <SubmitBar id='unit-save' busy={admin.busy} onSubmit={admin.save} fields={admin.editFields} message={admin.editMessage} order={['rename', 'move']} anchor={(n) => `unit-${n}-field`}>
                  {t('fs-units-save')}
                </SubmitBar>
                <View className='btn-row'>
                  <ActionButton id='unit-cancel' kind='secondary' onClick={() => admin.edit(null)}>{t('app-admin-cancel')}</ActionButton>
                  {u.active ? <ActionButton id='unit-deactivate' kind='danger' disabled={admin.busy} onClick={() => void admin.deactivate(u)}>{t('fs-units-deactivate')}</ActionButton> : null}
                </View>
              </View>
            ) : u.active ? (
              <View className='uitem__action' id={`unit-edit-${u.code}`} onClick={() => admin.edit(u)}>
                <Text>{t('fs-units-edit')} ›</Text>
              </View>
            ) : null}
          </View>
        ))}
      </View>
      </View> : null}
    </View>
  )
}
