import { useEffect, useState } from 'react'
import Taro, { useDidShow } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { CLEARANCE_EXPLAIN_ARTICLE_ID, mayReportCheckResult, type ClearanceCheckResult } from '@xieshui/core'
import { useCheck, type CheckMode } from '../../features/check/use-check'
import { PLATE_KEY_ROWS, PROVINCES } from '../../features/check/plate-keyboard'
import { openVehicleReport, takeNextCheckRequest } from '../../features/check/report-link'
import { useT, type Translate } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { Notice } from '../../components/notice'
import { PageHeader } from '../../components/page-header'
import { ArticleBody } from '../../components/article-body'
import { useOptionalArticle } from '../../features/learn/use-article'
import './index.css'

function Result({ result, t, canReport, onNext }: { result: ClearanceCheckResult; t: Translate; canReport: boolean; onNext: () => void }) {
  const [opening, setOpening] = useState(false)
  // How to explain it: the knowledge base's live K040 article (a trainer's edit changes it here);
  // the catalogue text only while it loads or if the article is missing.
  const explain = useOptionalArticle(CLEARANCE_EXPLAIN_ARTICLE_ID, !result.cleared)
  return (
    <View className='card' id='check-result'>
      <Text className='card__title'>{`${result.key} · ${t(`clearance-kind-${result.kind}`)}`}</Text>
      {result.results.map((r) => {
        const label = 'year' in r ? t('clearance-year', { year: r.year }) : r.tax
        return (
          <View key={label} className={`kv check-line check-line--${r.status}`}>
            <Text className='kv__key'>{label}</Text>
            <Text className='kv__value'>
              {t(`clearance-status-${r.status}`)}
              {r.certificateNo ? ` · ${r.certificateNo} · ${r.taxpayerName ?? ''}` : ''}
            </Text>
          </View>
        )
      })}
      <Notice id='check-verdict' kind={result.cleared ? 'info' : 'error'} text={t(result.cleared ? 'clearance-cleared' : 'clearance-missing')} />
      {result.cleared ? null : (
        <View id='check-explain'>
          <Text className='card__title'>{t('clearance-explain-title')}</Text>
          {explain ? (
            <ArticleBody markdown={explain.body} id='check-explain-article' />
          ) : (
            <Text className='card__text'>{t(result.kind === 'vehicle_vessel' ? 'clearance-explain-vehicle' : 'clearance-explain-property')}</Text>
          )}
          {canReport ? (
            <ActionButton
              id='check-report'
              disabled={opening}
              onClick={() => {
                setOpening(true)
                void openVehicleReport(result).finally(() => setOpening(false))
              }}
            >
              {t('clearance-report-action')}
            </ActionButton>
          ) : null}
        </View>
      )}
      <ActionButton id='check-next' kind='secondary' onClick={onNext}>{t('app-check-next')}</ActionButton>
    </View>
  )
}

export default function CheckPage() {
  const t = useT()
  const check = useCheck()
  const { user } = useSession()
  const [picking, setPicking] = useState(false)
  // Back from a filed vehicle report (核验下一辆 there): the next check starts afresh.
  useDidShow(() => {
    if (takeNextCheckRequest()) check.next()
  })
  // A result takes the screen: scroll it into view once it is rendered (keyboard folded away).
  useEffect(() => {
    if (check.result) void Taro.pageScrollTo({ selector: '#check-result', duration: 200 }).catch(() => undefined)
  }, [check.result])
  const tabs: { mode: CheckMode; label: string }[] = [
    { mode: 'plate', label: t('clearance-ui-tab-plate') },
    { mode: 'vin', label: t('clearance-ui-tab-vin') },
    { mode: 'contract', label: t('clearance-ui-tab-contract') },
  ]

  return (
    <View className='page page--form'>
      <PageHeader title={t('clearance-ui-title')} />
      <View className='tabs'>
        {tabs.map((tab) => (
          <View key={tab.mode} id={`tab-${tab.mode}`} className={`tabs__tab${check.mode === tab.mode ? ' tabs__tab--active' : ''}`} onClick={() => check.setMode(tab.mode)}>
            <Text>{tab.label}</Text>
          </View>
        ))}
      </View>

      <View className='card'>
        <Notice id='check-error' text={check.error} />
        {check.mode === 'plate' ? (
          <View className={`field${check.fields.key ? ' field--error' : ''}`}>
            <Text className='field__label'>{t('clearance-ui-plate-label')}</Text>
            <View className='plate'>
              <View className='plate__province' id='plate-province' onClick={() => setPicking(!picking)}>
                <Text>{check.province}</Text>
              </View>
              <Text className='plate__rest' id='plate-value' onClick={check.editPlate}>{check.plateRest || '·'}</Text>
            </View>
            {check.keyboardOpen ? null : <Text className='field__hint'>{t('app-check-plate-tap')}</Text>}
            {check.fields.key ? <Text className='field__error' id='check-key-error'>{check.fields.key}</Text> : null}
            {picking ? (
              <View className='provinces' id='province-picker'>
                {PROVINCES.map((p) => (
                  <View key={p} id={`province-${p}`} className={`plate-keys__key${p === check.province ? ' plate-keys__key--on' : ''}`} onClick={() => { check.setProvince(p); setPicking(false) }}>
                    <Text>{p}</Text>
                  </View>
                ))}
              </View>
            ) : null}
            {check.keyboardOpen ? (
            <View className='plate-keys'>
              {PLATE_KEY_ROWS.map((row) => (
                <View key={row.join('')} className='plate-keys__row'>
                  {row.map((k) => (
                    <View key={k} id={`key-${k}`} className='plate-keys__key' onClick={() => check.press(k)}>
                      <Text>{k}</Text>
                    </View>
                  ))}
                </View>
              ))}
              <View className='plate-keys__row'>
                <View id='key-delete' className='plate-keys__key plate-keys__key--wide' onClick={check.backspace}><Text>{t('clearance-ui-delete')}</Text></View>
                <View id='key-clear' className='plate-keys__key plate-keys__key--wide' onClick={check.clear}><Text>{t('clearance-ui-clear')}</Text></View>
              </View>
            </View>
            ) : null}
          </View>
        ) : (
          <Field
            id='check-key'
            label={t(check.mode === 'vin' ? 'clearance-ui-vin-label' : 'clearance-ui-contract-label')}
            value={check.text}
            onChange={check.setText}
            error={check.fields.key}
            placeholder={check.mode === 'vin' ? 'LSV3E28JX97KB6CP6' : 'HT202602000000'}
            maxlength={40}
          />
        )}
        <ActionButton id='check-submit' disabled={check.submitting} onClick={() => void check.submit()}>
          {check.submitting ? t('app-working') : t('clearance-ui-submit')}
        </ActionButton>
      </View>

      {check.result ? <Result result={check.result} t={t} canReport={user !== null && mayReportCheckResult(user, check.result)} onNext={check.next} /> : null}
    </View>
  )
}
