import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { LOCALES, type Locale } from '@xieshui/core'
import { confirmSignOut, signOut } from '../../features/auth/bootstrap'
import { formatTime, useLinkCode } from '../../features/profile/use-link-code'
import { SessionList } from '../../features/profile/sessions'
import { setLocale, useLocale, useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { ActionButton } from '../../components/action-button'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'

const LOCALE_LABELS: Record<Locale, string> = { 'zh-CN': '中文', en: 'English' }

export default function ProfilePage() {
  const t = useT()
  const locale = useLocale()
  const { user } = useSession()
  const link = useLinkCode()

  return (
    <View className='page page--form'>
      <PageHeader title={t('app-profile-title')} />
      {user ? (
        <View className='card' id='profile-card'>
          <Text className='page__title' id='profile-name'>{user.name}</Text>
          <View className='kv'>
            <Text className='kv__key'>{t('app-profile-unit')}</Text>
            <Text className='kv__value' id='profile-unit'>{user.unit.name}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__key'>{t('app-profile-unit-type')}</Text>
            <Text className='kv__value'>{t(`unit-type-${user.unit.type}`)}</Text>
          </View>
          <View className='kv'>
            <Text className='kv__key'>{t('app-profile-roles')}</Text>
            <View className='chips' id='profile-roles'>
              {user.roles.map((r) => (
                <Text key={r} className='chip'>{t(`role-${r}`)}</Text>
              ))}
            </View>
          </View>
        </View>
      ) : (
        <View className='card'>
          <Text className='card__text'>{t('app-home-login-hint')}</Text>
          <ActionButton id='go-login' onClick={() => void Taro.navigateTo({ url: '/pages/login/index' })}>
            {t('app-login-submit')}
          </ActionButton>
        </View>
      )}

      {user ? (
        <View className='card'>
          <Text className='card__title'>{t('app-link-title')}</Text>
          <Text className='card__text'>{t('app-link-explain')}</Text>
          <Notice text={link.error} />
          {link.linkCode ? (
            <View className='linkcode' id='link-code'>
              <Text className='linkcode__command' selectable userSelect>{`/link ${link.linkCode.code}`}</Text>
              <Text className='card__text'>{t('app-link-valid-until', { time: formatTime(link.linkCode.expiresAt) })}</Text>
              <ActionButton
                kind='secondary'
                onClick={() => void Taro.setClipboardData({ data: `/link ${link.linkCode?.code ?? ''}` })}
              >
                {t('app-copy')}
              </ActionButton>
            </View>
          ) : null}
          <ActionButton id='link-telegram' kind='secondary' disabled={link.loading} onClick={() => void link.request()}>
            {link.loading ? t('app-working') : link.linkCode ? t('app-link-again') : t('app-link-button')}
          </ActionButton>
        </View>
      ) : null}

      {user ? <SessionList /> : null}

      <View className='card'>
        <Text className='card__title'>{t('app-language')}</Text>
        <View className='segmented'>
          {LOCALES.map((l) => (
            <View
              key={l}
              id={`locale-${l}`}
              className={`segmented__item${l === locale ? ' segmented__item--active' : ''}`}
              onClick={() => setLocale(l)}
            >
              <Text>{LOCALE_LABELS[l]}</Text>
            </View>
          ))}
        </View>
      </View>

      {user ? (
        <ActionButton
          id='logout'
          kind='danger'
          onClick={() => void confirmSignOut().then(async (yes) => {
            if (!yes) return
            await signOut()
            await Taro.reLaunch({ url: '/pages/index/index' })
          })}
        >
          {t('app-logout')}
        </ActionButton>
      ) : null}
    </View>
  )
}
