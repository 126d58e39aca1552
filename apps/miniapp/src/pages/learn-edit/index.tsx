import Taro, { useRouter } from '@tarojs/taro'
import { useState } from 'react'
import { Text, Textarea, View } from '@tarojs/components'
import { hasRole, KNOWLEDGE_AUDIENCES, KNOWLEDGE_BODY_MAX, type KnowledgeArticleView } from '@xieshui/core'
import { useT } from '../../lib/i18n'
import { useSession } from '../../lib/session'
import { PageHeader } from '../../components/page-header'
import { Notice } from '../../components/notice'
import { Field } from '../../components/field'
import { ActionButton } from '../../components/action-button'
import { ArticleBody } from '../../components/article-body'
import { useAsync } from '../../features/report/use-async'
import { learnApi } from '../../features/learn/api'
import { useArticleEditor } from '../../features/learn/editor'
import '../../features/learn/learn.css'

function Editor({ initial }: { initial: KnowledgeArticleView | null }) {
  const t = useT()
  const editor = useArticleEditor(initial)
  const [preview, setPreview] = useState(false)
  const { draft, fields } = editor
  const savedNotice = editor.saved ? t('app-edit-saved', { revision: editor.saved.revision }) : null

  return (
    <View className='card' id='editor'>
      <Notice id='editor-error' text={editor.error} />
      {editor.conflict ? (
        <View id='editor-conflict'>
          <View className='editor__preview'><ArticleBody markdown={editor.conflict.body} /></View>
          <ActionButton id='editor-load-theirs' kind='secondary' onClick={editor.loadTheirs}>{t('app-edit-conflict-load')}</ActionButton>
          <ActionButton id='editor-overwrite' kind='danger' onClick={() => void editor.overwrite()}>{t('app-edit-conflict-overwrite')}</ActionButton>
        </View>
      ) : null}
      <Notice id='editor-saved' kind='info' text={savedNotice} />
      <Field id='edit-title' label={t('app-edit-field-title')} value={draft.title} onChange={(v) => editor.set('title', v)} error={fields.title} maxlength={80} />
      <Field id='edit-tags' label={t('app-edit-field-tags')} value={draft.tags} onChange={(v) => editor.set('tags', v)} error={fields.tags ?? Object.entries(fields).find(([k]) => k.startsWith('tags.'))?.[1]} maxlength={300} />
      <View className={`field${fields.audience || fields['audience.0'] ? ' field--error' : ''}`}>
        <Text className='field__label'>{t('app-edit-field-audience')}</Text>
        <View className='aud'>
          {KNOWLEDGE_AUDIENCES.map((a) => (
            <View key={a} id={`edit-aud-${a}`} className={`aud__chip${draft.audience.includes(a) ? ' aud__chip--on' : ''}`} onClick={() => editor.toggleAudience(a)}>
              <Text>{t(`knowledge-audience-${a}`)}</Text>
            </View>
          ))}
        </View>
        {fields.audience || fields['audience.0'] ? <Text className='field__error'>{fields.audience ?? fields['audience.0']}</Text> : null}
      </View>
      <Field id='edit-law' label={t('app-edit-field-law')} value={draft.law} onChange={(v) => editor.set('law', v)} error={fields.law} maxlength={300} />
      <View className={`field${fields.body ? ' field--error' : ''}`}>
        <View className='segmented'>
          <View id='edit-mode-write' className={`segmented__item${preview ? '' : ' segmented__item--active'}`} onClick={() => setPreview(false)}><Text>{t('app-edit-write')}</Text></View>
          <View id='edit-mode-preview' className={`segmented__item${preview ? ' segmented__item--active' : ''}`} onClick={() => setPreview(true)}><Text>{t('app-edit-preview')}</Text></View>
        </View>
        {preview ? (
          <View className='editor__preview' id='edit-preview'><ArticleBody markdown={draft.body} /></View>
        ) : (
          <Textarea id='edit-body' className='editor__body' value={draft.body} maxlength={KNOWLEDGE_BODY_MAX} autoHeight onInput={(e) => editor.set('body', e.detail.value)} />
        )}
        {fields.body ? <Text className='field__error' id='edit-body-error'>{fields.body}</Text> : <Text className='field__hint'>{t('app-edit-body-hint')}</Text>}
      </View>
      <ActionButton id='edit-save' disabled={editor.saving} onClick={() => void editor.save()}>{editor.saving ? t('app-working') : t('app-edit-save')}</ActionButton>
      {editor.saved ? (
        <ActionButton id='edit-open' kind='secondary' onClick={() => void Taro.redirectTo({ url: `/pages/learn-article/index?id=${editor.saved!.id}` })}>{editor.saved.title}</ActionButton>
      ) : null}
    </View>
  )
}

/** The editor (trainers and coordinators): the fields, the Markdown text with a preview, and conflict handling. */
export default function EditPage() {
  const t = useT()
  const { user } = useSession()
  const id = useRouter().params.id
  const article = useAsync(() => (id ? learnApi.article(id) : Promise.resolve(null)), [id])
  const allowed = !!user && hasRole(user, 'trainer', 'coordinator')
  return (
    <View className='page page--form'>
      <PageHeader title={id ? t('app-edit-title', { id }) : t('app-edit-title-new')} />
      {!allowed ? <Notice id='edit-forbidden' text={t('app-edit-forbidden')} /> : null}
      <Notice text={article.error} />
      {allowed && !article.loading && (!id || article.value) ? <Editor initial={article.value} /> : null}
    </View>
  )
}
