import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { hasRole, personName } from '@xieshui/core'
import { homeEntries, type HomeEntry } from '../../features/home/entries'
import { useT } from '../../lib/i18n'
import { registeredPages } from '../../lib/pages'
import { useSession } from '../../lib/session'
import { ActionButton } from '../../components/action-button'
import { useAsync } from '../../features/report/use-async'
import { quizApi } from '../../features/quiz/api'
import { meetingsApi, summarizeTasks } from '../../features/meetings/api'
import '../../features/quiz/quiz.css'
import '../../features/meetings/meetings.css'

const ICONS: Record<string, string> = {
  report: '报', check: '验', learn: '学', tip: '举', review: '审', clearance_import: '导', training: '训', tips_inbox: '受', oversight: '督', admin: '管',
}

function Tile({ entry, large }: { entry: HomeEntry; large: boolean }) {
  const t = useT()
  return (
    <View
      id={`entry-${entry.feature}`}
      className={`tile tile--${entry.feature}${large ? ' tile--large' : ''}`}
      onClick={() => void Taro.navigateTo({ url: entry.url })}
    >
      <View className='tile__icon'>
        <Text>{ICONS[entry.feature] ?? '•'}</Text>
      </View>
      <View className='tile__body'>
        <Text className='tile__title'>{t(entry.title)}</Text>
        <Text className='tile__desc'>{entry.description}</Text>
      </View>
    </View>
  )
}

export default function HomePage() {
  const t = useT()
  const { user } = useSession()
  const { jobs, manage } = homeEntries(user, t, registeredPages())
  const quizzes = useAsync(() => (user ? quizApi.mine() : Promise.resolve({ quizzes: [] })), [user?.id])
  const open = (quizzes.value?.quizzes ?? []).filter((q) => !q.finished && q.state !== 'closed')
  const tasks = useAsync(() => (user ? meetingsApi.myTasks() : Promise.resolve({ tasks: [] })), [user?.id])
  const taskSummary = summarizeTasks(tasks.value?.tasks ?? [])
  // 委托代征 supervision: tax officers inspect, coordinators read (only when the page is in this build).
  const entrusted = !!user && hasRole(user, 'tax_officer', 'coordinator') && (registeredPages()?.includes('pages/entrusted/index') ?? true)

  return (
    <View className='page page--home'>
      <View className='hero'>
        <View className='hero__row'>
          <Text className='hero__title'>{t('app-name')}</Text>
          <View id='open-profile' className='hero__link' onClick={() => void Taro.navigateTo({ url: '/pages/profile/index' })}>
            <Text>{user ? t('app-profile-title') : t('app-language')}</Text>
          </View>
        </View>
        {user ? (
          <View id='home-greeting' className='hero__sub'>
            <Text>{t('app-home-greeting', { name: personName(user), unit: user.unit.name })}</Text>
          </View>
        ) : (
          <View className='hero__sub'>
            <Text>{t('app-home-tagline')}</Text>
          </View>
        )}
      </View>

      {!user ? (
        <View className='card card--login'>
          <Text className='card__text'>{t('app-home-login-hint')}</Text>
          <ActionButton id='go-login' onClick={() => void Taro.navigateTo({ url: '/pages/login/index' })}>
            {t('app-login-submit')}
          </ActionButton>
        </View>
      ) : null}

      {user && open.length > 0 ? (
        <View className='section' id='home-quizzes'>
          <Text className='section__title'>{t('app-quiz-home-title')}</Text>
          {open.map((q) => (
            <View key={q.assignmentId} id={`home-quiz-${q.assignmentId}`} className='card quiz__home-card' onClick={() => void Taro.navigateTo({ url: `/pages/quiz-take/index?id=${q.assignmentId}` })}>
              <Text className='quiz__row-title'>{q.title}</Text>
              <Text className='quiz__meta'>{t('app-quiz-home-card', { answered: q.answered, total: q.total, closesAt: q.closesAt })}</Text>
            </View>
          ))}
        </View>
      ) : null}

      {user && taskSummary.open > 0 ? (
        <View className='section' id='home-tasks'>
          <Text className='section__title'>{t('app-tasks-title')}</Text>
          <View id='home-tasks-card' className={`card home-tasks${taskSummary.overdue > 0 ? ' home-tasks--overdue' : ''}`} onClick={() => void Taro.navigateTo({ url: '/pages/tasks/index' })}>
            <Text className='home-tasks__count'>{t('app-tasks-card', { count: taskSummary.open })}</Text>
            {taskSummary.nearestDue ? <Text className='home-tasks__due'>{t('app-tasks-nearest', { due: taskSummary.nearestDue })}</Text> : null}
            {taskSummary.overdue > 0 ? <Text className='home-tasks__overdue' id='home-tasks-overdue'>{t('app-tasks-nearest-overdue', { count: taskSummary.overdue })}</Text> : null}
          </View>
        </View>
      ) : null}

      {jobs.length > 0 ? (
        <View className='section'>
          <Text className='section__title'>{t('app-home-jobs')}</Text>
          <View className='tiles'>
            {jobs.map((e) => (
              <Tile key={e.feature} entry={e} large />
            ))}
          </View>
        </View>
      ) : null}

      {user ? (
        <View className='section' id='home-practice'>
          <View className='tiles tiles--compact'>
            <View id='entry-practice' className='tile' onClick={() => void Taro.navigateTo({ url: '/pages/quiz-practice/index' })}>
              <View className='tile__icon'><Text>练</Text></View>
              <View className='tile__body'><Text className='tile__title'>{t('app-quiz-home-practice')}</Text></View>
            </View>
            <View id='entry-mistakes' className='tile' onClick={() => void Taro.navigateTo({ url: '/pages/quiz-mistakes/index' })}>
              <View className='tile__icon'><Text>错</Text></View>
              <View className='tile__body'><Text className='tile__title'>{t('app-quiz-home-mistakes')}</Text></View>
            </View>
          </View>
        </View>
      ) : null}

      {user && hasRole(user, 'coordinator') ? (
        <View className='section' id='home-meetings'>
          <View className='tiles tiles--compact'>
            <View id='entry-meetings' className='tile' onClick={() => void Taro.navigateTo({ url: '/pages/meetings/index' })}>
              <View className='tile__icon'><Text>会</Text></View>
              <View className='tile__body'><Text className='tile__title'>{t('app-meetings-link')}</Text></View>
            </View>
          </View>
        </View>
      ) : null}

      {manage.length > 0 ? (
        <View className='section'>
          <Text className='section__title'>{t('app-home-manage')}</Text>
          <View className='tiles tiles--compact'>
            {manage.map((e) => (
              <Tile key={e.feature} entry={e} large={false} />
            ))}
          </View>
        </View>
      ) : null}

      {entrusted ? (
        <View className='section' id='home-entrusted'>
          <View className='tiles tiles--compact'>
            <View id='entry-entrusted' className='tile' onClick={() => void Taro.navigateTo({ url: '/pages/entrusted/index' })}>
              <View className='tile__icon'><Text>代</Text></View>
              <View className='tile__body'>
                <Text className='tile__title'>{t('entrusted-home-link')}</Text>
                <Text className='tile__desc'>{t('entrusted-home-hint')}</Text>
              </View>
            </View>
          </View>
        </View>
      ) : null}
    </View>
  )
}
