import { useState } from 'react'
import { Text, View } from '@tarojs/components'
import { KnowledgeSynonymSchema, parseInput } from '@xieshui/core'
import { getLocale, useT } from '../../lib/i18n'
import { isApiError } from '../../lib/request'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../../features/report/use-async'
import { learnApi } from '../../features/learn/api'
import { splitTags } from '../../features/learn/editor'
import '../../features/learn/learn.css'

/** Trainers: the searches that found nothing (so the base grows from use) and the synonyms they add. */
export default function GapsPage() {
  const t = useT()
  const [tick, setTick] = useState(0)
  const gaps = useAsync(() => learnApi.zeroResults(), [tick])
  const synonyms = useAsync(() => learnApi.synonyms(), [tick])
  const [line, setLine] = useState('')
  const [error, setError] = useState<string | null>(null)
  const own = (synonyms.value?.groups ?? []).filter((g) => !g.builtIn)

  const add = async () => {
    const terms = splitTags(line)
    const parsed = parseInput(KnowledgeSynonymSchema, { terms }, getLocale())
    if (!parsed.ok) return setError(Object.values(parsed.fields)[0] ?? null)
    try {
      await learnApi.addSynonym(parsed.data.terms)
      setLine('')
      setError(null)
      setTick((n) => n + 1)
    } catch (e) {
      setError(isApiError(e) ? (Object.values(e.fields)[0] ?? e.message) : t('app-error-network'))
    }
  }

  return (
    <View className='page'>
      <PageHeader title={t('app-gaps-title')} />
      <Notice text={gaps.error ?? synonyms.error} />
      <View className='topic__list' id='gaps-list'>
        {(gaps.value?.queries ?? []).map((g) => (
          <View key={g.query} className='gap'>
            <Text className='gap__query'>{g.query}</Text>
            <Text className='gap__meta'>{t('app-gaps-count', { count: g.count, time: g.lastAt })}</Text>
          </View>
        ))}
      </View>
      {gaps.value && gaps.value.queries.length === 0 ? <Text className='empty'>{t('app-gaps-empty')}</Text> : null}
      <View className='section'>
        <Text className='section__title'>{t('app-gaps-synonyms')}</Text>
        <View className='card'>
          <Field id='synonym-terms' label={t('app-gaps-synonym-add')} hint={t('app-gaps-synonym-hint')} value={line} onChange={setLine} error={error ?? undefined} maxlength={200} />
          <ActionButton id='synonym-add' onClick={() => void add()}>{t('app-gaps-synonym-add')}</ActionButton>
          {own.map((g) => (
            <View key={g.id ?? g.terms.join()} className='gap'>
              <Text className='gap__query'>{g.terms.join(' = ')}</Text>
              <View className='rev__action' onClick={() => void learnApi.removeSynonym(g.id!).then(() => setTick((n) => n + 1))}><Text>{t('app-gaps-synonym-remove')}</Text></View>
            </View>
          ))}
        </View>
      </View>
    </View>
  )
}
