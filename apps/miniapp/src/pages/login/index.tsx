import Taro, { useRouter } from '@tarojs/taro'
import { useCallback } from 'react'
import { Text, View } from '@tarojs/components'
import { useLoginForm, type LoginMode } from '../../features/login/use-login-form'
import { useT } from '../../lib/i18n'
import { Field } from '../../components/field'
import { SubmitBar } from '../../components/submit-bar'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'

export default function LoginPage() {
  const t = useT()
  const onSignedIn = useCallback(() => void Taro.reLaunch({ url: '/pages/index/index' }), [])
  const form = useLoginForm(onSignedIn)
  const fromTelegram = useRouter().params.from === 'telegram'
  const tabs: { mode: LoginMode; label: string }[] = [
    { mode: 'invite', label: t('app-login-tab-invite') },
    { mode: 'link', label: t('app-login-tab-link') },
  ]

  return (
    <View className='page page--form'>
      <PageHeader title={t('app-login-submit')} />
      <Text className='page__title'>{t('app-login-title')}</Text>
      <View className='tabs'>
        {tabs.map((tab) => (
          <View
            key={tab.mode}
            id={`tab-${tab.mode}`}
            className={`tabs__tab${form.mode === tab.mode ? ' tabs__tab--active' : ''}`}
            onClick={() => form.setMode(tab.mode)}
          >
            <Text>{tab.label}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        {fromTelegram ? <Notice id='telegram-unknown' kind='info' text={t('app-login-telegram-unknown')} /> : null}
        <Field
          id='login-code'
          label={form.mode === 'invite' ? t('app-login-invite-label') : t('app-login-link-label')}
          value={form.values.code}
          onChange={(v) => form.setValue('code', v)}
          error={form.fields.code}
          hint={form.mode === 'invite' ? t('app-login-invite-hint') : t('app-login-link-hint')}
          placeholder={form.mode === 'invite' ? 'K7M2QX9PRT' : 'AB23CD45'}
          maxlength={64}
        />
        {form.mode === 'invite' ? (
          <Field
            id='login-name'
            label={t('app-login-name-label')}
            value={form.values.name}
            onChange={(v) => form.setValue('name', v)}
            error={form.fields.name}
            hint={t('app-login-name-hint')}
            maxlength={40}
          />
        ) : null}
        <SubmitBar id='login-submit' busy={form.submitting} onSubmit={form.submit} fields={form.fields} message={form.formError} order={['code', 'name']} anchor={(n) => `login-${n}-field`}>
          {form.submitting ? t('app-working') : t('app-login-submit')}
        </SubmitBar>
      </View>
    </View>
  )
}
