import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useT } from '../../lib/i18n'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { useAsync } from '../../features/report/use-async'
import { quizApi } from '../../features/quiz/api'
import '../../features/quiz/quiz.css'

/** 错题本: every question answered wrong and not yet answered right in practice, with explanation and article. */
export default function QuizMistakesPage() {
  const t = useT()
  const list = useAsync(() => quizApi.mistakes(), [])
  const mistakes = list.value?.mistakes ?? []
  return (
    <View className='page'>
      <PageHeader title={t('app-quiz-mistakes-title')} />
      <Notice text={list.error} />
      {list.value && mistakes.length === 0 ? <Notice id='mistakes-empty' kind='info' text={t('app-quiz-mistakes-empty')} /> : null}
      {mistakes.length ? (
        <View className='card' id='mistakes'>
          {mistakes.map((m) => (
            <View key={m.questionId} className='quiz__wrong'>
              <Text className='quiz__wrong-q'>{m.question}</Text>
              {m.options.map((o, i) => <Text key={i} className='quiz__meta'>{`${'ABCD'[i]}. ${o}`}</Text>)}
              <Text className='quiz__meta'>{t('app-quiz-mistake-line', { count: m.wrongCount, chosen: m.lastWrong ?? t('app-quiz-none-chosen'), answer: m.answer })}</Text>
              <Text className='quiz__explanation'>{m.explanation}</Text>
              {m.articleTitle ? (
                <View className='quiz__article' onClick={() => void Taro.navigateTo({ url: `/pages/learn-article/index?id=${m.articleId}` })}>
                  <Text>{t('app-quiz-take-article', { title: m.articleTitle })}</Text>
                </View>
              ) : null}
            </View>
          ))}
        </View>
      ) : null}
    </View>
  )
}
