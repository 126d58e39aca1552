import Taro from '@tarojs/taro'
import { Text, Textarea, View } from '@tarojs/components'
import { TIP_CATEGORIES, TIP_DESCRIPTION_MAX } from '@xieshui/core'
import { useTipForm } from '../../features/tip/use-tip-form'
import { useT } from '../../lib/i18n'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'
import '../../features/tip/tip.css'

/** 匿名举报: reachable without sign-in; explains anonymous vs real-name; sends nothing that identifies anyone. */
export default function TipPage() {
  const t = useT()
  const form = useTipForm(() => void Taro.redirectTo({ url: '/pages/tip-receipt/index' }))
  const v = form.values
  return (
    <View className='page page--form'>
      <PageHeader title={t('app-tip-title')} />
      <View className='card'>
        <Text className='tip-intro' id='tip-intro'>{t('app-tip-intro')}</Text>
        <View className='tip-modes' id='tip-mode'>
          <View id='tip-mode-anonymous' className={`tip-mode${v.realName ? '' : ' tip-mode--on'}`} onClick={() => form.set({ realName: false, contact: '' })}>
            <Text className='tip-mode__title'>{t('app-tip-anonymous-title')}</Text>
            <Text className='tip-mode__desc'>{t('app-tip-anonymous-desc')}</Text>
          </View>
          <View id='tip-mode-real' className={`tip-mode${v.realName ? ' tip-mode--on' : ''}`} onClick={() => form.set({ realName: true })}>
            <Text className='tip-mode__title'>{t('app-tip-real-title')}</Text>
            <Text className='tip-mode__desc'>{t('app-tip-real-desc')}</Text>
          </View>
        </View>
      </View>

      <View className='card'>
        <Notice id='tip-form-error' text={form.formError} />
        <View className={`field${form.fields.category ? ' field--error' : ''}`}>
          <Text className='field__label'>{t('app-tip-category')}</Text>
          <View className='chips' id='tip-category'>
            {TIP_CATEGORIES.map((c) => (
              <View key={c} id={`tip-category-${c}`} className={`chip${v.category === c ? ' chip--on' : ''}`} onClick={() => form.set({ category: c })}>
                <Text>{t(`tip-category-${c}`)}</Text>
              </View>
            ))}
          </View>
          {form.fields.category ? <Text className='field__error' id='tip-category-error'>{form.fields.category}</Text> : null}
        </View>
        <Field id='tip-subject' label={t('app-tip-subject')} hint={t('app-tip-subject-hint')} value={v.subject} onChange={(x) => form.set({ subject: x })} error={form.fields.subject} maxlength={300} />
        <Field id='tip-location' label={t('app-tip-location')} value={v.location} onChange={(x) => form.set({ location: x })} error={form.fields.location} maxlength={300} />
        <Field id='tip-when' label={t('app-tip-when')} hint={t('app-tip-when-hint')} value={v.when} onChange={(x) => form.set({ when: x })} error={form.fields.when} maxlength={100} />
        <View className={`field${form.fields.description ? ' field--error' : ''}`}>
          <Text className='field__label'>{t('app-tip-description')}</Text>
          <Textarea id='tip-description' className='tip-textarea' value={v.description} maxlength={TIP_DESCRIPTION_MAX} autoHeight onInput={(e) => form.set({ description: e.detail.value })} />
          {form.fields.description ? (
            <Text className='field__error' id='tip-description-error'>{form.fields.description}</Text>
          ) : (
            <Text className='field__hint'>{t('app-tip-description-hint')}</Text>
          )}
        </View>
        {v.realName ? (
          <Field id='tip-contact' label={t('app-tip-contact')} hint={t('app-tip-contact-hint')} value={v.contact} onChange={(x) => form.set({ contact: x })} error={form.fields.contact} maxlength={300} />
        ) : null}
        <ActionButton id='tip-submit' disabled={form.submitting} onClick={() => void form.submit()}>
          {form.submitting ? t('app-working') : t('app-tip-submit')}
        </ActionButton>
      </View>
      <Text className='tip-link' id='tip-follow' onClick={() => void Taro.navigateTo({ url: '/pages/tip-status/index' })}>
        {t('app-tip-follow')}
      </Text>
    </View>
  )
}
